"""The crawl-health charts, drawn server-side by matplotlib (Agg canvas, SVG output, no network) from
`queries.HealthData`. Every bar carries an SVG id `bar-<chart>-<n>`, so a test (or a reader of the
SVG) can count what was plotted. Stored strings (source slugs, drop reasons) are plain text:
math text parsing is off, so a `$` in a name is never interpreted."""

from __future__ import annotations

import io
import warnings

import matplotlib
# Figures are built on the Agg canvas directly, never through pyplot: no GUI backend, no global state.
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .queries import HealthData

TOP_SOURCES = 10          # sources drawn by name in the per-day chart; the rest are "other sources"
RC = {"text.parse_math": False, "svg.fonttype": "path", "font.size": 9, "axes.spines.top": False,
      "axes.spines.right": False, "svg.hashsalt": "newscrawl"}
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
          "#bcbd22", "#17becf", "#aec7e8"]


def _label(text, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _svg(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing")   # a name in a script DejaVu lacks
        fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    return out.getvalue()


def _tag(bars, chart: str, start: int) -> int:
    for n, rect in enumerate(bars, start):
        rect.set_gid(f"bar-{chart}-{n}")
    return start + len(bars)


def articles_per_day(data: HealthData) -> bytes:
    """Stacked bars: articles per publication day (UTC), one colour per source."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8, 3.6))
        ax = fig.add_subplot()
        totals: dict[str, int] = {}
        for (_, source), n in data.per_day.items():
            totals[source] = totals.get(source, 0) + n
        named = sorted(totals, key=lambda s: (-totals[s], s))[:TOP_SOURCES]
        series = {s: [data.per_day.get((d, s), 0) for d in data.days] for s in named}
        other = [sum(n for (d2, s), n in data.per_day.items() if d2 == d and s not in named) for d in data.days]
        if any(other):
            series["other sources"] = other
        bottom = [0] * len(data.days)
        n = 0
        for i, (source, values) in enumerate(series.items()):
            bars = ax.bar(data.days, values, bottom=bottom, label=_label(source, 30), color=COLORS[i % len(COLORS)])
            n = _tag([b for b, v in zip(bars, values) if v], "days", n)
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("articles")
        ax.set_title("Articles per source per publication day (UTC)")
        ax.tick_params(axis="x", labelrotation=45)
        if series:
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        return _svg(fig)


def reasons(data: HealthData) -> bytes:
    """Horizontal bars: items dropped per reason and errors per kind, over the recent runs."""
    rows = [(f"dropped: {_label(k)}", v, COLORS[1]) for k, v in sorted(data.drops.items(), key=lambda kv: -kv[1])]
    rows += [(f"error: {_label(k)}", v, COLORS[3]) for k, v in sorted(data.errors.items(), key=lambda kv: -kv[1])]
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8, max(1.6, 0.35 * len(rows) + 1)))
        ax = fig.add_subplot()
        if rows:
            labels, values, colors = zip(*rows)
            positions = list(range(len(rows)))[::-1]
            bars = ax.barh(positions, values, color=colors)
            _tag(bars, "reasons", 0)
            ax.set_yticks(positions, labels)
            for bar, value in zip(bars, values):
                ax.annotate(str(value), (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                            textcoords="offset points", va="center", fontsize=8)
        else:
            ax.text(0.5, 0.5, "no drops or errors recorded", ha="center", va="center", transform=ax.transAxes)
            ax.set_yticks([])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(f"items / errors over the last {data.runs} crawl runs")
        ax.set_title("Drop and error reasons")
        return _svg(fig)


def body_words(data: HealthData) -> bytes:
    """Per source: median body words of its latest day against the median of its earlier days."""
    rows = data.body_words
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8, max(1.8, 0.45 * len(rows) + 1.2)))
        ax = fig.add_subplot()
        positions = list(range(len(rows)))[::-1]
        latest = [r["latest_median"] for r in rows]
        history = [r["history_median"] or 0 for r in rows]
        n = _tag(ax.barh([p + 0.2 for p in positions], latest, height=0.4, color=COLORS[0],
                         label="latest day"), "words", 0)
        with_history = [(p, h) for p, h, r in zip(positions, history, rows) if r["history_median"] is not None]
        if with_history:
            bars = ax.barh([p - 0.2 for p, _ in with_history], [h for _, h in with_history], height=0.4,
                           color="#b0b0b0", label="earlier days")
            _tag(bars, "words", n)
        ax.set_yticks(positions, [_label(r["source"], 30) for r in rows])
        ax.set_xlabel("median words in the body")
        ax.set_title("Median body words per source: latest day vs its earlier days")
        if rows:
            ax.legend(fontsize=7, loc="lower right", frameon=False)
        return _svg(fig)


CHARTS = {"articles-per-day": articles_per_day, "reasons": reasons, "body-words": body_words}

"""`python -m newscrawl.ops deploy [--target default]`: build the egg and upload it to scrapyd.

The egg is built by scrapyd-client (`scrapyd-deploy --build-egg FILE`, which runs setup.py
bdist_egg in the repository) and uploaded with addversion.json (basic auth from
SCRAPYD_USERNAME / SCRAPYD_PASSWORD). The URL and project come from scrapy.cfg's [deploy] target,
or --url / $SCRAPYD_URL. The version is the UNIX time (scrapyd runs the newest)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .client import Scrapyd, ScrapydError, deploy_target, project_dir


def build_egg(path: Path) -> Path:
    exe = Path(sys.executable).parent / "scrapyd-deploy"
    cmd = [str(exe)] if exe.exists() else [shutil.which("scrapyd-deploy") or "scrapyd-deploy"]
    proc = subprocess.run([*cmd, "--build-egg", str(path)], cwd=project_dir(), capture_output=True, text=True,
                          timeout=300)
    if proc.returncode != 0 or not path.exists():
        raise ScrapydError(f"scrapyd-deploy --build-egg failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return path


def _git_rev() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project_dir(), capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except OSError:
        return ""


def main(args) -> int:
    try:
        target = deploy_target(args.target)
        url = args.url or os.environ.get("SCRAPYD_URL") or target["url"]
        project = args.project or target["project"]
        version = args.version or str(int(time.time()))
        with tempfile.TemporaryDirectory(prefix="newscrawl-egg-") as tmp:
            egg = build_egg(Path(tmp) / f"{project}-{version}.egg")
            if args.egg_only:
                shutil.copyfile(egg, args.egg_only)
                print(f"built {args.egg_only} ({egg.stat().st_size} bytes)")
                return 0
            answer = Scrapyd(url).addversion(project, version, egg.read_bytes())
    except ScrapydError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rev = _git_rev()
    print(f"deployed {project} version {version}{f' (git {rev})' if rev else ''} to {url}: "
          f"{answer.get('spiders')} spiders")
    return 0

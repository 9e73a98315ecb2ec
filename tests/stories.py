"""Three short news texts (two on the same topic, different stories; one on another) and near-copies
made by editing a share of a text's words: what the dedupe tests compare."""

import random

STORY = ("The city council voted on Tuesday to close the old harbour bridge to cars from next spring, after "
         "engineers found corrosion in two of its steel supports. Buses, cyclists and pedestrians will still be "
         "allowed to cross while repairs are planned. The mayor said the decision was difficult but necessary, "
         "and promised that a temporary ferry service would run every fifteen minutes during rush hours. "
         "Shop owners near the bridge warned that fewer visitors would reach the old town, and asked the council "
         "for help with rents while the works last. A final repair plan is expected before the summer.")
# Same topic and vocabulary, different story.
SAME_TOPIC = ("Engineers inspecting the old harbour bridge on Monday reported that its steel supports were in better "
              "condition than feared, and the council postponed any decision on closing it to cars. The mayor "
              "said a full survey of the bridge would be commissioned this winter. Ferry operators had offered to "
              "run extra boats in case of a closure, but shop owners in the old town welcomed the delay, saying the "
              "busy summer season was crucial for them. Cyclists' groups asked for a separate lane on the bridge.")
OTHER = ("The national orchestra announced its new season on Wednesday, with a cycle of Beethoven symphonies, three "
         "premieres by young composers and a tour of five cities in the north. Tickets go on sale next month, and "
         "students will get half-price seats for all weekday concerts, the director said at a press conference.")

FILLER = ("however", "also", "reportedly", "officials", "said", "on", "Tuesday", "the", "new", "according",
          "sources", "added", "local", "time", "statement")


def edit_words(text: str, rate: float, rng: random.Random) -> str:
    """Edit `rate` of the words: a third substituted, a third deleted, a third inserted."""
    paragraphs = text.split("\n\n")
    out = []
    for para in paragraphs:
        words = para.split()
        result = []
        for w in words:
            r = rng.random()
            if r < rate / 3:
                result.append(rng.choice(FILLER))
            elif r < 2 * rate / 3:
                continue
            elif r < rate:
                result.extend([w, rng.choice(FILLER)])
            else:
                result.append(w)
        out.append(" ".join(result))
    return "\n\n".join(out)

"""XPath expressions shared by the generic page and the publishers' layouts (after trafilatura's
``xpaths.py``): one place for the idioms every layout writes, so a layout states only its site's
class names and attributes.
"""


def has_class(name: str) -> str:
    """XPath predicate: the element's class list holds `name` as a whole word (``div.intro``, not
    ``div.introduction``), the CSS ``.name`` selector written out for XPath 1.0."""
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


# Elements whose text is never shown as article text.
NOT_SHOWN = ("script", "style", "noscript", "template")

# A layout's text blocks, direct children of its text container: paragraphs, intertitles, list
# items and quotes (relative to the container).
CHILD_BLOCKS = "./p | ./h2 | ./h3 | ./ul/li | ./ol/li | ./blockquote"

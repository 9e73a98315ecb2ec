"""XPath expressions shared by the generic page and the publishers' layouts (after trafilatura's
``xpaths.py``): one place for the idioms every layout writes, so a layout states only its site's
class names and attributes.
"""

from lxml.etree import XPath


def has_class(name: str) -> str:
    """XPath predicate: the element's class list holds `name` as a whole word (``div.intro``, not
    ``div.introduction``), the CSS ``.name`` selector written out for XPath 1.0."""
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def class_contains(fragment: str) -> str:
    """XPath predicate: `fragment` occurs anywhere in the class attribute (hashed or suffixed class
    names: ``article-body__content__17Yit``)."""
    return f'contains(@class, "{fragment}")'


# Elements whose text is never shown as article text.
NOT_SHOWN = ("script", "style", "noscript", "template")

# A layout's text blocks, direct children of its text container: paragraphs, intertitles, list
# items and quotes (relative to the container).
CHILD_BLOCKS = "./p | ./h2 | ./h3 | ./ul/li | ./ol/li | ./blockquote"

TITLE = XPath("//title")


def compile_xpath(expr: str) -> XPath:
    """A compiled XPath: layouts compile their expressions once, as class constants."""
    return XPath(expr)

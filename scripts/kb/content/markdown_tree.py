"""A case-study body as Python-Markdown actually builds it, for the rules on links and headings.

Reading raw Markdown lines with regular expressions misses what the renderer does: entities
(`java&#115;cript:`), line breaks inside an address, reference definitions split over lines,
links in list continuations, fences indented by one to three spaces, and more. So the link,
image and heading rules run on the element tree the site's own Markdown builds: the extensions
in mkdocs.yml's `markdown_extensions` (EXTENSIONS; a test holds the two together) with raw HTML
and attribute lists switched off, exactly as kb.site.safe_markdown renders a case-study body.

Python-Markdown does not record source lines, so each element is placed on the first line at or
after the previous element's line that holds its text or address (or the last one found).
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

#: mkdocs always adds toc, tables and fenced_code, then mkdocs.yml's markdown_extensions (by
#: name: their options change no link or heading).
EXTENSIONS = ("toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html", "def_list")

_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def make_safe(md: Markdown) -> None:
    """Switch raw HTML and attribute lists off in `md` (after its extensions registered them)."""
    md.preprocessors.deregister("html_block", strict=False)
    md.inlinePatterns.deregister("html", strict=False)
    md.treeprocessors.deregister("attr_list", strict=False)


@dataclass(frozen=True)
class Element:
    """A link, image or heading in the rendered body."""

    tag: str
    #: href for a link, src for an image, "" for a heading.
    address: str
    #: The element's text (an image's alt text).
    text: str
    #: True when the element sits at the top level of the body (not in a list, quote or table).
    top_level: bool


class _Collector(Treeprocessor):
    def __init__(self, md: Markdown, found: list[Element]) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: etree.Element) -> None:
        # Depth first, in document order; a permalink holds only its '¶', so it is skipped alone.
        top = {id(child) for child in root}
        for element in root.iter():
            top_level = id(element) in top
            if element.tag == "a" and not _is_permalink(element):
                address = element.get("href", "")
                self.found.append(Element("a", address, _text(element), top_level))
            elif element.tag == "img":
                address = element.get("src", "")
                self.found.append(Element("img", address, element.get("alt", ""), top_level))
            elif element.tag in _HEADING_TAGS:
                self.found.append(Element(element.tag, "", _text(element).strip(), top_level))


def _is_permalink(element: etree.Element) -> bool:
    """The '¶' link the site's toc settings add to each heading: not the contributor's text.
    A contributor cannot set a class (attribute lists and raw HTML are off in bodies)."""
    return element.tag == "a" and element.get("class") == "headerlink"


def _text(element: etree.Element) -> str:
    """The element's text as a reader sees it, without heading permalinks."""
    parts = [element.text or ""]
    for child in element:
        if not _is_permalink(child):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def collect_elements(md: Markdown, found: list[Element]) -> None:
    """Have `md` append every link, image and heading it renders to `found`, in order.

    It runs after every other tree processor (`unescape`, priority 0, included), so it sees the
    tree that is serialised to the page: the validator's renderer uses it, and so does the
    site's, which lets a build check each body on the page it publishes, rendering it once.
    """
    md.treeprocessors.register(_Collector(md, found), "kb_collect", -10)


@functools.cache
def _renderer() -> tuple[Markdown, list[Element]]:
    """One Markdown instance with the collector, reset between bodies: building an instance
    with its seven extensions costs more than converting a body. It holds no content."""
    found: list[Element] = []
    md = Markdown(extensions=list(EXTENSIONS))
    make_safe(md)
    collect_elements(md, found)
    return md, found


def elements(text: str) -> list[Element]:
    """Every link, image and heading of `text` rendered as a case-study body, in order."""
    md, found = _renderer()
    md.reset()
    found.clear()
    # The caller limits nesting first; a body too deep for the renderer has what was found.
    with contextlib.suppress(RecursionError):
        md.convert(text)
    return list(found)


def clean_address(address: str) -> str:
    """An address as a browser reads it: entities decoded, whitespace and control characters
    (and the zero-width or direction marks) removed."""
    value = address.replace(AMP_SUBSTITUTE, "&")
    for _ in range(5):  # `&amp;#115;` decoded twice is 's': refuse what any decoding makes a scheme
        value = html.unescape(value)
    return "".join(
        ch for ch in value if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"))
    )


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def scheme_of(cleaned: str) -> str | None:
    """'https', 'javascript', … lower-cased; '//' for another host without a scheme; None for a
    site-relative path or #fragment."""
    if cleaned[:2] in ("//", "\\\\", "/\\", "\\/"):
        return "//"
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def place(lines: list[str], start: int, needles: list[str]) -> int:
    """The first line number (1-based, from `start`) holding one of `needles`, else `start`."""
    needles = [needle for needle in needles if needle.strip()]
    start = max(start, 1)
    found = (n for n in range(start, len(lines) + 1) if any(x in lines[n - 1] for x in needles))
    return next(found, start)

"""Small helpers for writing HTML inside generated Markdown pages, always escaped."""

from __future__ import annotations

import html
import posixpath
import re

from kb.content.dates import full_date
from kb.content.problems import plural as plural  # re-exported for the site's pages

# Characters that Python-Markdown treats as syntax in running text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def esc(value: object) -> str:
    """`value` as HTML text or attribute value: &, <, >, " and ' escaped."""
    return html.escape(str(value), quote=True)


def markdown_text(value: object) -> str:
    """`value` as literal Markdown text (for headings): HTML-escaped, Markdown syntax escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", esc(value))


def link(href: str, text: object) -> str:
    """An <a> element; `href` and `text` are escaped."""
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def relative_url(from_page: str, to_page: str) -> str:
    """The address of site page `to_page` as seen from site page `from_page`.

    Both are site-root-relative directory URLs as mkdocs writes them ("" for the home page,
    "case-studies/x/"); the result keeps a trailing slash, and a fragment is kept as given.
    """
    target, _, fragment = to_page.partition("#")
    start = posixpath.dirname(from_page.rstrip("/") + "/x") if from_page else "."
    end = target.rstrip("/") or "."
    if end.startswith("/") or start.startswith("/") or ".." in end or ".." in start:
        path = posixpath.relpath(end, start or ".")
    else:
        # posixpath.relpath's answer without its two os.getcwd() calls: every page's links come
        # here, so it matters at 10,000 case studies.
        start_parts = [part for part in start.split("/") if part not in ("", ".")]
        end_parts = [part for part in end.split("/") if part not in ("", ".")]
        common = len(posixpath.commonprefix([start_parts, end_parts]))
        path = "/".join([".."] * (len(start_parts) - common) + end_parts[common:]) or "."
    if target.endswith("/") or not target:
        path = "./" if path == "." else path + "/"
    return path + (f"#{fragment}" if fragment else "")


def time_element(value: str) -> str:
    """A <time> element for a YYYY-MM-DD date, read out as '25 November 2026'."""
    return f'<time datetime="{esc(value)}">{esc(full_date(value))}</time>'


_TABLE = re.compile(r"<table>.*?</table>", re.S)
_FIRST_HEADER = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
_TAG = re.compile(r"<[^>]+>")


def focusable_tables(html_text: str) -> str:
    """Wrap each table Markdown wrote in a box that scrolls sideways, takes keyboard focus and
    is named for screen readers ("Table: <first heading>").

    Without JavaScript the theme lets a wide table scroll on a small screen, but nothing lets a
    keyboard reach it (WCAG 2.1.1); docs/javascripts/accessibility.js drops the focus stop
    again where the box does not scroll.
    """

    def wrap(match: re.Match[str]) -> str:
        header = _FIRST_HEADER.search(match.group(0))
        name = html.unescape(_TAG.sub("", header.group(1))).strip() if header else ""
        label = f"Table: {name}" if name else "Table"
        return (
            '<div class="kb-table-wrap kb-scroll-region" tabindex="0" role="region" '
            f'aria-label="{esc(label)}">{match.group(0)}</div>'
        )

    return _TABLE.sub(wrap, html_text)


_SET_ASIDE = "<!-- kb-set-aside {} -->"
_SET_ASIDE_MARK = re.compile(r"<!-- kb-set-aside (\d+) -->")
_ID = re.compile(r'\bid="([^"]+)"')


def set_aside_html(markdown: str) -> tuple[str, list[str]]:
    """Generated Markdown with each block of HTML (a block starting with '<') replaced by a
    marker, and those blocks, for put_back_html after rendering.

    The listing pages are mostly HTML the build wrote and escaped itself, growing with the
    number of case studies; having Markdown parse it back cost more than building the pages.
    Headings stay Markdown, so they still reach the table of contents.
    """
    kept: list[str] = []
    blocks: list[str] = []
    for block in markdown.split("\n\n"):
        if block.startswith("<") and not block.startswith("<!--"):
            kept.append(_SET_ASIDE.format(len(blocks)))
            blocks.append(block)
        else:
            kept.append(block)
    return "\n\n".join(kept), blocks


def put_back_html(html_text: str, blocks: list[str]) -> str:
    """The rendered page with each marker of set_aside_html replaced by its block."""
    return _SET_ASIDE_MARK.sub(lambda match: blocks[int(match.group(1))], html_text)


def element_ids(blocks: list[str]) -> set[str]:
    """The id attributes in blocks of generated HTML: the anchors links may point to."""
    return {html.unescape(found) for block in blocks for found in _ID.findall(block)}

"""Long HTML lists in generated pages, kept out of Markdown's way and put back after it.

The browse and term pages hold a `<ul class="kb-case-list">` of every case study they list,
written as escaped HTML (kb.site.listings). Python-Markdown passes such a block through
unchanged, but only after its HTML parser, md_in_html's and mkdocs' anchor finder have each read
every tag in it: at 10,000 case studies, seconds of a build's single-core time. `set_aside`
empties each list down to a placeholder line before Markdown runs, so Markdown still sees the
same block between the same lines and lays out the page exactly as before, and `put_back`
puts the list's items back in the HTML.
"""

from __future__ import annotations

import re

#: A list set aside: its opening tag and closing tag each on a line of their own, with at least
#: one line between them. Matched line by line: a lazy `.*?` over a list of 10,000 items takes
#: ten times as long.
_BLOCK = re.compile(r'^(<ul class="kb-case-list">\n)((?:[^\n]*\n)+?)(</ul>)$', re.MULTILINE)
#: A blank line (which ends a raw HTML block) keeps a list in place.
_BLANK_LINE = re.compile(r"\n\s*\n")


def _must_stay(items: str) -> bool:
    """Lists holding anchors (an `id=` or `name=` after white space, in any case) or a blank
    line are left in place: mkdocs must see the anchors, and Markdown would split the list."""
    lowered = items.lower()
    for attribute in ("id=", "name="):
        at = lowered.find(attribute)
        while at >= 0:
            if at > 0 and lowered[at - 1].isspace():
                return True
            at = lowered.find(attribute, at + 1)
    return _BLANK_LINE.search(items) is not None


def placeholder(number: int) -> str:
    """The line that stands for list `number`'s items: letters and digits only."""
    return f"KBRAWHTMLBLOCK{number}X"


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """`markdown` with each long case list's items swapped for a placeholder; the items."""
    items: list[str] = []

    def swap(match: re.Match[str]) -> str:
        listed = match.group(2)[:-1]  # the items, without the newline before '</ul>'
        if _must_stay(listed):
            return match.group(0)
        items.append(listed)
        return match.group(1) + placeholder(len(items) - 1) + "\n" + match.group(3)

    return _BLOCK.sub(swap, markdown), items


def put_back(html: str, items: list[str]) -> str:
    """The converted page with each placeholder replaced by its list's items again."""
    for number, text in enumerate(items):
        html = html.replace(placeholder(number), text, 1)
    return html

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

#: A list set aside: its opening tag and closing tag each on a line of their own.
_BLOCK = re.compile(r'^(<ul class="kb-case-list">\n)(.*?)(\n</ul>)$', re.MULTILINE | re.DOTALL)
#: Lists holding anchors, or a blank line (which ends a raw HTML block), are left in place.
_KEEP = re.compile(r"\s(?:id|name)=|\n\s*\n", re.IGNORECASE)


def placeholder(number: int) -> str:
    """The line that stands for list `number`'s items: letters and digits only."""
    return f"KBRAWHTMLBLOCK{number}X"


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """`markdown` with each long case list's items swapped for a placeholder; the items."""
    items: list[str] = []

    def swap(match: re.Match[str]) -> str:
        if _KEEP.search(match.group(2)):
            return match.group(0)
        items.append(match.group(2))
        return match.group(1) + placeholder(len(items) - 1) + match.group(3)

    return _BLOCK.sub(swap, markdown), items


def put_back(html: str, items: list[str]) -> str:
    """The converted page with each placeholder replaced by its list's items again."""
    for number, text in enumerate(items):
        html = html.replace(placeholder(number), text, 1)
    return html

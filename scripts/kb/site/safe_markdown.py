"""A Markdown extension that renders raw HTML as text, for contributed case-study bodies.

The validator already refuses raw HTML in a body; this is the second wall. While `active` is
true, Markdown documents are converted with:
- no raw HTML blocks or inline tags (`<script>` shows as the text "<script>");
- no attribute lists (`{: onclick="…"}` would otherwise add attributes to an element).

The extension reads `active` only while a Markdown instance is built. The plugin converts
case-study bodies with an instance built while it is active and other pages with one built
while it is not (kb.plugin.reused_markdown); for a page mkdocs converts itself (it builds a new
instance per page, after `on_page_markdown`), the plugin sets `active` there.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

from kb.content.markdown_tree import make_safe


class SafeMarkdown(Extension):
    """Switches off raw HTML and attribute lists in documents converted while active."""

    def __init__(self, active: bool = False) -> None:
        super().__init__()
        self.active = active

    def extendMarkdown(self, md: Markdown) -> None:
        if not self.active:
            return
        # Must run after md_in_html and attr_list register theirs: the plugin appends this
        # extension after every extension in mkdocs.yml. The validator renders bodies with the
        # same switch (kb.content.markdown_tree), so it checks what this renders.
        make_safe(md)

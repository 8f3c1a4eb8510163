"""A Markdown extension for contributed case-study bodies: raw HTML off, and what it renders
collected for the validator's rules.

The validator already refuses raw HTML in a body; this is the second wall. While `active` is
true, Markdown documents are converted with:
- no raw HTML blocks or inline tags (`<script>` shows as the text "<script>");
- no attribute lists (`{: onclick="…"}` would otherwise add attributes to an element);
- every link, image and heading of the finished tree appended to `found`, so the build can run
  the link and heading rules on the page it publishes instead of rendering the body twice.

The extension reads `active` only while a Markdown instance is built: mkdocs builds a new
instance for each page, after `on_page_markdown`, so the plugin sets `active` there.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

from kb.content.markdown_tree import Element, collect_elements, make_safe


class SafeMarkdown(Extension):
    """Switches off raw HTML and attribute lists in documents converted while active."""

    def __init__(self, active: bool = False) -> None:
        super().__init__()
        self.active = active
        #: The links, images and headings of the last document converted while active.
        self.found: list[Element] = []

    def extendMarkdown(self, md: Markdown) -> None:
        if not self.active:
            return
        # Must run after md_in_html and attr_list register theirs: the plugin appends this
        # extension after every extension in mkdocs.yml. The validator renders bodies with the
        # same switch (kb.content.markdown_tree), so it checks what this renders.
        make_safe(md)
        self.found = []
        collect_elements(md, self.found)

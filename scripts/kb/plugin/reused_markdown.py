"""Convert every page with one Markdown instance, reset between pages, not a new one each time.

mkdocs' `Page.render` builds a new `markdown.Markdown` for every page: it loads each extension
in mkdocs.yml, registers every processor and builds the block parser, and on a case-study page
that costs about a sixth of the page's whole build. `render` here does what `Page.render` does
(mkdocs 1.6), with an instance kept for the build and `reset()` before each page, as
Python-Markdown's documentation says to when converting several documents with one instance.

What differs between pages is given to each page afresh:
- mkdocs' four page processors (raw-HTML anchors, anchors, relative links, title), which hold
  the page's file and what they found; they are registered again under their own names, which
  replaces the last page's;
- kb.site.safe_markdown: case-study bodies are converted by a second instance built with it
  active, other pages by one built with it inactive.

Each instance's inline patterns and block processors are guarded (kb.plugin.inline_guards,
kb.plugin.block_guards), so they skip text they cannot match. A test builds the site with
mkdocs' own `Page.render` and with this one and compares every file byte for byte.
"""

from __future__ import annotations

import functools
import logging

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kb.plugin.block_guards import guard_block_processors
from kb.plugin.inline_guards import guard_inline_patterns
from kb.site.safe_markdown import SafeMarkdown


class ReusedMarkdown:
    """The build's two Markdown instances (case-study bodies, other pages), made on first use."""

    def __init__(self, safe_markdown: SafeMarkdown) -> None:
        #: The extension instance in the config's markdown_extensions.
        self.safe_markdown = safe_markdown
        self._instances: dict[bool, markdown.Markdown] = {}

    def attach(self, page: Page, *, safe: bool) -> None:
        """Make `page.render` convert with the instance for its kind (`safe`: a case study)."""
        page.render = functools.partial(self.render, page, safe=safe)  # type: ignore[method-assign]

    def instance(self, config: MkDocsConfig, *, safe: bool) -> markdown.Markdown:
        """The instance for this kind of page, reset; built with the config's extensions once."""
        md = self._instances.get(safe)
        if md is not None:
            return md.reset()
        # The extension reads `active` only while the instance is built: set it for this one.
        was_active = self.safe_markdown.active
        self.safe_markdown.active = safe
        try:
            md = markdown.Markdown(
                extensions=config["markdown_extensions"],
                extension_configs=config["mdx_configs"] or {},
            )
        finally:
            self.safe_markdown.active = was_active
        guard_inline_patterns(md)
        guard_block_processors(md)
        self._instances[safe] = md
        return md

    def render(self, page: Page, config: MkDocsConfig, files: Files, *, safe: bool) -> None:
        """mkdocs 1.6's `Page.render`, converting with a reused instance."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self.instance(config, safe=safe)

        raw_html_ext = mkdocs_pages._RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = mkdocs_pages._ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        page.content = md.convert(page.markdown)
        page.toc = mkdocs_pages.get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = extract_title_ext.title
        page.present_anchor_ids = (
            extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        )
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_path_ext.links_to_anchors

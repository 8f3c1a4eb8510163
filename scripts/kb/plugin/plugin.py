"""The `kb` mkdocs plugin: hooks that hand the content to pure functions in kb.site.

- on_config: find the project beside mkdocs.yml; switch raw HTML off for case-study bodies.
- on_pre_build: read and check the content once (kb.content.load, as `kb validate` does);
  any problem fails the build.
- on_files: add the generated pages (case studies, browse, terms, coverage) from memory.
- on_page_markdown: titles and edit links for case studies; `<!-- kb:… -->` markers and cited
  sources for pages in docs/.
- on_page_content: the heading, key facts and notes around each case study's body; the
  Pagefind markers on the other indexed pages.
- on_post_build: the JSON, CSV and Atom exports; in `kb serve`, the search index.
- on_serve: reload when a case study or data file changes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from kb.content.casestudy import CaseStudy
from kb.content.load import Content, load_content
from kb.content.problems import summary
from kb.content.project import Project
from kb.content.taxonomy import TaxonomyError
from kb.plugin.config import KbConfig
from kb.search import build_index
from kb.site import case_study, exports, listings
from kb.site.catalogue import Catalogue, build_catalogue, case_study_src_uri
from kb.site.citations import sources_section
from kb.site.glossary import glossary
from kb.site.markers import expand_markers
from kb.site.markup import esc
from kb.site.pages import listing_pages
from kb.site.resources import resource_list
from kb.site.safe_markdown import SafeMarkdown
from kb.site.search_markup import ignore_absent, indexed, page_type
from kb.site.see_also import page_title, see_also_titles

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class KbPlugin(BasePlugin[KbConfig]):
    """Generates the knowledge base's pages and open data from the checked content."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.content: Content | None = None
        self.catalogue: Catalogue | None = None
        self.case_studies_dir = Path("case_studies")
        self.edit_base = ""
        self._safe_markdown = SafeMarkdown()
        #: src_uri -> published case study, for the pages being built.
        self._cases: dict[str, CaseStudy] = {}
        self._serving = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._serving = command == "serve"

    # -- configuration and content -------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.project = Project(Path(config.config_file_path or "mkdocs.yml").resolve().parent)
        self.case_studies_dir = (self.project.root / self.config.case_studies).resolve()
        if self.case_studies_dir != self.project.case_studies_dir.resolve():
            # Another folder of case studies (tests, the benchmark): the pages in docs/ link to
            # the real case studies, which this build does not have, so a link mkdocs cannot
            # find is reported, not fatal. Builds of the real content stay fully strict.
            config.validation.links.not_found = logging.INFO
        self.edit_base = self.config.edit_url or edit_base_url(
            config.repo_url, self.config.edit_path
        )
        # Last, so it can switch off what md_in_html and attr_list registered.
        config.markdown_extensions.append(self._safe_markdown)  # type: ignore[arg-type]
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.project is None:
            return
        if not self.case_studies_dir.is_dir():
            raise PluginError(
                f"kb: the case studies folder {self.case_studies_dir} does not exist; "
                "set `case_studies:` under the kb plugin in mkdocs.yml"
            )
        try:
            content, problems = load_content(self.project, self.case_studies_dir)
        except TaxonomyError as error:
            raise PluginError(str(error)) from None
        if problems:
            raise PluginError(problems_message(problems, content.collection.files_checked))
        self.content = content
        self.catalogue = build_catalogue(content.collection.case_studies, content.taxonomy)

    # -- pages ---------------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.content is None or self.catalogue is None:
            return None
        self._cases = {}
        generated: list[File] = []
        for case in self.catalogue.published:
            uri = case_study_src_uri(case.slug)
            self._cases[uri] = case
            # A blank first line: mkdocs must never read a body's opening lines as metadata.
            generated.append(
                File.generated(
                    config, uri, content="\n" + case.body, inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
        docs = Path(config.docs_dir)
        titles = see_also_titles(
            self.content.taxonomy, self.content.acronyms, lambda page: page_title(docs / page)
        )
        for page in listing_pages(self.content, self.catalogue, titles):
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            generated.append(
                File.generated(
                    config, page.src_uri, content="\n" + page.markdown, inclusion=inclusion
                )
            )
        for file in generated:
            if file.src_uri in files.src_uris:
                raise PluginError(
                    f"kb: docs/{file.src_uri} clashes with a page the build generates; "
                    "remove or rename the file in docs/"
                )
            files.append(file)
        return files

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.content is None:
            return None
        case = self._cases.get(page.file.src_uri)
        # mkdocs builds this page's Markdown converter next, with the extension as set here.
        self._safe_markdown.active = case is not None
        if case is not None:
            # Templates print page.meta unescaped, so these are stored escaped.
            page.meta["title"] = esc(case.title)
            page.meta["description"] = esc(case.summary)
            page.edit_url = self.case_edit_url(case)
            return markdown
        expanded, problems = expand_markers(markdown, self.marker_renderers(page.url))
        cited = page.meta.get("sources")
        if isinstance(cited, list) and (cited or page.meta.get("last_reviewed")):
            reviewed = page.meta.get("last_reviewed")
            section, unknown = sources_section(
                [str(item) for item in cited],
                self.content.bibliography,
                str(reviewed) if reviewed else None,
            )
            expanded = f"{expanded.rstrip()}\n\n{section}\n"
            problems += [
                f"sources: '{item}' is not an id in data/sources.yml or data/resources.yml"
                for item in unknown
            ]
        for problem in problems:
            log.warning(f"docs/{page.file.src_uri}: {problem}")
        return expanded

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.content is None or self.catalogue is None:
            return None
        self._safe_markdown.active = False
        case = self._cases.get(page.file.src_uri)
        if case is None:
            kind = page_type(page.file.src_uri)
            return None if kind is None else indexed(html, kind, page.title or "")
        parts = case_study.render_case_study(
            case,
            self.content.taxonomy,
            related=self.catalogue.related.get(case.slug, ()),
            edit_url=self.case_edit_url(case),
        )
        page.toc.items.insert(0, AnchorLink("Key facts", "key-facts", 2))
        page.toc.items.append(AnchorLink("About this case study", "about-this-case-study", 2))
        if "related-case-studies" in parts.anchors:
            page.toc.items.append(AnchorLink("Related case studies", "related-case-studies", 2))
        if page.present_anchor_ids is not None:
            page.present_anchor_ids = page.present_anchor_ids | parts.anchors
        return case_study.wrap(parts, ignore_absent(html))

    def marker_renderers(self, here: str) -> dict[str, Any]:
        """What each `<!-- kb:NAME ARG -->` marker becomes on the page at `here`."""
        content, catalogue = self.content, self.catalogue
        assert content is not None and catalogue is not None
        taxonomy = content.taxonomy
        return {
            "latest-case-studies": lambda _: listings.latest(
                catalogue, taxonomy, here, self.config.latest_limit
            ),
            "wanted-categories": lambda _: listings.wanted_categories(catalogue, taxonomy, here),
            "resources": lambda audience: resource_list(content.resources, audience, taxonomy),
            "glossary": lambda _: glossary(content.acronyms, taxonomy),
            "csv-fields": lambda _: exports.csv_fields_table(),
        }

    def case_edit_url(self, case: CaseStudy) -> str:
        return f"{self.edit_base}{case.slug}.md"

    # -- open data and serving -----------------------------------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.content is None or self.catalogue is None:
            return
        exports.write_exports(
            Path(config.site_dir),
            self.catalogue.published,
            self.content.taxonomy,
            site_url=config.site_url or "",
            site_name=config.site_name,
            feed_limit=self.config.feed_limit,
        )
        if self._serving:
            for problem in build_index(Path(config.site_dir), self.content.taxonomy):
                log.warning(f"kb: search will not work in this preview: {problem}")

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.project is None:
            return None
        server.watch(str(self.case_studies_dir))
        server.watch(str(self.project.data_dir))
        server.watch(str(self.project.schema_dir))
        return server


def edit_base_url(repo_url: str | None, edit_path: str) -> str:
    """'https://github.com/o/r' + 'case_studies' -> 'https://github.com/o/r/edit/main/case_studies/'."""
    if not repo_url:
        raise PluginError("kb: set repo_url in mkdocs.yml (or edit_url under the kb plugin)")
    return f"{repo_url.rstrip('/')}/edit/main/{edit_path.strip('/')}/"


def problems_message(problems: list, files_checked: int) -> str:
    """Every problem in the `path:line: field: message` format, then the summary line."""
    lines = [str(problem) for problem in sorted(problems)]
    lines.append(summary(files_checked, len(problems), len({p.path for p in problems})))
    return "kb: the content has problems, so the site was not built:\n" + "\n".join(lines)

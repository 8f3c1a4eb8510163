"""The `kb` mkdocs plugin: hooks that hand the content to pure functions in kb.site.

- on_config: find the project beside mkdocs.yml; switch raw HTML off for case-study bodies.
- on_pre_build: read and check the content once (kb.content.load, as `kb validate` does);
  any problem fails the build. In `kb serve` nothing fails: the problems are printed and every
  page of the preview becomes the problems page (kb.site.problems_page) until they are fixed.
- The rules on a body's links, images and headings run on the tree mkdocs renders for its page
  (kb.site.safe_markdown collects it), so each body is rendered once; on_env fails the build
  on what they find, before any page is written. `kb serve`, and a build whose content already
  has problems, check every body in on_pre_build instead, so all problems show at once.
- on_files: add the generated pages (case studies, browse, terms, coverage) from memory; in
  `kb serve`, drafts too (with a banner, listed nowhere).
- on_page_markdown: titles and edit links for case studies; `<!-- kb:… -->` markers and cited
  sources for pages in docs/.
- on_page_content: the heading, key facts and notes around each case study's body, which it
  runs through the sanitiser; the Pagefind markers on the other indexed pages.
- on_post_page, on_post_template: the Content-Security-Policy of every page, with the hashes of
  its inline scripts.
- on_post_build: the JSON, CSV and Atom exports; in `kb serve`, the search index.
- on_serve: reload when a case study or data file changes; a rebuild that fails for any other
  reason shows what went wrong instead of leaving the browser waiting.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from kb.content import licence
from kb.content.casestudy import CaseStudy, rendered_body_problems
from kb.content.load import Content, load_content
from kb.content.problems import Problem, print_problems, problems_message, summary
from kb.content.project import Project, display_path
from kb.content.taxonomy import TaxonomyError
from kb.contrib.word import blank_form
from kb.plugin.config import KbConfig
from kb.search import SearchIndexError, index_site
from kb.site import case_study, exports, listings
from kb.site.catalogue import Catalogue, build_catalogue, case_study_src_uri
from kb.site.citations import sources_section
from kb.site.glossary import glossary
from kb.site.markers import expand_markers
from kb.site.markup import (
    element_ids,
    esc,
    focusable_tables,
    put_back_html,
    set_aside_html,
)
from kb.site.problems_page import failure_page, problems_html, problems_markdown
from kb.site.resources import resource_marker
from kb.site.safe_markdown import SafeMarkdown
from kb.site.sanitise import apply_csp, sanitise_body
from kb.site.search_markup import ignore_absent, indexed, page_type
from kb.site.see_also import page_title, see_also_titles
from kb.site.writer_page import writer_mount

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

#: Where the blank Word form is in the site (linked from the contribute pages).
WORD_FORM = "contribute/case-study-form.docx"


class KbPlugin(BasePlugin[KbConfig]):
    """Generates the knowledge base's pages and open data from the checked content."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.content: Content | None = None
        self.catalogue: Catalogue | None = None
        self.case_studies_dir = Path("case_studies")
        self.edit_base = ""
        self._safe_markdown = SafeMarkdown()
        #: src_uri -> case study (drafts too, in `kb serve`), for the pages being built.
        self._cases: dict[str, CaseStudy] = {}
        #: src_uri -> the HTML set aside from each generated listing page's Markdown.
        self._html_blocks: dict[str, list[str]] = {}
        self._serving = False
        #: In `kb serve`: the content's problems, shown instead of the site while there are any.
        self._problems: list[Problem] = []
        self._problems_summary = ""
        #: In `kb serve`: every page address (src_uri) built so far, so each one shows the
        #: problems page while the content is broken, wherever the contributor is looking.
        self._addresses: set[str] = set()
        #: What the rules on rendered bodies found on the pages built so far (not in serve).
        self._rendered_problems: list[Problem] = []
        #: src_uris of the case studies checked on their page (the others are rendered in on_env).
        self._rendered: set[str] = set()

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
        # The footer names the content licence; it is written once, in kb.content.licence.
        config.extra["kb_licence"] = {
            "name": licence.NAME,
            "title": licence.TITLE,
            "url": licence.URL,
        }
        # Last, so it can switch off what md_in_html and attr_list registered.
        config.markdown_extensions.append(self._safe_markdown)  # type: ignore[arg-type]
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # The plugin object lives through every rebuild of `kb serve`: start afresh.
        self.content, self.catalogue, self._problems = None, None, []
        self._rendered_problems, self._rendered = [], set()
        if not self.config.enabled or self.project is None:
            return
        if not self.case_studies_dir.is_dir():
            message = (
                f"the case studies folder {self.case_studies_dir} does not exist; "
                "set `case_studies:` under the kb plugin in mkdocs.yml"
            )
            if not self._serving:
                raise PluginError(f"kb: {message}")
            self.serve_problems(config, [Problem("mkdocs.yml", 1, "kb", message)], 0)
            return
        try:
            content, problems = load_content(
                self.project, self.case_studies_dir, render_bodies=self._serving
            )
            if problems and not self._serving:
                # Failing anyway: check the bodies too, so every problem is reported at once.
                content, problems = load_content(self.project, self.case_studies_dir)
        except TaxonomyError as error:
            if not self._serving:
                raise PluginError(str(error)) from None
            taxonomy = display_path(self.project.taxonomy_file)
            problems = [Problem(taxonomy, 1, "taxonomy", line) for line in str(error).splitlines()]
            self.serve_problems(config, problems, 1)
            return
        if problems:
            if not self._serving:
                # Abort, not PluginError: mkdocs logs a PluginError as one more error line, and
                # kb build prints these itself, one problem per line, on standard output.
                raise Abort(problems_message(problems, content.files_checked))
            self.serve_problems(config, problems, content.files_checked)
            return
        if self._serving:
            print(summary(content.files_checked, 0, 0), flush=True)
        self.content = content
        self.catalogue = build_catalogue(content.collection.case_studies, content.taxonomy)

    def serve_problems(self, config: MkDocsConfig, problems: list[Problem], checked: int) -> None:
        """`kb serve` with problems: print them; the pages built will show them (on_files)."""
        self._problems = problems
        line = summary(checked, len(problems), len({p.path for p in problems}))
        print_problems(problems)
        print(line, flush=True)
        # The theme's "page not found" page shows them too, at addresses never built before.
        config.extra["kb_problems"] = problems_html(problems, line)
        self._problems_summary = line

    # -- pages ---------------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self._problems:
            return self.problem_files(files, config)
        if self.content is None or self.catalogue is None:
            return None

        def add(uri: str, content: str | bytes, in_nav: bool = False) -> None:
            if uri in files.src_uris:
                raise PluginError(
                    f"kb: docs/{uri} clashes with a page the build generates; "
                    "remove or rename the file in docs/"
                )
            inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))

        drafts = self.content.collection.drafts if self._serving else []
        self._cases = {case_study_src_uri(case.slug): case for case in self.catalogue.published}
        self._cases.update((case_study_src_uri(case.slug), case) for case in drafts)
        for uri, case in self._cases.items():
            # A blank first line: mkdocs must never read a body's opening lines as metadata.
            add(uri, "\n" + case.body)
        docs = Path(config.docs_dir)
        titles = see_also_titles(
            self.content.taxonomy, self.content.acronyms, lambda page: page_title(docs / page)
        )
        self._html_blocks = {}
        for uri, markdown, in_nav in listings.listing_pages(
            self.content, self.catalogue, titles, config.repo_url
        ):
            markdown, self._html_blocks[uri] = set_aside_html(markdown)
            add(uri, "\n" + markdown, in_nav)
        # The blank Word form, made from the schema and the taxonomy at every build.
        add(WORD_FORM, blank_form(self.content.rules, self.content.taxonomy))
        if self._serving:
            self._addresses.update(file.src_uri for file in files.documentation_pages())
        return files

    def problem_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The problems page at every page address: the pages in docs/, every address built
        before, and a page for each case-study file; static files are kept for the theme."""
        markdown = problems_markdown(self._problems, self._problems_summary)
        kept = Files([file for file in files if not file.is_documentation_page()])
        addresses = {file.src_uri: file.inclusion for file in files.documentation_pages()}
        cases = sorted(self.case_studies_dir.glob("*.md")) if self.case_studies_dir.is_dir() else []
        for uri in [*self._addresses, *(case_study_src_uri(path.stem) for path in cases)]:
            addresses.setdefault(uri, InclusionLevel.NOT_IN_NAV)
        for uri, inclusion in sorted(addresses.items()):
            kept.append(File.generated(config, uri, content=markdown, inclusion=inclusion))
        return kept

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
        expanded, problems = expand_markers(markdown, self.marker_renderers(page.url, config))
        section, unknown = sources_section(page.meta, self.content.bibliography)
        if section is not None:
            expanded = f"{expanded.rstrip()}\n\n{section}\n"
        problems += unknown
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
            blocks = self._html_blocks.get(page.file.src_uri)
            if blocks:
                html = put_back_html(html, blocks)
                page.present_anchor_ids = (page.present_anchor_ids or set()) | element_ids(blocks)
            html = focusable_tables(html)
            kind = page_type(page.file.src_uri)
            return html if kind is None else indexed(html, kind, page.title or "")
        draft = not case.is_published
        parts = case_study.render_case_study(
            case,
            self.content.taxonomy,
            related=() if draft else self.catalogue.related.get(case.slug, ()),
            edit_url=self.case_edit_url(case),
        )
        if not self._serving:
            self._rendered_problems += rendered_body_problems(case, self._safe_markdown.found)
            self._rendered.add(page.file.src_uri)
        page.toc.items.insert(0, AnchorLink("Key facts", "key-facts", 2))
        page.toc.items += [AnchorLink(title, anchor, 2) for title, anchor in parts.sections_after]
        if page.present_anchor_ids is not None:
            page.present_anchor_ids = page.present_anchor_ids | parts.anchors
        body = focusable_tables(ignore_absent(sanitise_body(html)))
        return case_study.wrap(parts, body, draft=draft)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> None:
        """Every page is rendered and nothing is written yet: fail on what the rules on the
        rendered bodies found. Case studies with no page here (drafts) are rendered now."""
        if self.content is None or self._serving:
            return
        problems = list(self._rendered_problems)
        for case in self.content.collection.case_studies:
            if case_study_src_uri(case.slug) not in self._rendered:
                problems += rendered_body_problems(case)
        if problems:
            # In file order, as `kb validate` prints them (pages are built newest first).
            cases = self.content.collection.case_studies
            order = {display_path(case.path): number for number, case in enumerate(cases)}
            problems.sort(key=lambda problem: order.get(problem.path, 0))
            raise Abort(problems_message(problems, self.content.files_checked))

    def marker_renderers(self, here: str, config: MkDocsConfig) -> dict[str, Any]:
        """What each `<!-- kb:NAME ARG -->` marker becomes on the page at `here`."""
        content, catalogue = self.content, self.catalogue
        assert content is not None and catalogue is not None
        taxonomy = content.taxonomy
        return {
            "writer": lambda _: self.writer(here, config),
            "latest-case-studies": lambda _: listings.latest(
                catalogue, taxonomy, here, self.config.latest_limit
            ),
            "wanted-categories": lambda _: listings.wanted_categories(catalogue, taxonomy, here),
            "resources": lambda argument: resource_marker(content.resources, argument, taxonomy),
            "glossary": lambda _: glossary(content.acronyms, taxonomy),
            "csv-fields": lambda _: exports.csv_fields_table(),
        }

    def writer(self, here: str, config: MkDocsConfig) -> str:
        """The case-study writer's element; its e-mail choice only when an address is set."""
        contact = str(config.extra.get("kb_contact_email") or "").strip()
        if not contact:
            # Not a warning: a warning fails strict builds, and having no address is allowed.
            log.info(
                "kb: no `extra: kb_contact_email` in mkdocs.yml, so the case-study writer "
                "does not offer to e-mail the coordinators"
            )
        return writer_mount(here, config.repo_url, contact)

    def case_edit_url(self, case: CaseStudy) -> str:
        return f"{self.edit_base}{case.slug}.md"

    # -- open data and serving -----------------------------------------------------------------

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        return apply_csp(output)

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        return apply_csp(output_content) if template_name.endswith(".html") else None

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
            try:
                index_site(Path(config.site_dir), self.content.taxonomy)
            except SearchIndexError as error:
                log.warning(f"kb: search will not work in this preview: search index: {error}")

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.project is None:
            return None
        server.watch(str(self.case_studies_dir))
        server.watch(str(self.project.data_dir))
        server.watch(str(self.project.schema_dir))
        server.builder = never_stuck(server.builder, Path(config.site_dir))
        return server


def never_stuck(builder: Any, site_dir: Path) -> Any:
    """`builder`, but a rebuild that fails (mkdocs.yml broken, a theme error) writes a page
    saying why over every page in site_dir, and as its home and not-found pages, and
    completes, so no browser request waits for a fix."""

    def build() -> None:
        try:
            builder()
        except Exception as error:  # anything at all: show it, keep serving
            message = f"{type(error).__name__}: {error}"
            print(f"kb serve: the preview could not be built: {message}", file=sys.stderr)
            site_dir.mkdir(parents=True, exist_ok=True)
            pages = {site_dir / "index.html", site_dir / "404.html", *site_dir.rglob("*.html")}
            for target in pages:
                target.write_text(failure_page(message), encoding="utf-8")

    return build


def edit_base_url(repo_url: str | None, edit_path: str) -> str:
    """'https://github.com/o/r' + 'case_studies' -> 'https://github.com/o/r/edit/main/case_studies/'."""
    if not repo_url:
        raise PluginError("kb: set repo_url in mkdocs.yml (or edit_url under the kb plugin)")
    return f"{repo_url.rstrip('/')}/edit/main/{edit_path.strip('/')}/"

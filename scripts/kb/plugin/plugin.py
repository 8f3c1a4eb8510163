"""The `kb` mkdocs plugin. Each hook hands its work to a pure function in kb.site.

- on_config: switch raw HTML off for case-study bodies (kb.site.safe_markdown).
- on_pre_build: read and check case_studies/ and data/, in place; any problem fails the build.
- on_files: add the generated pages (case studies, browse, terms, coverage) from memory.
- on_page_markdown: fill in titles and edit links; expand `<!-- kb:… -->` markers; list the
  sources a page in docs/ cites (kb.site.citations).
- on_page_content: put each case study's heading, key facts and notes around its body; put
  back the long lists set aside from listing pages before Markdown (kb.site.raw_html);
  mark the pages Pagefind indexes (kb.site.search_markup).
- on_pre_page: convert each page's Markdown with an instance kept for the build, not a new one
  per page (kb.plugin.reused_markdown).
- on_pre_page, on_env, on_post_page: for a large build, leave the case-study pages to worker
  processes, one per core, while mkdocs builds the rest (kb.plugin.parallel); mkdocs alone
  builds one page at a time.
- on_env, on_page_context: render the nav and the theme's script settings once for all
  case-study pages (kb.plugin.shared_parts); in the workers, fill case-study pages into a
  skeleton of the page rendered once (kb.plugin.skeleton).
- on_env: write the JSON, CSV and Atom exports.
- on_serve: reload when a case study or data file changes; index each rebuild for search
  (`kb build` indexes in a stage of its own, so `mkdocs build` alone leaves search empty).
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
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from kb import paths
from kb.casestudy import CaseStudy
from kb.commands.validate import summary
from kb.forked import can_fork
from kb.plugin import parallel, shared_parts, skeleton
from kb.plugin.config import KbConfig
from kb.plugin.reused_markdown import ReusedMarkdown
from kb.search import build_index
from kb.site import case_study, exports, listings, raw_html
from kb.site.citations import sources_section
from kb.site.content import SiteContent, load_content
from kb.site.glossary import glossary
from kb.site.markers import expand_markers
from kb.site.markup import esc
from kb.site.pages import case_study_src_uri, listing_pages
from kb.site.resources import resource_list
from kb.site.safe_markdown import SafeMarkdown
from kb.site.search_markup import indexed, page_type
from kb.taxonomy import TaxonomyError

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class KbPlugin(BasePlugin[KbConfig]):
    """Generates the knowledge base's pages and open data from the checked content."""

    def __init__(self) -> None:
        self.content: SiteContent | None = None
        self.case_studies_dir = paths.CASE_STUDIES_DIR
        self.edit_base = ""
        self._safe_markdown = SafeMarkdown()
        self._markdown = ReusedMarkdown(self._safe_markdown)
        #: src_uri -> published case study, for the pages being built.
        self._cases: dict[str, CaseStudy] = {}
        self._serving = False
        #: The case-study pages worker processes build, in a large build (else None).
        self._deferred: parallel.DeferredPages | None = None
        #: What went wrong in the workers, if anything (reported at the end of the build).
        self._workers_failed = ""
        self._nav: Navigation | None = None
        #: The parts of the page shared by the case-study pages (kb.plugin.shared_parts).
        self._shared_parts = shared_parts.PartsCache()
        #: src_uri -> the long HTML lists set aside from that generated page (kb.site.raw_html).
        self._raw_html: dict[str, list[str]] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._serving = command == "serve"

    # -- configuration and content -------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._deferred = None
        self._workers_failed = ""
        if not self.config.enabled:
            return None
        base = Path(config.config_file_path or ".").resolve().parent
        self.case_studies_dir = (base / self.config.case_studies).resolve()
        if self.case_studies_dir != (base / KbConfig.case_studies.default).resolve():
            # Another folder of case studies (tests, the benchmark): the pages in docs/ link to
            # the real case studies, which this build does not have, so a link mkdocs cannot
            # find is reported, not fatal. Builds of the real content stay fully strict.
            config.validation.links.not_found = logging.INFO
            log.info(
                f"kb: building the case studies in {self.case_studies_dir}; links from docs/ to "
                "case studies not in that folder are reported as information only"
            )
        self.edit_base = self.config.edit_url or edit_base_url(
            config.repo_url, self.config.edit_path
        )
        # Last, so it can switch off what md_in_html and attr_list registered.
        config.markdown_extensions.append(self._safe_markdown)  # type: ignore[arg-type]
        self._markdown = ReusedMarkdown(self._safe_markdown)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        if not self.case_studies_dir.is_dir():
            raise PluginError(
                f"kb: the case studies folder {self.case_studies_dir} does not exist; "
                "set `case_studies:` under the kb plugin in mkdocs.yml"
            )
        try:
            content, problems = load_content(self.case_studies_dir)
        except TaxonomyError as error:
            raise PluginError(str(error)) from None
        if problems:
            raise PluginError(problems_message(problems, content.collection.files_checked))
        self.content = content

    # -- pages ---------------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.content is None:
            return None
        self._cases = {}
        generated: list[File] = []
        for case in self.content.catalogue.published:
            uri = case_study_src_uri(case.slug)
            self._cases[uri] = case
            # A blank first line: mkdocs must never read a body's opening lines as metadata.
            generated.append(
                File.generated(
                    config, uri, content="\n" + case.body, inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
        self._raw_html = {}
        for page in listing_pages(self.content):
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            markdown, blocks = raw_html.set_aside(page.markdown)
            if blocks:
                self._raw_html[page.src_uri] = blocks
            generated.append(
                File.generated(config, page.src_uri, content="\n" + markdown, inclusion=inclusion)
            )
        for file in generated:
            if file.src_uri in files.src_uris:
                raise PluginError(
                    f"kb: docs/{file.src_uri} clashes with a page the build generates; "
                    "remove or rename the file in docs/"
                )
            files.append(file)
        workers = parallel.worker_count(self.config.workers)
        self._deferred = None
        if (
            not self._serving
            and workers > 1
            and len(self._cases) >= parallel.MIN_PAGES
            and can_fork()
        ):
            self._deferred = parallel.DeferredPages(self._cases, workers)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        self._nav = nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
        if self._deferred is not None and self._deferred.skips(page):
            return self._deferred.defer(page)
        if self.config.enabled:
            self._markdown.attach(page, safe=page.file.src_uri in self._cases)
        return None

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if not self.config.enabled or self.content is None:
            return None
        self._shared_parts = shared_parts.PartsCache()
        env = shared_parts.install(env)
        if self._deferred is not None and self._nav is not None:
            env = self._deferred.prepare_env(skeleton.install(env))
            self._deferred.start(config, files, self._nav, env)
        # Here, not after the build: in a large build this runs while the workers build pages.
        write_exports(
            Path(config.site_dir),
            self.content,
            site_url=config.site_url or "",
            site_name=config.site_name,
            feed_limit=self.config.feed_limit,
        )
        return env

    def on_page_context(
        self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        if page.file.src_uri in self._cases and page.parent is None:
            context["kb_parts"] = self._shared_parts.for_page(page.url)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self._deferred is not None and self._deferred.is_last(page):
            # mkdocs checks the anchors next: it needs those of the workers' pages.
            self._workers_failed = self._deferred.wait()
        return None

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.content is None:
            return None
        case = self._cases.get(page.file.src_uri)
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
        if not self.config.enabled or self.content is None:
            return None
        self._safe_markdown.active = False
        if self._deferred is not None and self._deferred.skips(page):
            return None  # a worker builds it, in on_env
        blocks = self._raw_html.get(page.file.src_uri)
        if blocks:
            html = raw_html.put_back(html, blocks)
        case = self._cases.get(page.file.src_uri)
        if case is None:
            kind = page_type(page.file.src_uri)
            if kind is None:
                return html if blocks else None
            return indexed(html, kind, page.title or "")
        parts = case_study.render_case_study(
            case,
            self.content.taxonomy,
            related=self.content.catalogue.related.get(case.slug, ()),
            edit_url=self.case_edit_url(case),
        )
        page.toc.items.insert(0, AnchorLink("Key facts", "key-facts", 2))
        page.toc.items.append(AnchorLink("About this case study", "about-this-case-study", 2))
        if "related-case-studies" in parts.anchors:
            page.toc.items.append(AnchorLink("Related case studies", "related-case-studies", 2))
        if page.present_anchor_ids is not None:
            page.present_anchor_ids = page.present_anchor_ids | parts.anchors
        return case_study.wrap(parts, html)

    def marker_renderers(self, here: str) -> dict[str, Any]:
        """What each `<!-- kb:NAME ARG -->` marker becomes on the page at `here`."""
        content = self.content
        assert content is not None
        catalogue, taxonomy = content.catalogue, content.taxonomy
        return {
            "latest-case-studies": lambda _: listings.latest(
                catalogue, taxonomy, here, self.config.latest_limit
            ),
            "wanted-categories": lambda _: listings.wanted_categories(catalogue, taxonomy, here),
            "resources": lambda audience: resource_list(content.resources, audience, taxonomy),
            "glossary": lambda _: glossary(content.acronyms, taxonomy),
        }

    def case_edit_url(self, case: CaseStudy) -> str:
        return f"{self.edit_base}{case.slug}.md"

    # -- open data and serving -----------------------------------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._deferred is not None:
            self._deferred.finish()
        if self._workers_failed:
            raise PluginError(f"kb: building the case-study pages failed:\n{self._workers_failed}")
        if not self.config.enabled or self.content is None:
            return
        if self._serving:
            for problem in build_index(Path(config.site_dir)):
                log.warning(f"kb: search will not work in this preview: {problem}")

    def on_build_error(self, *, error: Exception) -> None:
        if self._deferred is not None:
            self._deferred.finish()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if not self.config.enabled:
            return None
        server.watch(str(self.case_studies_dir))
        server.watch(str(paths.DATA_DIR))
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


def write_exports(
    site_dir: Path, content: SiteContent, *, site_url: str, site_name: str, feed_limit: int
) -> None:
    """Write the JSON and CSV exports and the Atom feed of the published case studies."""
    published = content.catalogue.published
    outputs = {
        exports.JSON_PATH: exports.case_studies_json(published, site_url),
        exports.CSV_PATH: exports.case_studies_csv(published, site_url),
        exports.FEED_PATH: exports.atom_feed(
            published,
            site_url=site_url,
            site_name=site_name,
            taxonomy=content.taxonomy,
            limit=feed_limit,
        ),
    }
    for relative, text in outputs.items():
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

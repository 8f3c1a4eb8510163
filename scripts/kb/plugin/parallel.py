"""Build the case-study pages on every core: mkdocs builds pages one at a time, on one.

mkdocs reads, converts and renders each page in turn, so a site of 10,000 case studies keeps
one core busy for most of a minute and leaves the others idle. For a large build the plugin
defers the case-study pages:

1. while mkdocs reads the pages, a deferred page is not converted (`defer` swaps its `render`
   for one that leaves it empty), and the plugin's own per-page work is skipped;
2. in `on_env`, when every other page has been read, `start` forks worker processes (they
   share the parent's memory, copy on write) that run mkdocs' own `_populate_page` and
   `_build_page` on their share of the deferred pages, every plugin hook included, so each
   page is byte for byte what mkdocs would have written itself (the theme's template is
   filled in from a skeleton where one is trusted: kb.plugin.skeleton);
3. meanwhile mkdocs' own loop goes on in the parent: it copies the theme's files, builds the
   other pages, and renders each deferred page with an empty template, which mkdocs does not
   write, so the workers' files stand;
4. after mkdocs' last page, and before it checks the anchors, `wait` takes in what each worker
   sends back: the anchors each page has and the anchors it links to, and every log record
   (logged again in the parent, so a warning still fails a strict build).

Small builds (under MIN_PAGES deferred pages), `mkdocs serve`, one core or no `fork` leave
mkdocs to do everything itself.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import MethodType
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from kb.plugin.skeleton import Skeletons

#: Below this many pages, starting worker processes costs more than they save.
MIN_PAGES = 200
#: The template mkdocs' own loop renders for a page a worker has written: empty, so not written.
DONE_TEMPLATE = "kb/rendered-by-a-worker.html"
#: Pages per task handed to a worker: small enough to share the work out evenly.
CHUNK_PAGES = 50


def worker_count(requested: int) -> int:
    """How many processes to render with: `requested`, or one per core when it is 0."""
    if requested > 0:
        return requested
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass
class RenderedPage:
    """What the parent needs to know about a page a worker built."""

    src_uri: str
    present_anchor_ids: frozenset[str] | None
    #: target page's src_uri -> {anchor: the link as written}
    links_to_anchors: dict[str, dict[str, str]]


@dataclass
class ChunkResult:
    pages: list[RenderedPage] = field(default_factory=list)
    #: (logger name, level, message) of every record logged while rendering.
    records: list[tuple[str, int, str]] = field(default_factory=list)
    error: str = ""


class DeferredPages:
    """The pages a build leaves to worker processes, and the hooks' questions about them."""

    def __init__(self, src_uris: Iterable[str], workers: int) -> None:
        self.src_uris = frozenset(src_uris)
        self.workers = workers
        #: True in the workers: there, deferred pages are being built for real.
        self.rendering = False
        self._filter = _SkippedPageFilter(self.src_uris)
        self._pool: Any = None  # a multiprocessing.Pool while the workers run
        self._results: Iterator[ChunkResult] = iter(())
        self._files: Files | None = None
        self._last_src_uri: str | None = None

    def skips(self, page: Page) -> bool:
        """True while mkdocs reads a deferred page that a worker will build later."""
        return not self.rendering and page.file.src_uri in self.src_uris

    def defer(self, page: Page) -> Page:
        """Leave `page` unconverted for now: its render method does nothing until a worker's."""
        page.render = MethodType(_leave_empty, page)  # type: ignore[method-assign]
        return page

    def prepare_env(self, env: jinja2.Environment) -> jinja2.Environment:
        """Add the empty template mkdocs' own loop renders for the deferred pages."""
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({DONE_TEMPLATE: ""}), env.loader])
        # mkdocs says "Page skipped … empty output" for each: true, and not news.
        logging.getLogger("mkdocs.commands.build").addFilter(self._filter)
        return env

    def finish(self) -> None:
        self.stop()
        logging.getLogger("mkdocs.commands.build").removeFilter(self._filter)

    def start(
        self, config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment
    ) -> None:
        """Start building every deferred page in worker processes, and return at once.

        mkdocs' own loop goes on meanwhile: it copies the theme's files and builds the other
        pages, and the deferred pages with the empty template. `wait` must be called before
        mkdocs checks the anchors, after its last page (`is_last`).
        """
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        self._last_src_uri = doc_files[-1].src_uri if doc_files else None
        self._files = files
        pages = [_page(files, uri) for uri in sorted(self.src_uris)]
        chunks = [
            range(i, min(i + CHUNK_PAGES, len(pages))) for i in range(0, len(pages), CHUNK_PAGES)
        ]
        global _job
        _job = _Job(pages, config, files, nav, doc_files, Skeletons(env))
        self.rendering = True
        gc.collect()
        gc.freeze()  # the workers then leave the parent's objects alone: less copied memory
        try:
            self._pool = multiprocessing.get_context("fork").Pool(self.workers)
            self._results = self._pool.imap_unordered(_render_chunk, chunks)
        finally:
            gc.unfreeze()
            self.rendering = False
            _job = None  # the workers have their copy
        for page in pages:
            page.meta["template"] = DONE_TEMPLATE

    def is_last(self, page: Page) -> bool:
        """True for the last page mkdocs builds: the workers' pages are wanted after it."""
        return self._pool is not None and page.file.src_uri == self._last_src_uri

    def wait(self) -> str:
        """Take in what the workers found about their pages; what went wrong, if anything."""
        if self._pool is None or self._files is None:
            return ""
        try:
            results = list(self._results)
        finally:
            self.stop()
        failed = ""
        for result in results:
            for name, level, message in result.records:
                logging.getLogger(name).log(level, message)
            failed = failed or result.error
            for rendered in result.pages:
                page = _page(self._files, rendered.src_uri)
                page.present_anchor_ids = (
                    None
                    if rendered.present_anchor_ids is None
                    else set(rendered.present_anchor_ids)
                )
                page.links_to_anchors = {
                    _file(self._files, target): dict(anchors)
                    for target, anchors in rendered.links_to_anchors.items()
                }
        return failed

    def stop(self) -> None:
        """End the worker processes (at once, if the build failed before `wait`)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


@dataclass
class _Job:
    """What the workers inherit from the parent when they are forked."""

    pages: Sequence[Page]
    config: MkDocsConfig
    files: Files
    nav: Navigation
    #: Every page mkdocs builds (`_build_page` wants them): listed once here, not per chunk,
    #: as listing them takes time in proportion to the site.
    doc_files: Sequence[File]
    #: Where `_build_page` gets each page's template: each worker fills its own copy with a
    #: skeleton for each kind of case-study page (kb.plugin.skeleton).
    templates: Skeletons


_job: _Job | None = None


def _render_chunk(indices: range) -> ChunkResult:
    """In a worker: build pages `indices` of the job exactly as mkdocs' own loops would."""
    from mkdocs.commands.build import _build_page, _populate_page

    assert _job is not None
    result = ChunkResult()
    capture = _Capture(result.records)
    logger = logging.getLogger("mkdocs")
    logger.handlers = [capture]  # the parent prints them, once
    try:
        for index in indices:
            page = _job.pages[index]
            page.__dict__.pop("render", None)  # not deferred now: on_pre_page sets its render
            _populate_page(page, _job.config, _job.files)
            # mkdocs asks its Environment only for the page's template; Skeletons answers.
            templates: Any = _job.templates
            _build_page(page, _job.config, _job.doc_files, _job.nav, templates)
            anchors = page.present_anchor_ids
            result.pages.append(
                RenderedPage(
                    page.file.src_uri,
                    None if anchors is None else frozenset(anchors),
                    {
                        target.src_uri: dict(links)
                        for target, links in (page.links_to_anchors or {}).items()
                    },
                )
            )
            page.content = None  # written; free it
    except Exception:
        result.error = traceback.format_exc()
    return result


class _Capture(logging.Handler):
    """Keeps every record as (logger, level, message), for the parent to log again."""

    def __init__(self, records: list[tuple[str, int, str]]) -> None:
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class _SkippedPageFilter(logging.Filter):
    """Drops mkdocs' "Page skipped" notice for pages a worker has written."""

    def __init__(self, src_uris: frozenset[str]) -> None:
        super().__init__()
        self.src_uris = src_uris

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.startswith("Page skipped: '"):
            return True
        return message.split("'", 2)[1] not in self.src_uris


def _leave_empty(page: Page, config: Any, files: Any) -> None:
    """Page.render for a deferred page while mkdocs reads it: a worker converts it later."""
    page.content = ""


def _page(files: Files, src_uri: str) -> Page:
    page = _file(files, src_uri).page
    assert page is not None
    return page


def _file(files: Files, src_uri: str) -> Any:
    file = files.get_file_from_path(src_uri)
    assert file is not None, src_uri
    return file

"""The `kb build` pipeline: `mkdocs build --strict` in this process, Pagefind, then checks.

1. build: mkdocs builds the site; the kb plugin reads and checks the content once (the same
   function `kb validate` runs) and makes every page and export from it. Any problem in the
   content, and any mkdocs warning, fails the build.
2. search: Pagefind indexes the built site once (kb.search).
3. check: what was written holds every published case study exactly once: one page, one
   record in the JSON export, one record in the search index. Nothing is silently left out.

Each stage returns the lines to print for its problems: an empty list means it passed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kb.content.casestudy import CaseStudy
from kb.content.problems import CONTENT_PROBLEMS
from kb.content.project import Project
from kb.content.taxonomy import Taxonomy
from kb.search import Record, SearchIndexError, check_case_study_records, index_site
from kb.site.catalogue import BROWSE_URL, case_url
from kb.site.exports import JSON_PATH

#: The environment variable mkdocs.yml reads the case-studies folder from.
CASE_STUDIES_ENV = "KB_CASE_STUDIES_DIR"


@dataclass(frozen=True)
class BuildOptions:
    """What to build: the project, the case studies, and where the site goes."""

    project: Project
    #: None: mkdocs.yml's site_dir (site/ beside it).
    site_dir: Path | None = None
    #: None: the project's case_studies/ (as mkdocs.yml's `case_studies` option says).
    case_studies: Path | None = None

    def built_site_dir(self) -> Path:
        return (self.site_dir or self.project.root / "site").resolve()


@dataclass(frozen=True)
class StageResult:
    name: str
    seconds: float
    problems: list[str]


@dataclass
class BuildState:
    """What each stage hands on: the published case studies, the taxonomy, the search records."""

    published: list[CaseStudy] = field(default_factory=list)
    taxonomy: Taxonomy | None = None
    records: list[Record] = field(default_factory=list)


def build_site(options: BuildOptions, state: BuildState) -> list[str]:
    """`mkdocs build --strict` through mkdocs' Python API; any warning fails it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    overrides: dict[str, str] = {}
    if options.site_dir is not None:
        overrides["site_dir"] = str(options.built_site_dir())
    config_file = options.project.config_file
    try:
        with case_studies_env(options.case_studies):
            config = load_config(str(config_file), strict=True, **overrides)
        build(config)
    except ConfigurationError as error:
        return [f"{config_file}: the mkdocs configuration is not valid: {error}"]
    except Abort as error:
        message = str(error)
        if message.startswith(CONTENT_PROBLEMS):  # the content's problems, one per line
            return message.removeprefix(CONTENT_PROBLEMS).splitlines()
        return [f"mkdocs build failed: {message} (the messages above say why)"]
    plugin = config.plugins["kb"]
    state.published = list(plugin.catalogue.published)  # type: ignore[attr-defined]
    state.taxonomy = plugin.content.taxonomy  # type: ignore[attr-defined]
    return []


def index_search(options: BuildOptions, state: BuildState) -> list[str]:
    """Pagefind indexes the built site, and the search page's filter names are written."""
    assert state.taxonomy is not None
    try:
        state.records = index_site(options.built_site_dir(), state.taxonomy)
    except SearchIndexError as error:
        return [f"search index: {error}"]
    return []


def check_written(options: BuildOptions, state: BuildState) -> list[str]:
    """Every published case study has exactly one page, export record and search record."""
    site_dir = options.built_site_dir()
    slugs = {case.slug for case in state.published}
    problems = check_pages(site_dir, slugs)
    problems += check_export(site_dir / JSON_PATH, slugs)
    problems += check_case_study_records(state.records, [case_url(slug) for slug in slugs])
    return problems


#: The stages of `kb build`, in order.
STAGES: list[tuple[str, Callable[[BuildOptions, BuildState], list[str]]]] = [
    ("build", build_site),
    ("search", index_search),
    ("check", check_written),
]


def run_pipeline(
    options: BuildOptions, report: Callable[[StageResult], None] | None = None
) -> list[StageResult]:
    """Run the stages in order, timing each; stop after the first that has problems."""
    state = BuildState()
    results = []
    for name, stage in STAGES:
        start = time.perf_counter()
        problems = stage(options, state)
        result = StageResult(name, time.perf_counter() - start, problems)
        results.append(result)
        if report is not None:
            report(result)
        if problems:
            break
    return results


@contextlib.contextmanager
def case_studies_env(directory: Path | None) -> Iterator[None]:
    """Set KB_CASE_STUDIES_DIR while mkdocs.yml is loaded, when a folder is given."""
    previous = os.environ.get(CASE_STUDIES_ENV)
    if directory is not None:
        os.environ[CASE_STUDIES_ENV] = str(directory.resolve())
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(CASE_STUDIES_ENV, None)
        else:
            os.environ[CASE_STUDIES_ENV] = previous


def listed(message: str, slugs: Iterable[str]) -> list[str]:
    """["message: a, b, c"] with the slugs sorted, or [] when there are none."""
    names = sorted(slugs)
    return [f"{message}: {', '.join(names)}"] if names else []


def check_pages(site_dir: Path, published: set[str]) -> list[str]:
    """The built site has one page per published case study and no others."""
    built = {path.parent.name for path in (site_dir / BROWSE_URL).glob("*/index.html")}
    return listed(
        f"{BROWSE_URL}: no page was built for these published case studies", published - built
    ) + listed(
        f"{BROWSE_URL}: pages were built for case studies that are not published", built - published
    )


def check_export(path: Path, published: set[str]) -> list[str]:
    """The JSON export lists every published case study exactly once, and nothing else."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        slugs = [record["slug"] for record in document["case_studies"]]
    except FileNotFoundError:
        return [f"{JSON_PATH} was not written"]
    except (ValueError, KeyError, TypeError) as error:
        return [f"{JSON_PATH} is not a valid export: {error}"]
    repeated = {slug for slug, count in Counter(slugs).items() if count > 1}
    return (
        listed(f"{JSON_PATH} lists these case studies more than once", repeated)
        + listed(f"{JSON_PATH} leaves out these published case studies", published - set(slugs))
        + listed(f"{JSON_PATH} lists case studies that are not published", set(slugs) - published)
    )


def quiet_mkdocs_logging(verbose: bool = False) -> None:
    """Show mkdocs' warnings and errors as 'WARNING - message' (INFO too when verbose).

    Quiet by default: mkdocs' information lines ('Building documentation', 'Cleaning site
    directory', 'Documentation built in', unrecognized relative links) and the preview server's
    log of each request are shown only when verbose.
    """
    logger = logging.getLogger("mkdocs")
    handler = next((h for h in logger.handlers if getattr(h, "_kb", False)), None)
    if handler is None:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        handler._kb = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    handler.removeFilter(not_a_server_request)
    if not verbose:
        handler.addFilter(not_a_server_request)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def not_a_server_request(record: logging.LogRecord) -> bool:
    """False for the preview server's log of requests (mkdocs logs a 302 or 404 as a warning)."""
    return not (
        record.name == "mkdocs.livereload"
        and record.levelno < logging.ERROR
        and '" code ' in record.getMessage()
    )

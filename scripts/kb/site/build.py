"""The `kb build` pipeline: a list of stages, each a function of the build's options.

Stages run in order and the pipeline stops at the first that reports a problem. Each stage is
independent of the others' in-memory state (it reads what it needs from disk), so the benchmark
can run and time each one in a fresh process. To add a stage (the search index, say), add a
Stage to STAGES in the right place; nothing else changes.

A stage returns the lines to print for its problems: an empty list means it passed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kb import paths
from kb.casestudy import case_study_files, load_case_studies
from kb.commands.validate import summary
from kb.forked import call_in_child
from kb.site.catalogue import BROWSE_URL
from kb.site.content import load_content
from kb.site.exports import JSON_PATH
from kb.taxonomy import TaxonomyError

#: The environment variable mkdocs.yml reads the case-studies folder from.
CASE_STUDIES_ENV = "KB_CASE_STUDIES_DIR"

DEFAULT_CONFIG = paths.PROJECT_ROOT / "mkdocs.yml"


@dataclass(frozen=True)
class BuildOptions:
    """What to build: the mkdocs config, the case studies, and where the site goes."""

    config_file: Path = DEFAULT_CONFIG
    #: None: mkdocs.yml's site_dir (site/ beside it).
    site_dir: Path | None = None
    #: None: mkdocs.yml's `case_studies` option (case_studies/ beside it).
    case_studies: Path | None = None

    def case_studies_dir(self) -> Path:
        """The folder given, else KB_CASE_STUDIES_DIR (as mkdocs.yml reads it), else the default."""
        chosen = self.case_studies or os.environ.get(CASE_STUDIES_ENV)
        return Path(chosen or self.config_file.parent / "case_studies").resolve()

    def built_site_dir(self) -> Path:
        return (self.site_dir or self.config_file.parent / "site").resolve()


@dataclass(frozen=True)
class Stage:
    """One step of the build: a name to print and time, and the function that does it."""

    name: str
    run: Callable[[BuildOptions], list[str]]


@dataclass(frozen=True)
class StageResult:
    name: str
    seconds: float
    problems: list[str]


# -- the stages --------------------------------------------------------------------------------


def validate(options: BuildOptions) -> list[str]:
    """Every case study and data file passes `kb validate`'s checks."""
    directory = options.case_studies_dir()
    if not directory.is_dir():
        return [f"{directory}: the folder of case studies does not exist"]
    try:
        content, problems = load_content(directory)
    except TaxonomyError as error:
        return [str(error)]
    if not problems:
        return []
    files = content.collection.files_checked
    lines = [str(problem) for problem in sorted(problems)]
    return [*lines, summary(files, len(problems), len({p.path for p in problems}))]


def build_site(options: BuildOptions) -> list[str]:
    """`mkdocs build --strict` through mkdocs' Python API; any warning fails it.

    It runs in a forked child process (kb.forked), so that the memory mkdocs holds for a large
    site is given back before the search stage runs Pagefind.
    """
    with clearing_in_background(options.built_site_dir()):
        return call_in_child(mkdocs_build, options)


#: The hidden folder in the site folder the last build's files are moved into.
_LAST_BUILD_PREFIX = ".kb-last-build-"


@contextlib.contextmanager
def clearing_in_background(site_dir: Path) -> Iterator[None]:
    """Move the last build's files out of the way and delete them while this build runs.

    mkdocs deletes them itself before it starts, on one core and with nothing else to do: for
    10,000 case studies that takes seconds. Moved into a hidden folder in the site folder (mkdocs
    leaves hidden files alone), they are deleted by another process, mostly while mkdocs reads
    the pages on one core; the stage waits for it, so the search stage never sees them.
    """
    if not site_dir.is_dir():
        yield
        return
    # With the last build's files, any folder of them an interrupted build left behind: its
    # pages would otherwise be read by the search stage and published.
    old = [
        entry
        for entry in site_dir.iterdir()
        if not entry.name.startswith(".") or entry.name.startswith(_LAST_BUILD_PREFIX)
    ]
    if not old:
        yield
        return
    trash = Path(tempfile.mkdtemp(prefix=_LAST_BUILD_PREFIX, dir=site_dir))
    try:
        for entry in old:
            entry.rename(trash / entry.name)
    except OSError:
        pass  # what could not be moved, mkdocs deletes itself
    remover = subprocess.Popen(
        [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", trash],
        stdin=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        remover.wait()
        shutil.rmtree(trash, ignore_errors=True)  # in case the other process could not


def mkdocs_build(options: BuildOptions) -> list[str]:
    """`mkdocs build --strict` in this process; the problems, or an empty list."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    overrides: dict[str, str] = {}
    if options.site_dir is not None:
        overrides["site_dir"] = str(options.built_site_dir())
    try:
        with case_studies_env(options.case_studies):
            config = load_config(str(options.config_file), strict=True, **overrides)
        build(config)
    except ConfigurationError as error:
        return [f"{options.config_file}: the mkdocs configuration is not valid: {error}"]
    except Abort as error:
        return [f"mkdocs build failed: {error} (the messages above say why)"]
    return []


def index_search(options: BuildOptions) -> list[str]:
    """Pagefind indexes the built site, and the search page's filter names are written."""
    from kb.search import build_index

    return build_index(options.built_site_dir())


def check_pages(options: BuildOptions) -> list[str]:
    """Every published case study has exactly one page, and the JSON export lists the same set.

    The search index, too, holds exactly one record per published case study (kb.search).
    """
    from kb.search import check_index

    collection = load_case_studies(case_study_files(options.case_studies_dir()))
    published = {case.slug for case in collection.published}
    problems = check_site(options.built_site_dir(), published)
    urls = [case.url for case in collection.published]
    return problems + check_index(options.built_site_dir(), urls)


#: The stages of `kb build`, in order.
STAGES: list[Stage] = [
    Stage("validate", validate),
    Stage("build", build_site),
    Stage("search", index_search),
    Stage("check", check_pages),
]


# -- running them ------------------------------------------------------------------------------


def run_pipeline(
    options: BuildOptions,
    stages: Sequence[Stage] | None = None,
    report: Callable[[StageResult], None] | None = None,
) -> list[StageResult]:
    """Run the stages in order, timing each; stop after the first that has problems."""
    results = []
    for stage in STAGES if stages is None else stages:
        start = time.perf_counter()
        problems = stage.run(options)
        result = StageResult(stage.name, time.perf_counter() - start, problems)
        results.append(result)
        if report is not None:
            report(result)
        if problems:
            break
    return results


def stage_named(name: str) -> Stage:
    """The stage called `name`; KeyError names the stages there are."""
    for stage in STAGES:
        if stage.name == name:
            return stage
    raise KeyError(f"no stage {name!r}; the stages are {[stage.name for stage in STAGES]}")


@contextlib.contextmanager
def case_studies_env(directory: Path | None) -> Iterator[None]:
    """Set KB_CASE_STUDIES_DIR while mkdocs.yml is loaded, when a folder is given."""
    if directory is None:
        yield
        return
    previous = os.environ.get(CASE_STUDIES_ENV)
    os.environ[CASE_STUDIES_ENV] = str(directory.resolve())
    try:
        yield
    finally:
        if previous is None:
            del os.environ[CASE_STUDIES_ENV]
        else:
            os.environ[CASE_STUDIES_ENV] = previous


def check_site(site_dir: Path, published: set[str]) -> list[str]:
    """The built site has one page per published case study, no others, and a matching export.

    Each message names the slugs missing or extra.
    """
    problems = []
    pages_dir = site_dir / BROWSE_URL
    built = set()
    if pages_dir.is_dir():  # os.scandir, not Path.glob: a tenth of the time for 10,000 pages
        with os.scandir(pages_dir) as entries:
            built = {
                entry.name
                for entry in entries
                if entry.is_dir() and os.path.isfile(os.path.join(entry.path, "index.html"))
            }
    missing = sorted(published - built)
    extra = sorted(built - published)
    if missing:
        problems.append(
            f"{_relative(pages_dir, site_dir)}: no page was built for these published case "
            f"studies: {', '.join(missing)}"
        )
    if extra:
        problems.append(
            f"{_relative(pages_dir, site_dir)}: pages were built for case studies that are not "
            f"published: {', '.join(extra)}"
        )
    problems.extend(_check_export(site_dir / JSON_PATH, published))
    return problems


def _check_export(path: Path, published: set[str]) -> list[str]:
    import json

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        listed = [record["slug"] for record in document["case_studies"]]
    except FileNotFoundError:
        return [f"{JSON_PATH} was not written"]
    except (ValueError, KeyError, TypeError) as error:
        return [f"{JSON_PATH} is not a valid export: {error}"]
    problems = []
    if len(listed) != len(set(listed)):
        repeated = sorted({slug for slug in listed if listed.count(slug) > 1})
        problems.append(
            f"{JSON_PATH} lists these case studies more than once: {', '.join(repeated)}"
        )
    missing = sorted(published - set(listed))
    extra = sorted(set(listed) - published)
    if missing:
        problems.append(
            f"{JSON_PATH} leaves out these published case studies: {', '.join(missing)}"
        )
    if extra:
        problems.append(
            f"{JSON_PATH} lists case studies that are not published: {', '.join(extra)}"
        )
    return problems


def _relative(path: Path, start: Path) -> str:
    try:
        return path.relative_to(start).as_posix() + "/"
    except ValueError:  # pragma: no cover - pages_dir is always inside site_dir
        return str(path)


def quiet_mkdocs_logging(verbose: bool = False) -> None:
    """Show mkdocs' warnings and errors as 'WARNING - message' (INFO too when verbose)."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_kb", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        handler._kb = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False

"""The build benchmark: time and memory of each stage of `kb build`, against plain mkdocs-material.

Everything here is a function of its arguments; `kb bench` (kb.commands.bench) only parses the
command line and calls `run_benchmark`. The generated corpora and the sites built from them live
in a temporary folder that is deleted at the end: nothing is written into the repository except
the results, into the folder the caller names.

How memory is measured. Each stage runs as a fresh child process, in a session of its own, so
one stage's memory never counts towards the next. While it runs, the harness reads, for the
stage's process and all its descendants (pool workers, Pagefind's binary):

- every `SAMPLE_SECONDS`, each one's high-water mark (VmHWM, /proc/PID/status): the most resident
  memory the process has had since it started, kept by the kernel, so a short spike between
  readings is not missed. The largest seen is `largest_process_bytes`;
- every `TREE_SECONDS`, which processes the tree holds, and each one's proportional set size
  (PSS, /proc/PID/smaps_rollup): the pages it maps, each shared page divided between the
  processes sharing it, so the sum over the tree is the memory the stage holds, with forked
  workers not counted twice. The largest sum seen is `tree_sampled_bytes`. This reading is the
  costly one: the kernel walks the process's page tables under its memory lock, and taken
  every 20 ms with the tree found again each time, it made a 10,000-case-study build a quarter
  slower (128 s alone, 162 s measured). Every 250 ms it costs too little to tell from noise.

A stage's peak memory is the larger of the two; a build's is its largest stage peak, since
stages run one after another. `os.wait4` also gives each stage's `ru_maxrss`, kept in the JSON
as `rusage_maxrss_bytes`, but it is not used: Linux carries the resident size of the process
that spawned the child (this harness) into the child's `ru_maxrss`, which overstates small
stages. It stands in for the high-water mark only when a stage ended before its first sample.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kb import paths

# kb.fake and yaml are imported where they are used: every measured stage runs
# `python -m kb.bench stage …`, and its time should be the stage's, not this module's imports.

#: How often each process's high-water mark is read (cheap: a counter the kernel keeps).
SAMPLE_SECONDS = 0.05
#: How often the process tree is found again and its PSS added up (costly; see the module).
TREE_SECONDS = 0.25
#: The sizes `kb bench` measures when none are given.
DEFAULT_SIZES = (100, 1000, 10000)
#: Plain builds of larger corpora are skipped: every page renders the whole nav, so the plain
#: build grows with the square of the number of case studies (1,000 took 52 s on 2 cores).
DEFAULT_SKIP_PLAIN_ABOVE = 1000
#: A plain build still running after this many seconds is stopped and reported as not finished.
DEFAULT_PLAIN_TIMEOUT = 900.0
#: Words in each of the five body sections of a generated case study: about 600 words in all.
WORDS_PER_SECTION = 120

#: Goals from GitHub issue 9: (case studies, end-to-end seconds, peak bytes), and validation.
GOALS: tuple[tuple[int, float, int | None], ...] = ((1000, 8.0, None), (10000, 60.0, 10**9))
VALIDATION_GOAL = (10000, 5.0)
#: The machine the goals were set on: its plain build of 1,000 case studies took 52.5 s (issue
#: 9). A run that builds 1,000 the plain way measures this machine against that one, and gives
#: each time goal scaled to this machine as well: machines of the same size differ by two times
#: and more, and one machine from one run to the next by a third.
REFERENCE_PLAIN = (1000, 52.5)

NOT_RUN_QUADRATIC = "not run (quadratic)"


# --- measuring one stage -------------------------------------------------------------------


@dataclass
class Stage:
    """One stage of a build: its name and the command that runs it in a fresh process."""

    name: str
    argv: list[str]
    cwd: Path | None = None
    env: dict[str, str] | None = None
    timeout: float | None = None


@dataclass
class StageResult:
    """What one stage cost. `status` is 'ok', 'failed (exit N)' or 'timed out after N s'."""

    name: str
    seconds: float
    peak_bytes: int
    largest_process_bytes: int = 0
    tree_sampled_bytes: int = 0
    rusage_maxrss_bytes: int = 0
    #: Seconds inside the stage's own function, when it reports them (our stages do): the rest
    #: of `seconds` is starting Python and importing.
    work_seconds: float | None = None
    status: str = "ok"
    output_tail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def run_stage(stage: Stage) -> StageResult:
    """Run `stage` in a fresh process and measure its wall time and peak memory (see module)."""
    env = {**os.environ, **(stage.env or {})}
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            stage.argv,
            cwd=stage.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        tree_peak = 0
        high_water: dict[int, int] = {}
        status: int | None = None
        usage = None
        timed_out = False
        next_tree = 0.0
        try:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() >= next_tree:
                    tree_now, marks = tree_memory(process.pid)
                    tree_peak = max(tree_peak, tree_now)
                    next_tree = time.perf_counter() + TREE_SECONDS
                else:
                    marks = {child: high_water_mark(child) for child in high_water}
                for child, mark in marks.items():
                    high_water[child] = max(high_water.get(child, 0), mark)
                if stage.timeout is not None and time.perf_counter() - start > stage.timeout:
                    timed_out = True
                    _kill_session(process.pid)
                    _, status, usage = os.wait4(process.pid, 0)
                    break
                time.sleep(SAMPLE_SECONDS)
        except BaseException:  # Ctrl-C or an error here: never leave a build running
            _kill_session(process.pid)
            raise
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        _kill_session(process.pid)  # anything the stage left running in the background
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
        tail = text[-4000:]
    rusage_maxrss = usage.ru_maxrss * 1024  # kilobytes on Linux
    largest = max(high_water.values(), default=0) or rusage_maxrss
    if timed_out:
        state = f"timed out after {stage.timeout:.0f} s"
    elif process.returncode != 0:
        state = f"failed (exit {process.returncode})"
    else:
        state = "ok"
    return StageResult(
        name=stage.name,
        seconds=seconds,
        peak_bytes=max(largest, tree_peak),
        largest_process_bytes=largest,
        tree_sampled_bytes=tree_peak,
        rusage_maxrss_bytes=rusage_maxrss,
        work_seconds=_work_seconds(text),
        status=state,
        output_tail="" if state == "ok" else tail,
    )


def run_fastest(stage: Stage, repeat: int = 1) -> StageResult:
    """Run `stage` `repeat` times and keep the fastest run; stop at the first that fails.

    Another program on the host only ever adds time, so the fastest of several runs is the
    figure least disturbed by it (its memory is that run's: memory does not vary that way).
    """
    fastest: StageResult | None = None
    for _ in range(max(1, repeat)):
        result = run_stage(stage)
        if not result.ok:
            return result
        if fastest is None or result.seconds < fastest.seconds:
            fastest = result
    assert fastest is not None
    return fastest


def _work_seconds(output: str) -> float | None:
    """The seconds a stage reported spending in its own work, if it printed them."""
    for line in reversed(output.splitlines()):
        if line.startswith(WORK_SECONDS_PREFIX):
            try:
                return float(line[len(WORK_SECONDS_PREFIX) :])
            except ValueError:
                return None
    return None


def _kill_session(session_id: int) -> None:
    """Stop every process left in the stage's own session (its process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(session_id, signal.SIGKILL)


def tree_memory(root: int) -> tuple[int, dict[int, int]]:
    """Memory of process `root` and all its descendants now: (total PSS, {pid: VmHWM}), bytes."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, marks, todo = 0, {}, [root]
    while todo:
        pid = todo.pop()
        total += process_memory(pid)
        marks[pid] = high_water_mark(pid)
        todo.extend(children.get(pid, ()))
    return total, marks


def process_memory(pid: int) -> int:
    """The proportional set size of one process in bytes (RSS if PSS is unreadable; 0 if gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def high_water_mark(pid: int) -> int:
    """The most resident memory process `pid` has had since it started (VmHWM), in bytes."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


# --- what a build produced -----------------------------------------------------------------


@dataclass
class Output:
    """The size of a built site: HTML pages and bytes, search index and a first search."""

    html_pages: int = 0
    html_bytes: int = 0
    index_bytes: int = 0
    first_search_bytes: int | None = None

    @property
    def html_bytes_per_page(self) -> float:
        return self.html_bytes / self.html_pages if self.html_pages else 0.0


def html_size(site_dir: Path) -> tuple[int, int]:
    """(number of HTML files, their total bytes) in a built site."""
    pages = size = 0
    for path in site_dir.rglob("*.html"):
        pages += 1
        size += path.stat().st_size
    return pages, size


def tree_bytes(path: Path) -> int:
    """Total bytes of the files under `path` (0 if it does not exist)."""
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def plain_first_search_bytes(site_dir: Path) -> int:
    """Bytes mkdocs-material's own search downloads before it can answer a first query.

    Its search worker (lunr included) fetches the whole index, search/search_index.json. Both
    are counted as stored, without HTTP compression, the way kb.search_bytes counts ours.
    """
    files = [site_dir / "search" / "search_index.json"]
    files += sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.js"))
    return sum(path.stat().st_size for path in files if path.is_file())


# --- one build, ours or plain --------------------------------------------------------------


@dataclass
class BuildResult:
    """Every stage of one build of one corpus, and what the build produced."""

    stages: list[StageResult] = field(default_factory=list)
    output: Output = field(default_factory=Output)
    #: Why the build was not run or not finished, when it was not.
    note: str = ""
    #: The whole build run again as users run it, every stage in one process (`kb build`).
    whole: StageResult | None = None

    @property
    def ok(self) -> bool:
        parts = [*self.stages, *([self.whole] if self.whole else [])]
        return not self.note and all(part.ok for part in parts)

    @property
    def stages_seconds(self) -> float:
        """The stages' times added up, each in a fresh process (starting Python each time)."""
        return sum(stage.seconds for stage in self.stages)

    @property
    def seconds(self) -> float:
        """End to end: the whole build in one process when it was run, else the stages' sum."""
        return self.whole.seconds if self.whole else self.stages_seconds

    @property
    def peak_bytes(self) -> int:
        """End to end: the whole build's peak when it was run, else the largest stage's."""
        if self.whole:
            return self.whole.peak_bytes
        return max((stage.peak_bytes for stage in self.stages), default=0)

    def stage(self, name: str) -> StageResult | None:
        return next((stage for stage in self.stages if stage.name == name), None)


def run_stages(stages: Iterable[Stage], repeat: int = 1) -> BuildResult:
    """Run stages in order, each the fastest of `repeat` runs; stop at the first that fails."""
    result = BuildResult()
    for stage in stages:
        measured = run_fastest(stage, repeat)
        result.stages.append(measured)
        if not measured.ok:
            result.note = f"{stage.name} {measured.status}"
            break
    return result


def write_plain_project(corpus: Path, project: Path) -> Path:
    """Make the plain mkdocs-material project for `corpus`; return its mkdocs.yml.

    Plain means what a site gets with no work on speed: every case study is a page listed in the
    nav and mkdocs-material's own `search` plugin (lunr) indexes the site.
    """
    docs = project / "docs"
    pages = docs / "case-studies"
    pages.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Case studies\n\nGenerated for the benchmark.\n")
    nav: list[Any] = [{"Home": "index.md"}]
    entries = []
    for source in sorted(corpus.glob("*.md")):
        shutil.copyfile(source, pages / source.name)
        entries.append({source.stem: f"case-studies/{source.name}"})
    nav.append({"Case studies": entries})
    config = {
        "site_name": "Plain benchmark",
        "theme": {"name": "material"},
        "plugins": ["search"],
        "markdown_extensions": ["toc", "admonition", "attr_list"],
        "nav": nav,
    }
    config_file = project / "mkdocs.yml"
    import yaml

    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


#: The plain build's one stage, named as our mkdocs stage so the table gives their ratio. It
#: includes mkdocs-material's lunr index, which our build makes in a stage of its own.
PLAIN_STAGE = "build"


def remove_site(site: Path) -> None:
    """Delete a built site, and wait until the disk has done so, before anything else is timed.

    Deleting a site of 10,000 case studies returns in about 7 s, but on the project's machine
    (ext4 mounted with `discard`) the disk stays busy with it for seconds more, which the next
    timed build would be charged for. `sync` returns when that work is done.
    """
    shutil.rmtree(site, ignore_errors=True)
    os.sync()


def plain_build(corpus: Path, work: Path, timeout: float | None, repeat: int = 1) -> BuildResult:
    """Build `corpus` the plain way (see write_plain_project) and measure it, the fastest of
    `repeat` builds."""
    config_file = write_plain_project(corpus, work / "plain")
    site = work / "plain-site"
    stage = Stage(
        PLAIN_STAGE,
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--quiet",
            "-f",
            str(config_file),
            "-d",
            str(site),
        ],
        cwd=work / "plain",
        timeout=timeout,
    )
    result = run_stages([stage], repeat)
    if result.ok:
        pages, html = html_size(site)
        result.output = Output(
            html_pages=pages,
            html_bytes=html,
            index_bytes=tree_bytes(site / "search" / "search_index.json"),
            first_search_bytes=plain_first_search_bytes(site),
        )
    remove_site(site)
    return result


# --- our build -----------------------------------------------------------------------------


def our_stages(corpus: Path, site: Path) -> list[Stage]:
    """Every stage of `kb build` for `corpus` into `site`, each to run in a fresh process."""
    from kb.build import STAGES

    return [
        Stage(
            stage.name,
            [sys.executable, "-m", "kb.bench", "stage", stage.name, str(corpus), str(site)],
            cwd=paths.PROJECT_ROOT,
            env={"NO_MKDOCS_2_WARNING": "1"},
        )
        for stage in STAGES
    ]


def run_one_stage(name: str, corpus: Path, site: Path) -> int:
    """Run one stage of `kb build` in this process, as `kb build` would; print its problems.

    This is what each of `our_stages` runs: `python -m kb.bench stage NAME CORPUS SITE`.
    """
    from kb.build import BuildOptions, quiet_mkdocs_logging, stage_named

    quiet_mkdocs_logging()
    options = BuildOptions(case_studies=corpus, site_dir=site)
    start = time.perf_counter()
    problems = stage_named(name).run(options)
    print(f"{WORK_SECONDS_PREFIX}{time.perf_counter() - start:.6f}")
    for line in problems:
        print(line)
    return 1 if problems else 0


#: The line a stage prints last: the seconds spent in the stage itself, without starting Python.
WORK_SECONDS_PREFIX = "kb-bench: work seconds: "


def whole_build(corpus: Path, site: Path) -> Stage:
    """`kb build` of `corpus` into `site`, every stage in one process, as users run it."""
    command = [sys.executable, "-m", "kb", "build", "--case-studies", str(corpus)]
    return Stage(
        "kb build",
        [*command, "--site-dir", str(site)],
        cwd=paths.PROJECT_ROOT,
        env={"NO_MKDOCS_2_WARNING": "1"},
    )


def our_build(
    corpus: Path,
    work: Path,
    stages_for: Callable[[Path, Path], list[Stage]],
    first_search: Callable[[Path], int | None],
    whole_for: Callable[[Path, Path], Stage] | None = whole_build,
    repeat: int = 1,
) -> BuildResult:
    """Build `corpus` our way, one measured process per stage, and measure what it produced.

    Then, unless `whole_for` is None, build it again with every stage in one process: that is
    the end-to-end figure, and it is less than the stages' sum, which starts Python and reads
    the case studies once per stage. Each stage and the whole build are the fastest of `repeat`.
    """
    site = work / "site"
    result = run_stages(stages_for(corpus, site), repeat)
    if result.ok:
        pages, html = html_size(site)
        result.output = Output(
            html_pages=pages,
            html_bytes=html,
            index_bytes=tree_bytes(site / "pagefind"),
            first_search_bytes=first_search(site),
        )
    remove_site(site)
    if result.ok and whole_for is not None:
        result.whole = run_fastest(whole_for(corpus, site), repeat)
        if not result.whole.ok:
            result.note = f"kb build {result.whole.status}"
        remove_site(site)
    return result


#: The query whose first search is measured: a word in every generated case study.
FIRST_SEARCH_QUERY = "commissioner"


def first_search_bytes(site: Path) -> int | None:
    """Bytes of search files a first search downloads (kb.search_bytes, in Chromium).

    None when the site has no search index or Chromium is not installed.
    """
    if not (site / "pagefind").is_dir():
        return None
    from kb import search_bytes

    if not Path(search_bytes.CHROMIUM_PATH).exists():
        return None
    return int(search_bytes.first_search_bytes(site, FIRST_SEARCH_QUERY))


# --- a whole run ---------------------------------------------------------------------------


@dataclass
class SizeResult:
    """One corpus size: our build and the plain one (or why it was not run)."""

    case_studies: int
    ours: BuildResult
    plain: BuildResult


@dataclass
class Run:
    """A whole benchmark run: when, where, and one result per size."""

    started: str
    machine: dict[str, Any]
    sizes: list[SizeResult]
    #: Each build's figures are the fastest of this many runs.
    repeat: int = 1


def machine_description() -> dict[str, Any]:
    """What the figures were measured on: cores, memory, Python and load at the start."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "python": sys.version.split()[0],
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def run_benchmark(
    sizes: Sequence[int],
    *,
    skip_plain_above: int = DEFAULT_SKIP_PLAIN_ABOVE,
    plain_timeout: float | None = DEFAULT_PLAIN_TIMEOUT,
    stages_for: Callable[[Path, Path], list[Stage]] = our_stages,
    first_search: Callable[[Path], int | None] = first_search_bytes,
    whole_for: Callable[[Path, Path], Stage] | None = whole_build,
    progress: Callable[[str], None] = lambda message: None,
    repeat: int = 1,
) -> Run:
    """Generate each corpus in a temporary folder, build it our way and the plain way, measure.

    Every build is run `repeat` times and the fastest kept (see run_fastest). The temporary
    folder, corpora and sites included, is deleted before returning.
    """
    run = Run(time.strftime("%Y-%m-%d %H:%M:%S %z"), machine_description(), [], repeat)
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"kb-bench-{size}-") as temporary:
            work = Path(temporary)
            corpus = work / "case_studies"
            progress(f"{size:,} case studies: generating")
            from kb import fake

            fake.write_corpus(corpus, size, words_per_section=WORDS_PER_SECTION)
            progress(f"{size:,} case studies: building our way")
            ours = our_build(corpus, work, stages_for, first_search, whole_for, repeat)
            if size > skip_plain_above:
                plain = BuildResult(note=NOT_RUN_QUADRATIC)
            else:
                progress(f"{size:,} case studies: building the plain way")
                plain = plain_build(corpus, work, plain_timeout, repeat)
            run.sizes.append(SizeResult(size, ours, plain))
    return run


# --- reporting -----------------------------------------------------------------------------


def ratio(ours: float | None, plain: float | None) -> float | None:
    """Ours divided by plain, or None when either is missing or plain is zero."""
    if ours is None or plain is None or plain == 0:
        return None
    return ours / plain


@dataclass(frozen=True)
class Figure:
    """One row of the table: a name, its unit and how to read it from a build."""

    name: str
    unit: str
    value: Callable[[BuildResult], float | None]


def _stage_figure(stage: str, what: str) -> Figure:
    def value(build: BuildResult) -> float | None:
        measured = build.stage(stage)
        if measured is None or not measured.ok:
            return None
        return measured.seconds if what == "seconds" else float(measured.peak_bytes)

    unit = "s" if what == "seconds" else "bytes"
    return Figure(f"{stage}: {'time' if what == 'seconds' else 'peak memory'}", unit, value)


def _output_figure(name: str, unit: str, read: Callable[[Output], float | None]) -> Figure:
    return Figure(name, unit, lambda build: read(build.output) if build.ok else None)


def figures(run: Run) -> list[Figure]:
    """The rows of the table: each stage's time and memory, then totals and sizes."""
    names: list[str] = []
    for size in run.sizes:
        for build in (size.ours, size.plain):
            for stage in build.stages:
                if stage.name not in names:
                    names.append(stage.name)
    rows = [_stage_figure(name, what) for name in names for what in ("seconds", "bytes")]
    rows += [
        Figure("stages: total time", "s", lambda b: b.stages_seconds if b.ok else None),
        Figure("end to end: time", "s", lambda b: b.seconds if b.ok else None),
        Figure("end to end: peak memory", "bytes", lambda b: float(b.peak_bytes) if b.ok else None),
        _output_figure("HTML pages", "count", lambda o: float(o.html_pages)),
        _output_figure("HTML: total", "bytes", lambda o: float(o.html_bytes)),
        _output_figure("HTML: per page", "bytes", lambda o: o.html_bytes_per_page),
        _output_figure("search index", "bytes", lambda o: float(o.index_bytes)),
        _output_figure(
            "first search downloads",
            "bytes",
            lambda o: None if o.first_search_bytes is None else float(o.first_search_bytes),
        ),
    ]
    return rows


def results_json(run: Run) -> dict[str, Any]:
    """The run as JSON-ready data: every stage, every figure, ours, plain and the ratio."""
    table = []
    for size in run.sizes:
        for figure in figures(run):
            ours, plain = figure.value(size.ours), figure.value(size.plain)
            table.append(
                {
                    "case_studies": size.case_studies,
                    "figure": figure.name,
                    "unit": figure.unit,
                    "ours": ours,
                    "plain": plain,
                    "ratio": ratio(ours, plain),
                }
            )
    return {
        "started": run.started,
        "machine": run.machine,
        "repeat": run.repeat,
        "sizes": [
            {
                "case_studies": size.case_studies,
                "ours": _build_json(size.ours),
                "plain": _build_json(size.plain),
            }
            for size in run.sizes
        ],
        "figures": table,
        "goals": goal_checks(run),
    }


def _build_json(build: BuildResult) -> dict[str, Any]:
    return {
        "ok": build.ok,
        "note": build.note,
        "seconds": build.seconds,
        "peak_bytes": build.peak_bytes,
        "stages_seconds": build.stages_seconds,
        "stages": [asdict(stage) for stage in build.stages],
        "whole": asdict(build.whole) if build.whole else None,
        "output": {**asdict(build.output), "html_bytes_per_page": build.output.html_bytes_per_page},
    }


def machine_speed(run: Run) -> float | None:
    """How many times longer this machine took than the goals' machine: this run's plain build
    of REFERENCE_PLAIN's size over the issue's figure. None when the run did not build it."""
    count, reference_seconds = REFERENCE_PLAIN
    for size in run.sizes:
        if size.case_studies == count and size.plain.ok and size.plain.stages:
            return size.plain.seconds / reference_seconds
    return None


def goal_checks(run: Run) -> list[dict[str, Any]]:
    """Each goal of issue 9 that this run measured, with the figure and whether it was met.

    A time goal also carries its limit scaled to this machine (`machine_speed`) and whether that
    was met; a memory goal is the same on every machine.
    """
    checks: list[dict[str, Any]] = []
    speed = machine_speed(run)
    by_size = {size.case_studies: size.ours for size in run.sizes}
    for count, seconds, peak in GOALS:
        build = by_size.get(count)
        if build is None:
            continue
        checks.append(
            _goal(
                f"{count:,}: end to end under {seconds:g} s",
                build.seconds,
                seconds,
                build.ok,
                speed,
            )
        )
        if peak is not None:
            checks.append(
                _goal(
                    f"{count:,}: peak memory under {format_bytes(peak)}",
                    build.peak_bytes,
                    peak,
                    build.ok,
                )
            )
    count, seconds = VALIDATION_GOAL
    validation = by_size[count].stage("validate") if count in by_size else None
    if validation is not None:
        checks.append(
            _goal(
                f"{count:,}: validation under {seconds:g} s",
                validation.seconds,
                seconds,
                validation.ok,
                speed,
            )
        )
    return checks


def _goal(
    name: str, measured: float, limit: float, ok: bool, speed: float | None = None
) -> dict[str, Any]:
    goal: dict[str, Any] = {
        "goal": name,
        "measured": measured,
        "limit": limit,
        "met": ok and measured < limit,
    }
    if speed is not None:
        goal["limit_here"] = limit * speed
        goal["met_here"] = ok and measured < limit * speed
    return goal


def format_value(value: float | None, unit: str) -> str:
    """A figure for people: '1.23 s', '45.6 MB', '1,000'; '—' when missing."""
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "bytes":
        return format_bytes(value)
    return f"{value:,.0f}"


def format_bytes(value: float) -> str:
    """Bytes in decimal units: '812 B', '12.3 kB', '45.6 MB', '1.20 GB'."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if value >= scale:
            return (
                f"{value / scale:.3g} {unit}"
                if value < 100 * scale
                else f"{value / scale:.0f} {unit}"
            )
    return f"{value:.0f} B"


def format_ratio(value: float | None) -> str:
    """'0.12×': ours divided by plain; below 1 means ours is faster or smaller."""
    return "—" if value is None else f"{value:.2f}×"


def markdown_table(run: Run) -> str:
    """The run as Markdown: one table of every figure for each size, ours, plain and the ratio."""
    fastest = f" Each build is the fastest of {run.repeat} runs." if run.repeat > 1 else ""
    lines = [
        f"Build benchmark, {run.started}: {run.machine['cores']} cores, "
        f"{format_bytes(run.machine['memory_bytes'])} memory, load average "
        f"{', '.join(str(v) for v in run.machine['load_average'])} at the start.{fastest}",
        "",
        "| case studies | figure | ours | plain | ours ÷ plain |",
        "|---:|---|---:|---:|---:|",
    ]
    for size in run.sizes:
        for figure in figures(run):
            ours, plain = figure.value(size.ours), figure.value(size.plain)
            if ours is None and plain is None and size.ours.ok:
                continue  # a stage the plain build has and ours has not, or the reverse
            plain_text = format_value(plain, figure.unit)
            if plain is None and size.plain.note:
                plain_text = size.plain.note
            lines.append(
                f"| {size.case_studies:,} | {figure.name} | {format_value(ours, figure.unit)} "
                f"| {plain_text} | {format_ratio(ratio(ours, plain))} |"
            )
        if size.ours.note:
            lines.append(f"| {size.case_studies:,} | our build | {size.ours.note} | | |")
    goals = goal_checks(run)
    if goals:
        lines += [
            "",
            "| goal | measured | met | goal on this machine | met on this machine |",
            "|---|---:|---|---:|---|",
        ]
        for goal in goals:
            unit = "bytes" if "memory" in goal["goal"] else "s"
            here, met_here = "—", "—"
            if "limit_here" in goal:
                here = format_value(goal["limit_here"], unit)
                met_here = "yes" if goal["met_here"] else "NO"
            lines.append(
                f"| {goal['goal']} | {format_value(goal['measured'], unit)} "
                f"| {'yes' if goal['met'] else 'NO'} | {here} | {met_here} |"
            )
        speed = machine_speed(run)
        if speed is not None:
            count, reference = REFERENCE_PLAIN
            lines += [
                "",
                f"Goals on this machine: each time goal times {speed:.2f}, because the plain "
                f"build of {count:,} case studies took {speed * reference:.1f} s here and "
                f"{reference:g} s on the machine the goals were set on (issue 9).",
            ]
    return "\n".join(lines) + "\n"


def write_results(run: Run, out: Path) -> tuple[Path, Path]:
    """Write the run as results.json and results.md into `out`; return both paths."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, markdown_path = out / "results.json", out / "results.md"
    json_path.write_text(json.dumps(results_json(run), indent=2) + "\n", encoding="utf-8")
    markdown_path.write_text(markdown_table(run), encoding="utf-8")
    return json_path, markdown_path


def default_out() -> Path:
    """Where results go by default: bench-results/ at the repository root (git-ignored)."""
    return paths.PROJECT_ROOT / "bench-results"


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m kb.bench stage NAME CORPUS SITE`: run one stage of kb build (see our_stages)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 4 or args[0] != "stage":
        print("usage: python -m kb.bench stage NAME CASE_STUDIES_DIR SITE_DIR", file=sys.stderr)
        return 2
    return run_one_stage(args[1], Path(args[2]), Path(args[3]))


if __name__ == "__main__":
    sys.exit(main())

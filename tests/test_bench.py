"""`kb bench` end to end on tiny corpora: every figure and ratio present and sane, repo untouched.

The real stages of `kb build` and the real plain build run here, on 5 and 10 generated case
studies. Nothing asserts a time: the machine is shared, so only presence and sanity are tested.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from kb import bench, paths
from kb.search_bytes import CHROMIUM_PATH

ROOT = paths.PROJECT_ROOT
SIZES = (5, 10)


def _has_chromium() -> bool:
    """The first-search figure is measured in Chromium, as the browser tests are.

    Without it every other figure is still tested; in CI (KB_REQUIRE_BROWSER=1) it must be there.
    """
    if Path(CHROMIUM_PATH).exists():
        return True
    if os.environ.get("KB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"Chromium is not installed at {CHROMIUM_PATH}: apt-get install chromium")
    return False


def _compared() -> list[str]:
    """The figures both builds have, so each has a ratio."""
    figures = [
        "build: time",
        "build: peak memory",
        "stages: total time",
        "end to end: time",
        "end to end: peak memory",
        "HTML pages",
        "HTML: total",
        "HTML: per page",
        "search index",
    ]
    return [*figures, "first search downloads"] if _has_chromium() else figures


def _generated_files_in_repository() -> list[Path]:
    """Generated case studies anywhere in the repository (there must never be any)."""
    return [
        path
        for path in ROOT.rglob("fictional-case-study-*.md")
        if ".venv" not in path.parts and ".git" not in path.parts
    ]


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    """Run `kb bench --sizes 5,10` once, as a maintainer would, with results in a temp folder."""
    out = tmp_path_factory.mktemp("bench-results")
    before = _generated_files_in_repository()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kb",
            "bench",
            "--sizes",
            ",".join(map(str, SIZES)),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert _generated_files_in_repository() == before == []
    return done, out


def test_kb_bench_exits_zero_and_prints_the_table(bench_run):
    done, out = bench_run
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "| case studies | figure | ours | plain | ours ÷ plain |" in done.stdout
    assert (out / "results.md").read_text(encoding="utf-8") in done.stdout


def test_every_figure_is_present_positive_and_its_ratio_is_ours_over_plain(bench_run):
    _done, out = bench_run
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [size["case_studies"] for size in data["sizes"]] == list(SIZES)
    rows = {(row["case_studies"], row["figure"]): row for row in data["figures"]}
    for size in SIZES:
        for figure in _compared():
            row = rows[(size, figure)]
            assert row["ours"] > 0 and row["plain"] > 0, row
            assert row["ratio"] == pytest.approx(row["ours"] / row["plain"]), row
        for stage in ("validate", "build", "search", "check"):
            for what in ("time", "peak memory"):
                assert rows[(size, f"{stage}: {what}")]["ours"] > 0
        ours = data["sizes"][SIZES.index(size)]["ours"]
        assert ours["ok"] and not ours["note"]
        # End to end is kb build in one process, measured on its own.
        assert ours["whole"]["status"] == "ok"
        assert rows[(size, "end to end: time")]["ours"] == ours["whole"]["seconds"]
        assert ours["output"]["html_pages"] > size  # a page per case study, and the others
        for stage in ours["stages"]:
            assert stage["status"] == "ok"
            assert 0 < stage["work_seconds"] <= stage["seconds"]
            assert stage["peak_bytes"] >= stage["largest_process_bytes"] > 0


def test_the_markdown_table_has_a_row_with_a_ratio_for_every_compared_figure(bench_run):
    _done, out = bench_run
    table = (out / "results.md").read_text(encoding="utf-8")
    for size in SIZES:
        for figure in _compared():
            row = next(
                line for line in table.splitlines() if line.startswith(f"| {size} | {figure} |")
            )
            assert row.rstrip(" |").endswith("×"), row


def test_corpora_above_the_cap_are_not_built_the_plain_way(monkeypatch, tmp_path):
    """The plain build is quadratic: above --skip-plain-above it says so instead of hanging."""
    made: list[Path] = []

    def stages(corpus: Path, site: Path) -> list[bench.Stage]:
        made.append(corpus)
        code = f"import pathlib; pathlib.Path({str(site)!r}).mkdir(); print(len(list(pathlib.Path({str(corpus)!r}).glob('*.md'))))"
        return [bench.Stage("build", [sys.executable, "-c", code])]

    run = bench.run_benchmark(
        [3], skip_plain_above=2, stages_for=stages, first_search=lambda site: None, whole_for=None
    )
    plain = run.sizes[0].plain
    assert plain.note == bench.NOT_RUN_QUADRATIC and plain.stages == []
    assert "not run (quadratic)" in bench.markdown_table(run)
    # The corpus was generated in a temporary folder, which is gone now.
    assert made and Path(tempfile.gettempdir()) in made[0].parents
    assert not made[0].exists()

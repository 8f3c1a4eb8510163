"""The benchmark end to end on tiny corpora, and the corpus it generates. No time is asserted:
the machine is shared, so only that every figure is there and sane."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb import cli
from tests.support.corpus import write_corpus

ROOT = Path(__file__).resolve().parents[1]


def kb_env() -> dict[str, str]:
    """This checkout's kb first, whichever checkout the venv was installed from."""
    path = os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def test_generated_case_studies_pass_kb_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = write_corpus(tmp_path / "corpus", 30, seed=3)
    assert len(files) == 30
    text = files[0].read_text(encoding="utf-8")
    assert "Fictional" in text and "Exampleshire" in text  # obviously not real
    monkeypatch.chdir(ROOT)  # kb validate's exit codes from a real process: test_cli_validate
    code = cli.main(["validate", str(tmp_path / "corpus")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "no problems found" in out


def test_the_same_seed_writes_the_same_corpus(tmp_path: Path) -> None:
    first = [p.read_text() for p in write_corpus(tmp_path / "a", 3, seed=5)]
    second = [p.read_text() for p in write_corpus(tmp_path / "b", 3, seed=5)]
    assert first == second


def test_bench_end_to_end_on_tiny_corpora(tmp_path: Path) -> None:
    out = tmp_path / "results"
    done = subprocess.run(
        # Two sizes, given out of order; each build is a fresh process whatever its size.
        [sys.executable, "benchmarks/bench.py", "--sizes", "2,1", "--no-browser", "--out", out],
        cwd=ROOT,
        env=kb_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith(("| 1 ", "| 2 "))]
    assert len(rows) == 2 and all(line.count("x |") == 1 for line in rows), done.stdout
    assert "ratio ours/bare" in done.stdout

    results = json.loads((out / "results.json").read_text())
    assert (out / "results.md").read_text() in done.stdout
    assert {"date", "commit", "machine", "repeat", "sizes", "goals"} <= results.keys()
    assert [size["case_studies"] for size in results["sizes"]] == [1, 2]
    for size in results["sizes"]:
        for build in ("ours", "bare"):
            assert size[build]["seconds"] > 0
            assert size[build]["peak_bytes"] > 10 * 2**20  # at least a Python process
        assert set(size["ours"]["stages"]) == {"build", "search", "check"}
        assert size["bare"]["mkdocs_seconds"] > 0 and size["bare"]["pagefind_seconds"] > 0
        assert size["ratio"] > 0 and size["ours_ms_per_page"] > 0 and size["bare_ms_per_page"] > 0
    assert [goal["met"] for goal in results["goals"]] == [None, None, None]  # sizes not run
    assert "real_site" not in results

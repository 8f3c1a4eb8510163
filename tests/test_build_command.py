"""`kb build` as a contributor runs it: exit codes and messages, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kb.build import (
    CONTENT_PROBLEMS,
    STAGES,
    BuildOptions,
    BuildState,
    build_site,
    case_studies_env,
)
from kb.cli import main
from tests.support.corpus import case_study_text, front_matter
from tests.support.project import PROJECT


def test_build_stops_with_the_standard_message_on_an_invalid_case_study(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good-one.md").write_text(case_study_text(front_matter(1)), encoding="utf-8")
    bad = case_study_text(front_matter(2, region="Atlantis"))
    (corpus / "bad-one.md").write_text(bad, encoding="utf-8")
    site = tmp_path / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kb",
            "build",
            "--case-studies",
            str(corpus),
            "--site-dir",
            str(site),
        ],
        cwd=PROJECT.root,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1
    line = bad.split("\n").index('region: "Atlantis"') + 1
    assert f"{corpus / 'bad-one.md'}:{line}: region: must be one of" in out
    assert "Checked 5 files: 1 problem in 1 file." in out  # two case studies, three data files
    # The plugin checks the content: its problems stop the build stage; nothing is indexed.
    assert "kb build: build: failed" in done.stdout
    assert "kb build: search" not in out
    assert "Traceback" not in out
    assert not (site / "index.html").exists()


def test_the_build_stage_returns_the_contents_problems_as_its_lines(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    bad = case_study_text(front_matter(2, region="Atlantis"))
    (corpus / "bad-one.md").write_text(bad, encoding="utf-8")
    options = BuildOptions(PROJECT, site_dir=tmp_path / "site", case_studies=corpus)
    lines = build_site(options, BuildState())
    assert len(lines) == 2
    assert lines[0].startswith(f"{corpus / 'bad-one.md'}:")
    assert lines[1].startswith("Checked 4 files: 1 problem in 1 file.")


@pytest.mark.parametrize(
    "arguments",
    [["--case-studies", "/no/such/folder"], ["--config", "/no/such/mkdocs.yml"]],
)
def test_build_usage_errors_exit_2(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", *arguments]) == 2
    captured = capsys.readouterr()
    assert "no such" in captured.out + captured.err


def test_stage_names_are_the_pipeline_in_order() -> None:
    assert [name for name, _stage in STAGES] == ["build", "search", "check"]


def test_plugin_fails_a_plain_mkdocs_build_listing_every_problem(tmp_path: Path) -> None:
    """`mkdocs build` without kb build still refuses content with problems, all of them."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    bad = case_study_text(front_matter(3, region="Atlantis", sourcing="bartering"))
    (corpus / "bad-one.md").write_text(bad, encoding="utf-8")
    with case_studies_env(corpus):
        config = load_config(str(PROJECT.config_file), site_dir=str(tmp_path / "site"))
    with pytest.raises(Abort) as aborted:
        build(config)
    message = str(aborted.value)  # mkdocs' command line prints it
    assert message.startswith(CONTENT_PROBLEMS)
    lines = bad.split("\n")
    expected = [
        f"{corpus / 'bad-one.md'}:{lines.index(f'{field}: {value}') + 1}: {field}: must be one of"
        for field, value in (("region", '"Atlantis"'), ("sourcing", '"bartering"'))
    ]
    printed = message.removeprefix(CONTENT_PROBLEMS).splitlines()
    assert len(printed) == 3
    for line, start in zip(printed, expected, strict=False):
        assert line.startswith(start)
    assert printed[-1].startswith("Checked 4 files: 2 problems in 1 file.")
    assert not (tmp_path / "site").exists()

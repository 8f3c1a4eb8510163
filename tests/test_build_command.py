"""`kb build` as a contributor runs it: exit codes and messages, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.cli import main
from kb.fake import case_study_text, front_matter


def test_build_stops_with_the_standard_message_on_an_invalid_case_study(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good-one.md").write_text(case_study_text(front_matter(1)), encoding="utf-8")
    bad = case_study_text(front_matter(2, region="Atlantis"))
    (corpus / "bad-one.md").write_text(bad, encoding="utf-8")
    code = main(["build", "--case-studies", str(corpus), "--site-dir", str(tmp_path / "site")])
    out = capsys.readouterr().out
    assert code == 1
    line = bad.split("\n").index('region: "Atlantis"') + 1
    assert f"{corpus / 'bad-one.md'}:{line}: region: must be one of" in out
    assert "kb build: validate: failed" in out
    assert "Traceback" not in out
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "arguments",
    [["--case-studies", "/no/such/folder"], ["--config", "/no/such/mkdocs.yml"]],
)
def test_build_usage_errors_exit_2(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", *arguments]) == 2
    assert "no such" in capsys.readouterr().out


def test_stage_names_are_the_pipeline_in_order() -> None:
    from kb.commands.build import STAGE_NAMES

    assert STAGE_NAMES[0] == "validate"
    assert STAGE_NAMES[-1] == "check"
    assert "build" in STAGE_NAMES


def test_plugin_fails_a_plain_mkdocs_build_listing_every_problem(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`mkdocs build` without kb build still refuses content with problems."""
    from kb.site.build import BuildOptions, build_site, mkdocs_build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    bad = case_study_text(front_matter(3, region="Atlantis", sourcing="bartering"))
    (corpus / "bad-one.md").write_text(bad, encoding="utf-8")
    options = BuildOptions(site_dir=tmp_path / "site", case_studies=corpus)
    with caplog.at_level("ERROR", logger="mkdocs"):
        problems = mkdocs_build(options)
    assert problems and problems[0].startswith("mkdocs build failed")
    # kb build's stage runs the same build in a child process, and brings back its problems.
    assert build_site(options) == problems
    logged = "\n".join(record.getMessage() for record in caplog.records)
    lines = bad.split("\n")
    for field, value in (("region", "Atlantis"), ("sourcing", "bartering")):
        line = lines.index(f'{field}: "{value}"') + 1
        assert f"{corpus / 'bad-one.md'}:{line}: {field}: must be one of" in logged
    assert "Checked 1 file: 2 problems in 1 file." in logged

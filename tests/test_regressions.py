"""Bugs the redesign fixed, each held by a test that fails on the old behaviour.

- `kb validate` did not report a case study named index.md, which `kb build` refused.
- `kb validate` and `kb build` counted the files they checked differently.
- `kb` worked on the checkout it was installed from, wherever it was run.
- The taxonomy stopped at its first mistake.
- The taxonomy and schema were cached for the life of the process, so `kb serve` missed edits.
- Case studies were split and written by hand instead of with python-frontmatter.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import frontmatter
import pytest

from kb import cli
from kb.content.casestudy import HANDLER, case_study_text, check_file, split_front_matter
from kb.content.load import load_content
from kb.content.project import Project
from kb.content.taxonomy import TaxonomyError, load_taxonomy
from site_fixtures import copy_checkout
from tests.support.corpus import body, front_matter
from tests.support.project import ROOT, repo_rules

#: What a checkout needs to be validated and built.
RESERVED = (
    "case_studies/index.md:1: file: the name 'index.md' is kept for the site's own pages; "
    "rename the file"
)


def run_kb(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`kb` run as a contributor runs it, inside `cwd`, with this worktree's code."""
    return subprocess.run(
        [sys.executable, "-m", "kb", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "scripts"),
            "GITHUB_ACTIONS": "",
            "NO_MKDOCS_2_WARNING": "1",
        },
    )


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Another checkout with a case study named index.md and a broken one; `kb validate` and
    `kb build` run inside it. Both refuse it; what each printed."""
    project = Project(copy_checkout(tmp_path_factory.mktemp("elsewhere") / "kb"))
    case_studies = project.case_studies_dir
    index = front_matter(41, title="A fictional case study given the name of the site's index")
    (case_studies / "index.md").write_text(case_study_text(index, body(20)), encoding="utf-8")
    broken = case_study_text(front_matter(42, region="Atlantis"), body(20))
    (case_studies / "broken-elsewhere.md").write_text(broken, encoding="utf-8")
    validate = run_kb(project.root, "validate")
    # kb build in process (its exit codes from a real process are held by test_build_command).
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(project.root), redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["build", "--site-dir", str(project.root / "built")])
    build = subprocess.CompletedProcess(["kb", "build"], code, out.getvalue(), err.getvalue())
    return {"project": project, "broken": broken, "validate": validate, "build": build}


def test_kb_run_in_another_checkout_checks_that_checkout(elsewhere: dict) -> None:
    validate = elsewhere["validate"]
    assert validate.returncode == 1, validate.stdout + validate.stderr
    line = elsewhere["broken"].split("\n").index('region: "Atlantis"') + 1
    assert f"case_studies/broken-elsewhere.md:{line}: region: must be one of" in validate.stdout
    project = elsewhere["project"]
    files = len(list(project.case_studies_dir.glob("[!_]*.md"))) + 3  # and three data files
    assert validate.stdout.splitlines()[-1].startswith(
        f"Checked {files} files: 2 problems in 2 files."
    )


def test_validate_reports_a_case_study_named_index_exactly_as_build_does(elsewhere: dict) -> None:
    validate, build = elsewhere["validate"], elsewhere["build"]
    assert RESERVED in validate.stdout.splitlines()
    assert build.returncode == 1
    assert RESERVED in (build.stdout + build.stderr).splitlines()
    assert not (elsewhere["project"].root / "built" / "index.html").exists()


def test_validate_and_build_report_the_same_file_count(elsewhere: dict) -> None:
    validate, build = elsewhere["validate"], elsewhere["build"]

    def summary(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.startswith("Checked ")]

    assert summary(validate.stdout) == summary(build.stdout + build.stderr)
    assert len(summary(validate.stdout)) == 1


def test_the_taxonomy_reports_every_mistake_at_once(tmp_path: Path) -> None:
    text = (ROOT / "data" / "taxonomy.yml").read_text(encoding="utf-8")
    lines = text.split("\n")
    broken = text.replace("  - id: london\n", "  - id: London Town\n", 1).replace(
        "  - id: wales\n", "  - id: wales\n    colour: red\n", 1
    )
    assert broken.count("\n") == text.count("\n") + 1
    path = tmp_path / "taxonomy.yml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(path)
    reported = str(error.value).splitlines()
    london = lines.index("  - id: london") + 1
    wales = lines.index("  - id: wales") + 1
    assert len(reported) == 2, reported
    assert reported[0].startswith(f"{path}:{london}: regions: id must be lower-case words")
    assert "'London Town'" in reported[0]
    assert reported[1].startswith(f"{path}:{wales}: regions: each term needs exactly the fields")


def test_an_edited_taxonomy_is_read_again_by_the_next_load(tmp_path: Path) -> None:
    """`kb serve` rebuilds in one process: an edit to data/taxonomy.yml must show at once."""
    project = Project(copy_checkout(tmp_path / "kb"))
    first, problems = load_content(project)
    assert problems == []
    assert first.taxonomy.name("regions", "london") == "London"
    region = first.collection.case_studies[0].region
    in_region = [case for case in first.collection.case_studies if case.region == region]

    taxonomy = project.taxonomy_file
    text = taxonomy.read_text(encoding="utf-8")
    edited = text.replace("    name: London\n", "    name: Greater London\n", 1)
    edited = edited.replace(f"  - id: {region}\n", "  - id: renamed-region\n", 1)
    assert edited.count("\n") == text.count("\n") and "renamed-region" in edited
    assert "Greater London" in edited
    taxonomy.write_text(edited, encoding="utf-8")

    second, problems = load_content(project)
    assert second.taxonomy.name("regions", "london") == "Greater London"
    assert "renamed-region" in second.taxonomy.ids("regions")
    # The case studies in the renamed region now use a region the taxonomy no longer has.
    assert len(problems) == len(in_region)
    assert all(problem.field == "region" for problem in problems)
    assert all(f"got '{region}'" in problem.message for problem in problems)


def test_a_case_study_written_with_python_frontmatter_reads_back_the_same(tmp_path: Path) -> None:
    meta = front_matter(
        7,
        title='A title: with a colon, "quotes", NO, yes, ~ and --- inside it',
        summary="Ŵ ŷ: a fictional summary that YAML would misread unquoted: 2024-01-01, 10:00.",
        dpulo={"name": "Fictional Forum #7 & Partners", "website": "https://forum.example.org"},
    )
    text_body = body(25, seed=7)
    text = case_study_text(meta, text_body)
    post = frontmatter.loads(text, handler=HANDLER)
    assert post.metadata == meta
    assert post.content == text_body.strip("\n")
    front, after, body_line = split_front_matter(text)
    assert text.startswith("---" + front)  # its line N is line N of the file
    assert text.split("\n")[body_line - 1 :] == after.split("\n")
    path = tmp_path / "round-trip.md"
    path.write_text(text, encoding="utf-8")
    result = check_file(path, repo_rules())
    assert result.problems == []
    assert result.case_study is not None
    assert result.case_study.meta == meta
    assert result.case_study.body.strip("\n") == text_body.strip("\n")
    # Written again from what was read, the file is the same, byte for byte.
    assert case_study_text(result.case_study.meta, result.case_study.body) == text

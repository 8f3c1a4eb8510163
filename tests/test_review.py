"""`kb review`: the job summary of a fixture pull request (base and head built in tmp_path)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb import cli
from kb.content.project import Project
from kb.contrib.review import ADDED, CHANGED, REMOVED, changed_case_studies, md, review

ROOT = Path(__file__).resolve().parents[1]
KEPT = "breakthrough-uk-manchester.md"
CHANGED_NAME = "equal-lives-norfolk-direct-payments.md"
REMOVED_NAME = "lewisham-disability-coalition-closure.md"
ADDED_NAME = "fictional-new-case-study.md"


def checkout(target: Path) -> Path:
    """A checkout with the real data and schemas and three of the real case studies."""
    for name in ("data", "schema"):
        shutil.copytree(ROOT / name, target / name)
    (target / "case_studies").mkdir(parents=True)
    for name in ("_template.md", KEPT, CHANGED_NAME, REMOVED_NAME):
        shutil.copy2(ROOT / "case_studies" / name, target / "case_studies" / name)
    return target


def pull_request(tmp_path: Path) -> tuple[Path, Path]:
    """The head adds a case study (hostile title), breaks one, removes one, keeps one."""
    base, head = checkout(tmp_path / "base"), checkout(tmp_path / "head")
    cases = head / "case_studies"
    text = (cases / KEPT).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", 'title: "Fictional <b>new</b> | *case* study"', text)
    (cases / ADDED_NAME).write_text(text, encoding="utf-8")
    changed = (cases / CHANGED_NAME).read_text(encoding="utf-8")
    (cases / CHANGED_NAME).write_text(
        re.sub(r"(?m)^region: .*$", "region: Norfolk", changed), encoding="utf-8"
    )
    (cases / REMOVED_NAME).unlink()
    (cases / "_template.md").write_text("changed, but not a case study\n", encoding="utf-8")
    return base, head


def line_of(path: Path, prefix: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(prefix))


def test_changed_case_studies_by_kind(tmp_path: Path) -> None:
    base, head = pull_request(tmp_path)
    changes = changed_case_studies(base / "case_studies", head / "case_studies")
    assert [(c.kind, c.name) for c in changes] == [
        (ADDED, ADDED_NAME),
        (CHANGED, CHANGED_NAME),
        (REMOVED, REMOVED_NAME),
    ]


def test_review_of_a_fixture_pull_request(tmp_path: Path) -> None:
    base, head = pull_request(tmp_path)
    text = review(Project(base), Project(head), "site-preview-7")
    assert text.startswith("## Case studies in this pull request\n")
    assert "as the artifact `site-preview-7`" in text
    sections = re.split(r"(?m)^### ", text)[1:]
    assert [section.split("\n", 1)[0] for section in sections] == [
        f"Added: `case_studies/{ADDED_NAME}`",
        f"Changed: `case_studies/{CHANGED_NAME}`",
        f"Removed: `case_studies/{REMOVED_NAME}`",
    ]
    added, changed, removed = sections
    # The added one: its key facts, escaped; no problems.
    assert "| Title | Fictional &lt;b&gt;new&lt;/b&gt; \\| \\*case\\* study |" in added
    assert "| Region | North West |" in added
    # The kept case study's period, outcome and sourcing (its file now gives an end date).
    assert "| When | December 1997 to April 2023 |" in added
    assert "| Outcome | Not known |" in added
    assert "| How the work was funded or bought | Not known |" in added
    assert "| Read this first | Most of this history comes from Breakthrough UK's own" in added
    assert re.search(r"\| Sources \| [1-9]\d* \([1-9]\d* quotes\) \|", added)
    assert "| Status | Published |" in added
    assert re.search(r"\| Categories \| Strategic partnerships[^|]*, ", added)
    assert "No problems found." in added
    # The changed one: its problem, at its line, with the fix.
    line = line_of(head / "case_studies" / CHANGED_NAME, "region:")
    assert f"- `case_studies/{CHANGED_NAME}:{line}` region: must be one of " in changed
    assert "got 'Norfolk'" in changed
    assert "| Key fact |" not in changed
    assert "no longer be published" in removed
    assert "_template" not in text


def test_nothing_changed(tmp_path: Path) -> None:
    base = checkout(tmp_path / "base")
    text = review(Project(base), Project(base), "site")
    assert "adds, changes and removes no case studies" in text
    assert "###" not in text


def test_markdown_text_is_escaped() -> None:
    assert md("a <script> [x](y) *b* | c\nd") == "a &lt;script&gt; \\[x\\](y) \\*b\\* \\| c d"


def test_kb_review_appends_to_the_summary_file(tmp_path: Path) -> None:
    base, head = pull_request(tmp_path)
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "kb", "review", "--base", str(base), "--head", str(head)]
    result = subprocess.run(
        [*command, "--artifact", "site-1", "--output", str(summary)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("# Earlier step\n## Case studies in this pull request\n")
    assert f"case_studies/{CHANGED_NAME}:" in written


def test_kb_review_without_a_base_checkout_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["review", "--base", str(tmp_path / "nowhere"), "--head", "."]) == 2
    assert "no case_studies folder" in capsys.readouterr().out


def test_no_artifact_means_no_preview_to_download(tmp_path: Path) -> None:
    base, head = pull_request(tmp_path)
    text = review(Project(base), Project(head), "")
    assert "no preview to download" in text and "artifact" not in text


WORKFLOWS = ROOT / ".github" / "workflows"


def test_checks_attach_the_site_and_write_the_review_into_the_job_summary() -> None:
    import yaml

    workflow = yaml.safe_load((WORKFLOWS / "checks.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    names = [step.get("uses", step.get("run", "")) for step in steps]
    build = next(i for i, step in enumerate(steps) if step.get("run") == "kb build")
    upload = next(i for i, n in enumerate(names) if n.startswith("actions/upload-artifact@"))
    review_step = next(i for i, n in enumerate(names) if n.startswith("kb review"))
    assert build < upload < review_step
    # Pinned by full commit SHA, with the tag in a comment.
    text = (WORKFLOWS / "checks.yml").read_text(encoding="utf-8")
    assert re.search(r"uses: actions/upload-artifact@[0-9a-f]{40} # v\d+\.\d+\.\d+\n", text)
    assert steps[upload]["with"]["path"] == "site"
    base_checkout = steps[review_step - 1]
    assert base_checkout["uses"].startswith("actions/checkout@")
    assert base_checkout["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert base_checkout["with"]["persist-credentials"] is False
    run = steps[review_step]["run"]
    assert f"--base {base_checkout['with']['path']} --head ." in run
    assert run.endswith('>> "$GITHUB_STEP_SUMMARY"')
    assert "!cancelled()" in steps[review_step]["if"]
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())


def test_the_checks_never_write_and_only_deploy_writes_the_site() -> None:
    """Only deploy.yml may write the repository or Pages (two others may write issues)."""
    import yaml

    writers: dict[str, set[str]] = {}
    for path in WORKFLOWS.glob("*.yml"):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        scopes = [workflow.get("permissions", {})]
        scopes += [job.get("permissions", {}) for job in workflow["jobs"].values()]
        writers[path.name] = {
            name for scope in scopes for name, level in scope.items() if level == "write"
        }
    assert writers["checks.yml"] == set()
    assert writers["deploy.yml"] == {"pages", "id-token"}
    for name, scopes in writers.items():
        if name != "deploy.yml":
            assert scopes <= {"issues"}, name


def test_actionlint_passes_on_the_workflows() -> None:
    actionlint = Path(sys.executable).parent / "actionlint"
    found = str(actionlint) if actionlint.exists() else shutil.which("actionlint")
    assert found, "actionlint is not installed: pip install -e '.[test]'"
    result = subprocess.run(
        [found, "-no-color", *map(str, sorted(WORKFLOWS.glob("*.yml")))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr

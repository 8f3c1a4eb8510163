"""`kb review`: the job summary of a fixture pull request (base and head built in tmp_path)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

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
    assert "| When | Since December 1997 |" in added
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
    missing = subprocess.run(
        [sys.executable, "-m", "kb", "review", "--base", str(tmp_path / "nowhere"), "--head", "."],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 2
    assert "no case_studies folder" in missing.stdout

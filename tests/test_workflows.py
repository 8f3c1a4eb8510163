"""The GitHub workflows, pre-commit hooks and pull-request template: linted and safe.

Pull requests run contributors' changes, so their workflows must be read-only and never use
`pull_request_target` (which runs with write access and secrets on code from a fork).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.project import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint() -> str:
    here = Path(sys.executable).parent / "actionlint"
    found = str(here) if here.exists() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed: pip install -e '.[test]'")
    return found


def load(path: Path) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); map it back.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def triggers(workflow: dict[str, Any]) -> set[str]:
    on = workflow["on"]
    return {on} if isinstance(on, str) else set(on)


def test_there_are_workflows() -> None:
    names = {path.name for path in WORKFLOWS}
    assert {"checks.yml", "deploy.yml", "weekly.yml"} <= names


def test_actionlint_finds_nothing() -> None:
    result = subprocess.run(
        [actionlint(), "-no-color", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_uses_pull_request_target(path: Path) -> None:
    assert "pull_request_target" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_defaults_to_read_only(path: Path) -> None:
    assert load(path)["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_by_full_commit_with_the_tag_in_a_comment(path: Path) -> None:
    """A tag can be moved to other code; a commit cannot. The comment says which release it is."""
    for line in re.findall(r"uses:.*", path.read_text(encoding="utf-8")):
        assert re.fullmatch(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", line), line


def test_pull_request_workflows_are_read_only_and_use_no_secrets() -> None:
    checked = 0
    for path in WORKFLOWS:
        workflow = load(path)
        if not triggers(workflow) & {"pull_request", "pull_request_target"}:
            continue
        checked += 1
        text = path.read_text(encoding="utf-8")
        assert "secrets." not in text, path.name
        for name, job in workflow["jobs"].items():
            permissions = job.get("permissions", workflow["permissions"])
            assert permissions in ({"contents": "read"}, {}), (path.name, name)
    assert checked >= 1


def test_pull_request_checks_validate_test_and_build() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "checks.yml")
    assert "pull_request" in triggers(workflow)
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = "\n".join(step.get("run", "") for step in steps)
    for command in (
        "apt-get install",
        "chromium",
        "pip install -e '.[test]'",
        "kb validate",
        "kb generate --check",
        "python -m pytest",
        "kb build",
    ):
        assert command in runs, command
    job = next(iter(workflow["jobs"].values()))
    assert job["env"]["KB_REQUIRE_BROWSER"] == "1"


def test_deploy_publishes_to_pages_with_only_the_permissions_it_needs() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build
    assert any("upload-pages-artifact" in step.get("uses", "") for step in build["steps"])
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any("deploy-pages" in step.get("uses", "") for step in deploy["steps"])


def test_weekly_checks_links_into_one_issue_and_checks_coverage() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "weekly.yml")
    assert triggers(workflow) == {"schedule", "workflow_dispatch"}
    jobs = workflow["jobs"]
    writers = [name for name, job in jobs.items() if "issues" in job.get("permissions", {})]
    assert writers == ["links"]
    assert jobs["links"]["permissions"] == {"contents": "read", "issues": "write"}
    links = "\n".join(str(step) for step in jobs["links"]["steps"])
    assert "actions/cache" in links and ".lycheecache" in links
    assert "gh issue edit" in links and "--state all" in links  # reuse the one issue
    coverage = "\n".join(step.get("run", "") for step in jobs["coverage"]["steps"])
    assert "kb coverage --check" in coverage


def test_issue_feedback_never_puts_the_issue_text_in_an_expression_inside_a_script() -> None:
    """Untrusted text in `${{ }}` inside `run:` is shell injection; it must go through env."""
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for step in job["steps"]:
                assert "github.event.issue" not in step.get("run", ""), path.name
                assert "github.event.pull_request" not in step.get("run", ""), path.name


def test_pre_commit_validates_changed_case_studies_but_not_the_template() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    hook = hooks["kb-validate"]
    assert hook["entry"] == "kb validate"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("case_studies/exampleshire-forum.md")
    assert not files.search("case_studies/_template.md")
    assert not files.search("docs/contribute.md")
    assert not files.search("case_studies/notes.txt")
    assert "kb generate --check" in hooks["kb-generate-check"]["entry"]


def test_pull_request_template_has_the_checklist() -> None:
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] \*\*(.+?)\*\*", text, re.MULTILINE)
    assert boxes == [
        "Licence:",
        "Consent:",
        "No personal contact details:",
        "Sources cited:",
        "`kb validate` passes:",
    ]


def test_issue_template_config_is_valid() -> None:
    config = yaml.safe_load(
        (ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8")
    )
    assert isinstance(config["blank_issues_enabled"], bool)
    for link in config["contact_links"]:
        assert link["url"].startswith("https://") and link["name"] and link["about"]

"""`kb validate` as contributors and CI run it: output, summary, exit codes, annotations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.cli import main
from tests.conftest import VALID

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "fixtures" / "broken"


def run_kb(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line, as a contributor would."""
    return subprocess.run(
        [sys.executable, "-m", "kb", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": "", **(env or {})},
        timeout=120,
    )


def test_thirty_broken_files_are_all_reported_in_one_run_with_the_expected_messages():
    """The golden file shows contributors' messages in full; update it only on purpose."""
    result = run_kb("validate", "tests/fixtures/broken")
    assert result.returncode == 1
    assert result.stdout == (BROKEN.parent / "broken-expected.txt").read_text(encoding="utf-8")
    assert "Traceback" not in result.stdout + result.stderr
    reported = {line.split(":", 1)[0] for line in result.stdout.splitlines()[:-1]}
    files = {f"tests/fixtures/broken/{path.name}" for path in BROKEN.glob("*.md")}
    assert len(files) == 30
    assert reported == files, "every broken file must be reported"
    # Every line but the summary is path:line: field: message.
    for line in result.stdout.splitlines()[:-1]:
        _path, line_number, field, message = line.split(":", 3)
        assert line_number.isdigit() and int(line_number) >= 1
        assert field.strip() and message.strip()
    assert result.stdout.splitlines()[-1].startswith("Checked 30 files: ")


def test_crlf_and_welsh_copy_of_a_valid_file_validates(tmp_path):
    path = tmp_path / "welsh-crlf.md"
    text = VALID.replace("Start early.", "Dechrau'n gynnar: ŵ ŷ.").replace("\n", "\r\n")
    path.write_bytes(text.encode("utf-8"))
    assert main(["validate", str(path)]) == 0


def test_clean_run_exits_zero_with_summary(tmp_path, capsys):
    (tmp_path / "one-case-study.md").write_text(VALID, encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "Checked 1 file: no problems found.\n"


def test_missing_path_is_a_usage_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().out


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--no-such-option"])
    assert exit_.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_github_actions_annotations(tmp_path, monkeypatch, capsys):
    (tmp_path / "bad.md").write_text(VALID.replace("region: south-west", "region: Mars"), "utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["validate", str(tmp_path / "bad.md")]) == 1
    out = capsys.readouterr().out
    annotations = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 1
    assert annotations[0].startswith(f"::error file={tmp_path / 'bad.md'},line=10,title=region::")
    assert "got 'Mars'" in annotations[0]
    # Outside GitHub Actions (or with --no-github) there are none.
    assert main(["validate", "--no-github", str(tmp_path / "bad.md")]) == 1
    assert "::error" not in capsys.readouterr().out
    monkeypatch.setenv("GITHUB_ACTIONS", "")
    assert main(["validate", str(tmp_path / "bad.md")]) == 1
    assert "::error" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02", b"---\n", b"---\n---\n", b"\xff\xfe\x00x", b"---\n: :\n---\n"],
    ids=["empty", "binary", "opening only", "empty front matter", "utf-16", "nonsense"],
)
def test_junk_never_gives_a_traceback(tmp_path, content, capsys):
    (tmp_path / "junk.md").write_bytes(content)
    assert main(["validate", str(tmp_path)]) == 1  # 3 would be an internal error
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines()[-1].startswith("Checked 1 file: ")


def test_non_markdown_file_in_the_folder_is_reported(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    assert "case studies must be Markdown files ending .md" in capsys.readouterr().out


def test_files_starting_with_underscore_are_skipped(tmp_path, capsys):
    (tmp_path / "_template.md").write_text("not a case study", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 0
    assert "Checked 0 files" in capsys.readouterr().out

"""`kb schema` prints the schema with the taxonomy filled in; `kb generate` remakes its files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb import cli


def test_schema_prints_the_resolved_schema(capsys: pytest.CaptureFixture, taxonomy) -> None:
    assert cli.main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    properties = schema["properties"]
    assert properties["region"]["enum"] == taxonomy.ids("regions")
    assert properties["categories"]["items"]["enum"] == taxonomy.ids("categories")
    assert schema["$defs"]["commissioner"]["properties"]["type"]["enum"] == taxonomy.ids(
        "commissioner_types"
    )


def test_schema_output_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "case-study.json"
    assert cli.main(["schema", "--output", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "Case study front matter"


def test_generate_rewrites_a_stale_file_and_check_then_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    target = tmp_path / "made.txt"
    target.write_text("stale\n", encoding="utf-8")
    monkeypatch.setattr(
        "kb.commands.schema.generated_files", lambda project, rules, taxonomy: {target: "fresh\n"}
    )
    assert cli.main(["generate", "--check"]) == 1
    assert "is missing or out of date" in capsys.readouterr().out
    assert cli.main(["generate"]) == 0
    assert target.read_text(encoding="utf-8") == "fresh\n"
    assert cli.main(["generate", "--check"]) == 0
    assert capsys.readouterr().out.endswith("All 1 generated files are up to date.\n")

"""The YAML data files in data/: resources, the bibliography and the glossary.

Each is a mapping with one key holding a list of records; every record is checked against its
JSON Schema with the same strict loader, messages and `path:line: field: message` format as the
case studies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.content import strict_yaml
from kb.content.casestudy import MAX_FILE_BYTES, decode, strings
from kb.content.problems import Problem
from kb.content.project import Project, display_path
from kb.content.schema import load_schema
from kb.content.taxonomy import Taxonomy
from kb.content.text_rules import check_personal_data


@dataclass(frozen=True)
class DataFile:
    """A kind of data file: where it lives, the key holding its list, the schema of a record."""

    path: Path
    key: str
    schema: Path
    #: The field whose value must be unique across records, if any.
    unique: str | None = "id"


def data_files(project: Project) -> tuple[DataFile, ...]:
    """The project's data files: resources, the bibliography and the glossary."""
    data, schemas = project.data_dir, project.schema_dir
    return (
        DataFile(data / "resources.yml", "resources", schemas / "resource.schema.json"),
        DataFile(data / "sources.yml", "sources", schemas / "source.schema.json"),
        DataFile(
            data / "glossary.yml", "acronyms", schemas / "glossary.schema.json", unique="term"
        ),
    )


def load_records(
    kind: DataFile, taxonomy: Taxonomy, allowed: tuple[str, ...] = ()
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Read every record of a data file: (the clean records, every problem). Never raises."""
    path = kind.path
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [], [
                Problem(
                    shown,
                    1,
                    "file",
                    f"is {size:,} bytes; a data file must be under {MAX_FILE_BYTES:,} bytes "
                    "(the same limit as a case study), so split it or shorten it",
                )
            ]
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []  # not written yet: an empty list, which pages say plainly
    except OSError as error:
        return [], [Problem(shown, 1, "file", f"cannot be read: {error.strerror or error}")]
    text, line, message = decode(data)
    if text is None:
        return [], [Problem(shown, line, "file", message)]
    try:
        loaded = strict_yaml.load(text)
    except strict_yaml.StrictYAMLError as error:
        return [], [Problem(shown, error.line, "file", error.message)]
    problems = [Problem(shown, ln, "file", msg) for ln, msg in loaded.problems]
    document = loaded.value
    if not isinstance(document, dict) or not isinstance(document.get(kind.key), list):
        problems.append(
            Problem(
                shown, 1, "file", (f"must have a list under '{kind.key}:', one '- ' entry per item")
            )
        )
        return [], problems
    extra = sorted(set(document) - {kind.key})
    for name in extra:
        problems.append(
            Problem(
                shown,
                loaded.line_of((name,)),
                name,
                (f"is not expected here; this file holds only the list '{kind.key}'"),
            )
        )

    schema = load_schema(kind.schema, taxonomy)
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(document[kind.key]):
        record_problems: list[Problem] = []
        label = f"{kind.key}[{index + 1}]"
        for field_path, message in schema.problems(record):
            field = ".".join([label, *(str(part) for part in field_path)])
            line = loaded.line_of((kind.key, index, *field_path))
            record_problems.append(Problem(shown, line, field, message))
        if isinstance(record, dict):
            for sub_path, value in strings(record):  # every text value, at any depth
                name = ".".join([label, *(str(part) for part in sub_path)])
                for _, _, message in check_personal_data(value, name, allowed):
                    line = loaded.line_of((kind.key, index, *sub_path))
                    record_problems.append(Problem(shown, line, name, message))
            key = record.get(kind.unique) if kind.unique else None
            if isinstance(key, str):
                line = loaded.line_of((kind.key, index))
                if key in seen:
                    record_problems.append(
                        Problem(
                            shown,
                            line,
                            f"{label}.{kind.unique}",
                            (f"'{key}' is already used on line {seen[key]}; each must be unique"),
                        )
                    )
                seen.setdefault(key, line)
        problems.extend(record_problems)
        if not record_problems:
            records.append(record)
    return records, problems

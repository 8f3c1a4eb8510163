"""The YAML data files in data/: resources, the bibliography and the glossary.

Each is a mapping with one key holding a list of records; every record is checked against its
JSON Schema with the same strict loader, messages and `path:line: field: message` format as the
case studies.
"""

from __future__ import annotations

import functools
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
    problem = functools.partial(Problem, display_path(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [], [
                problem(
                    1,
                    "file",
                    f"is {size:,} bytes; a data file must be under {MAX_FILE_BYTES:,} bytes "
                    "(the same limit as a case study), so split it or shorten it",
                )
            ]
        text, line, message = decode(path.read_bytes())
    except FileNotFoundError:
        return [], []  # not written yet: an empty list, which pages say plainly
    except OSError as error:
        return [], [problem(1, "file", f"cannot be read: {error.strerror or error}")]
    if text is None:
        return [], [problem(line, "file", message)]
    try:
        loaded = strict_yaml.load(text)
    except strict_yaml.StrictYAMLError as error:
        return [], [problem(error.line, "file", error.message)]
    problems = [problem(line, "file", message) for line, message in loaded.problems]
    document = loaded.value
    if not isinstance(document, dict) or not isinstance(document.get(kind.key), list):
        message = f"must have a list under '{kind.key}:', one '- ' entry per item"
        return [], [*problems, problem(1, "file", message)]
    for name in sorted(set(document) - {kind.key}):
        message = f"is not expected here; this file holds only the list '{kind.key}'"
        problems.append(problem(loaded.line_of((name,)), name, message))

    schema = load_schema(kind.schema, taxonomy)
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(document[kind.key]):
        record_problems = [
            problem(*_field(loaded, kind.key, index, where), message)
            for where, message in schema.problems(record)
        ]
        if isinstance(record, dict):
            for sub_path, value in strings(record):  # every text value, at any depth
                line, name = _field(loaded, kind.key, index, sub_path)
                for _, _, message in check_personal_data(value, name, allowed):
                    record_problems.append(problem(line, name, message))
            key = record.get(kind.unique) if kind.unique else None
            if isinstance(key, str):
                line, name = (
                    loaded.line_of((kind.key, index)),
                    f"{kind.key}[{index + 1}].{kind.unique}",
                )
                if key in seen:
                    message = f"'{key}' is already used on line {seen[key]}; each must be unique"
                    record_problems.append(problem(line, name, message))
                seen.setdefault(key, line)
        problems.extend(record_problems)
        if not record_problems:
            records.append(record)
    return records, problems


def _field(loaded: strict_yaml.Loaded, key: str, index: int, path: tuple) -> tuple[int, str]:
    """The line of a record's field and its name, such as `resources[2].url`."""
    name = ".".join([f"{key}[{index + 1}]", *(str(part) for part in path)])
    return loaded.line_of((key, index, *path)), name

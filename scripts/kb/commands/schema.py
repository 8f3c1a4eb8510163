"""`kb schema` prints the case-study schema for editors; `kb generate` remakes files made from it.

The schema in schema/ leaves out the allowed values, which live in data/taxonomy.yml; `kb schema`
prints it with them filled in, for editors and other tools. The template and the issue form are
made from the same two files by `kb generate`; `kb generate --check` fails when a committed copy
is out of date, and the tests run it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from kb import paths
from kb.cli import OK, PROBLEMS
from kb.issue_form import FORM_FILE, form_yaml
from kb.problems import Problem, print_problems
from kb.scaffold import template_text
from kb.schema import resolved_schema

#: Every generated file and the function that makes its text.
GENERATED: tuple[tuple[Path, Callable[[], str]], ...] = (
    (paths.TEMPLATE_FILE, template_text),
    (FORM_FILE, form_yaml),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    schema = subparsers.add_parser(
        "schema",
        help="print the case-study schema, with the allowed values filled in",
        description=(
            "Print the JSON Schema of a case study's front matter, with every list of allowed "
            "values filled in from data/taxonomy.yml, for editors and other tools."
        ),
    )
    schema.add_argument(
        "--output", type=Path, metavar="FILE", help="write it to FILE instead of printing it"
    )
    schema.set_defaults(run=run_schema)

    generate = subparsers.add_parser(
        "generate",
        help="remake the template and the issue form from the schema and taxonomy",
        description=(
            "Remake the files made from the schema and the taxonomy: "
            + ", ".join(paths.display_path(path) for path, _ in GENERATED)
            + ". With --check, change nothing and fail if any of them is out of date."
        ),
    )
    generate.add_argument(
        "--check", action="store_true", help="only check that the files are up to date"
    )
    generate.set_defaults(run=run_generate)


def schema_text() -> str:
    """The resolved schema as indented JSON."""
    return json.dumps(resolved_schema(paths.CASE_STUDY_SCHEMA_FILE), indent=2) + "\n"


def run_schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {paths.display_path(args.output)}")
    else:
        print(text, end="")
    return OK


def out_of_date() -> list[Problem]:
    """A problem for each generated file whose committed text differs from what is made now."""
    problems = []
    for path, make in GENERATED:
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != make():
            what = "is missing" if current is None else "is out of date"
            problems.append(
                Problem(
                    paths.display_path(path),
                    1,
                    "generated file",
                    f"{what}: it is made from the schema and the taxonomy; run kb generate, "
                    "then commit the result",
                )
            )
    return problems


def run_generate(args: argparse.Namespace) -> int:
    if args.check:
        problems = out_of_date()
        print_problems(problems)
        if problems:
            return PROBLEMS
        print(f"All {len(GENERATED)} generated files are up to date.")
        return OK
    for path, make in GENERATED:
        text = make()
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            print(f"Up to date: {paths.display_path(path)}")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"Wrote {paths.display_path(path)}")
    return OK

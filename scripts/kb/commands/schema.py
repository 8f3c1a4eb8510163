"""`kb schema` prints the case-study schema for editors; `kb generate` remakes files made from it.

The schema in schema/ leaves out the allowed values, which live in data/taxonomy.yml; `kb schema`
prints it with them filled in, for editors and other tools. The template and the issue form are
made from the same two files by `kb generate` (kb.contrib.generated); `kb generate --check` fails
when a committed copy is out of date, and the tests run it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kb.cli import OK, PROBLEMS, add_command, project_rules
from kb.content.problems import Problem, print_problems
from kb.content.project import display_path
from kb.contrib.generated import drifted, generated_files


def register(subparsers: argparse._SubParsersAction) -> None:
    schema = add_command(
        subparsers,
        "schema",
        run_schema,
        help="print the case-study schema, with the allowed values filled in",
        description="Print the JSON Schema of a case study's front matter, with every list of "
        "allowed values filled in from data/taxonomy.yml, for editors and other tools.",
    )
    schema.add_argument(
        "--output", type=Path, metavar="FILE", help="write it to FILE instead of printing it"
    )
    generate = add_command(
        subparsers,
        "generate",
        run_generate,
        help="remake the template and the issue form from the schema and taxonomy",
        description="Remake the files made from the schema and the taxonomy: the case-study "
        "template and the issue form. With --check, change nothing and fail if any is out of "
        "date.",
    )
    generate.add_argument(
        "--check", action="store_true", help="only check that the files are up to date"
    )


def run_schema(args: argparse.Namespace) -> int:
    _project, _taxonomy, rules = project_rules(args)
    text = json.dumps(rules.schema.resolved, indent=2) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {display_path(args.output)}")
    else:
        print(text, end="")
    return OK


def run_generate(args: argparse.Namespace) -> int:
    project, taxonomy, rules = project_rules(args)
    files = generated_files(project, rules, taxonomy)
    if args.check:
        message = (
            "is missing or out of date: it is made from the schema and the taxonomy; run "
            "kb generate, then commit the result"
        )
        if print_problems(
            Problem(display_path(path), 1, "generated file", message) for path in drifted(files)
        ):
            return PROBLEMS
        print(f"All {len(files)} generated files are up to date.")
        return OK
    for path in drifted(files):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], encoding="utf-8", newline="\n")
        print(f"Wrote {display_path(path)}")
    return OK

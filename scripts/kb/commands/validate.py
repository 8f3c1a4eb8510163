"""`kb validate [PATH ...]`: check case studies (and, by default, the data files)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kb.cli import (
    OK,
    PROBLEMS,
    USAGE,
    add_command,
    add_github_option,
    github_annotations,
    project_from,
    project_rules,
)
from kb.content.casestudy import Rules, case_study_files, load_case_studies
from kb.content.load import load_content, reserved_name_problems
from kb.content.problems import Problem, print_problems, summary


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "validate",
        run,
        help="check case studies and data files, reporting every problem",
        description="Check case studies and report every problem in every file, one per line, "
        "as 'path:line: field: message'. With no PATH, checks everything the site is built "
        "from: case_studies/ and the data files in data/, exactly as kb build does. "
        "Exit status: 0 clean, 1 problems found, 2 usage error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="case-study files or folders to check (default: case_studies/ and data/)",
    )
    add_github_option(parser)


def run(args: argparse.Namespace) -> int:
    try:
        if args.paths:
            _project, _taxonomy, rules = project_rules(args)
            problems, checked = check_paths(rules, args.paths)
        else:
            content, problems = load_content(project_from(args))
            checked = content.files_checked
    except FileNotFoundError as error:
        print(f"kb validate: {error.filename}: no such file or folder")
        return USAGE
    count = print_problems(problems, github_annotations=github_annotations(args))
    print(summary(checked, count, len({p.path for p in problems})))
    return PROBLEMS if count else OK


def check_paths(rules: Rules, paths: list[Path]) -> tuple[list[Problem], int]:
    """Check the case-study files named, and those in the folders named, with the build's rules."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(case_study_files(path))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(2, "no such file or folder", str(path))
    collection = load_case_studies(files, rules)
    return [*collection.problems, *reserved_name_problems(collection)], len(files)

"""`kb validate [PATH ...]`: check case studies (and, by default, the data files)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kb import paths
from kb.casestudy import case_study_files, load_case_studies
from kb.cli import OK, PROBLEMS, USAGE, add_github_option, github_annotations
from kb.datafiles import ALL_DATA_FILES, load_records
from kb.problems import Problem, print_problems
from kb.taxonomy import TaxonomyError, load_taxonomy


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check case studies and data files, reporting every problem",
        description=(
            "Check case studies and report every problem in every file, one per line, as "
            "'path:line: field: message'. With no PATH, checks everything in case_studies/ "
            "and the data files in data/. Exit status: 0 clean, 1 problems found, 2 usage error."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="case-study files or folders to check (default: case_studies/ and data/)",
    )
    add_github_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        load_taxonomy()
    except TaxonomyError as error:
        print(error)
        return PROBLEMS
    files: list[Path] = []
    for path in args.paths or [paths.CASE_STUDIES_DIR]:
        if path.is_dir():
            files.extend(case_study_files(path))
        elif path.is_file():
            files.append(path)
        else:
            print(f"kb validate: {path}: no such file or folder")
            return USAGE
    collection = load_case_studies(files)
    problems: list[Problem] = list(collection.problems)
    checked = len(files)
    if not args.paths:
        for kind in ALL_DATA_FILES:
            if kind.path.exists():
                checked += 1
                problems.extend(load_records(kind)[1])
    github = github_annotations(args)
    count = print_problems(problems, github_annotations=github)
    print(summary(checked, count, len({p.path for p in problems})))
    return PROBLEMS if count else OK


def summary(files: int, problems: int, files_with_problems: int) -> str:
    """The one-line summary: how many files were checked and how many problems were found."""
    noun = "file" if files == 1 else "files"
    if not problems:
        return f"Checked {files} {noun}: no problems found."
    return (
        f"Checked {files} {noun}: {problems} problem{'s' if problems != 1 else ''} "
        f"in {files_with_problems} file{'s' if files_with_problems != 1 else ''}. "
        "Fix each one as its message says, then run kb validate again."
    )

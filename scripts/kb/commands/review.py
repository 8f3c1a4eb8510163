"""`kb review`: what a pull request does to the case studies, as Markdown for a job summary."""

from __future__ import annotations

import argparse
from pathlib import Path

from kb.cli import OK, USAGE
from kb.content.project import Project

DEFAULT_ARTIFACT = "site"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review",
        help="describe the case studies a pull request adds or changes, in Markdown",
        description=(
            "Compare the case studies of two checkouts, the pull request's base and head, and "
            "write Markdown for the checks' job summary ($GITHUB_STEP_SUMMARY): each case study "
            "added or changed, with its key facts, period, categories and every problem kb "
            "validate finds in the head, and the name of the artifact holding the built site. "
            "Exit status: 0 written (problems are reported, not failed on), 2 usage error."
        ),
    )
    parser.add_argument("--base", type=Path, required=True, metavar="DIR", help="the base")
    parser.add_argument("--head", type=Path, required=True, metavar="DIR", help="the head")
    parser.add_argument(
        "--artifact",
        default=DEFAULT_ARTIFACT,
        metavar="NAME",
        help=f"the name of the artifact holding the built site (default: {DEFAULT_ARTIFACT})",
    )
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="append to FILE instead of printing"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kb.contrib.review import review

    for name in ("base", "head"):
        folder = getattr(args, name)
        if not (folder / "case_studies").is_dir():
            print(f"kb review: {folder}: no case_studies folder in this --{name} checkout")
            return USAGE
    text = review(Project(args.base), Project(args.head), args.artifact)
    if args.output is None:
        print(text, end="")
    else:
        with args.output.open("a", encoding="utf-8") as stream:
            stream.write(text)
    return OK

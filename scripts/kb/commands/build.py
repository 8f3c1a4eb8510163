"""`kb build`: build the site with mkdocs (strict), index it for search, check what was written."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from kb.build import BuildOptions, StageResult, quiet_mkdocs_logging, run_pipeline
from kb.cli import OK, PROBLEMS, USAGE, add_command, project_from


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "build",
        run,
        help="build the site, index it for search and check every case study is in it",
        description="Build the published site: mkdocs in strict mode checks every case study "
        "and data file (as kb validate does) and builds the pages; Pagefind indexes them; then "
        "every published case study is checked to have exactly one page, one record in the "
        "open-data export and one in the search index. Stops at the first stage with problems. "
        "Exit status: 0 built, 1 problems found, 2 usage error.",
    )
    add_common_arguments(parser)
    parser.add_argument(
        "--site-dir",
        type=Path,
        metavar="DIR",
        help="write the site here (default: site/ beside mkdocs.yml)",
    )


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """--case-studies and --verbose, shared with `kb serve`."""
    parser.add_argument(
        "--case-studies",
        type=Path,
        metavar="DIR",
        help="build the case studies in DIR instead of case_studies/ (for tests and benchmarks)",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show mkdocs' information messages too"
    )


def options_from(args: argparse.Namespace) -> BuildOptions | None:
    """The build options, with mkdocs' logging set up; None, said why, when a folder given
    does not exist."""
    if args.case_studies is not None and not args.case_studies.is_dir():
        print(f"kb {args.command}: {args.case_studies}: no such folder of case studies")
        return None
    quiet_mkdocs_logging(verbose=args.verbose)
    # mkdocs-material prints a notice about its future on every build; it is not about this site.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return BuildOptions(
        project=project_from(args),
        site_dir=getattr(args, "site_dir", None),
        case_studies=args.case_studies,
    )


def run(args: argparse.Namespace) -> int:
    options = options_from(args)
    if options is None:
        return USAGE
    results = run_pipeline(options, report=print_result)
    if any(result.problems for result in results):
        return PROBLEMS
    total = sum(result.seconds for result in results)
    print(f"Built the site in {options.built_site_dir()} in {total:.1f} s.")
    return OK


def print_result(result: StageResult) -> None:
    """A stage's problems, one per line, then its name and time."""
    for line in result.problems:
        print(line)
    status = "failed" if result.problems else "ok"
    print(f"kb build: {result.name}: {status} ({result.seconds:.1f} s)")

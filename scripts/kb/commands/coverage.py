"""`kb coverage`: which categories, regions and commissioner types need case studies."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from kb.cli import OK, PROBLEMS, USAGE, add_command, project_rules
from kb.content.casestudy import case_study_files, load_case_studies
from kb.content.problems import plural, print_problems
from kb.coverage import CSV_COLUMNS, RENDERERS, build_report, check_messages

DESCRIPTION = """\
Count the published case studies in each category (against its wanted minimum, with priority
categories marked PRIORITY and the gaps listed), in each region and for each commissioner type,
and in each category and region. A case study in several categories counts once in each; one
with joint commissioners counts once for each distinct commissioner type. Also lists published
case studies due for review (reviewed more than a year ago) and those needing an archive
decision (reviewed more than three years ago).

Files with problems are not counted: their problems are printed on standard error as
'path:line: field: message', the report says which files were left out, and the report of the
other files is still printed.

Exit status: 0 when the report was printed (even if some files were not counted: the report
says so); with --check, 1 when any PRIORITY category is below its wanted minimum or any file
could not be counted (a file left out could be the case study the check is missing), else 0;
2 for a usage error.
"""

EPILOG = f"""\
formats:
  table     plain text for a terminal (the default), in words as well as figures
  markdown  GitHub-flavoured Markdown tables, to paste into an issue
  json      one object with every figure; keys are stable (format_version says which)
  csv       one long table, one row per figure, with the columns
            {",".join(CSV_COLUMNS)}
            section is categories, regions or commissioner_types (one row per term);
            category_by_region (one row per category and region, region_id and region_name
            filled in); or due_for_review / archive_decision_needed (one row per case study:
            term_id is its file name without .md, term_name its title, reviewed its date).
            An empty cell means the column does not apply: drafts without --include-drafts,
            wanted_minimum, priority (yes/no) and gap outside categories.

--check prints its result on standard error, so it can be combined with any format.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers,
        "coverage",
        run,
        help="show which categories, regions and commissioner types need case studies",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--case-studies",
        type=Path,
        default=None,
        metavar="DIR",
        help="the folder of case studies (default: case_studies/)",
    )
    parser.add_argument(
        "--format",
        choices=sorted(RENDERERS),
        default="table",
        help="how to print the report (default: table; see 'formats' below)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if any PRIORITY category is below its wanted minimum, naming each one",
    )
    parser.add_argument(
        "--include-drafts",
        action="store_true",
        help="also count drafts, in a separate 'Drafts' column; they never fill a gap",
    )
    parser.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date review ages are measured from (default: today)",
    )


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a date written YYYY-MM-DD, like 2026-03-31; got {value!r}"
        ) from None


def run(args: argparse.Namespace) -> int:
    project, taxonomy, rules = project_rules(args)
    directory: Path = args.case_studies or project.case_studies_dir
    if not directory.is_dir():
        print(f"kb coverage: {directory}: no such folder", file=sys.stderr)
        return USAGE
    collection = load_case_studies(case_study_files(directory), rules)
    report = build_report(
        collection, taxonomy, include_drafts=args.include_drafts, today=args.today
    )
    if report.problems:
        print_problems(report.problems, stream=sys.stderr)
        files = len(report.files_not_counted)
        print(
            f"kb coverage: {plural(files, 'file')} with problems {'was' if files == 1 else 'were'}"
            f" NOT counted; run kb validate for how to fix {'it' if files == 1 else 'them'}.",
            file=sys.stderr,
        )
    sys.stdout.write(RENDERERS[args.format](report))
    sys.stdout.flush()
    if not args.check:
        return OK
    for message in check_messages(report):
        print(message, file=sys.stderr)
    return OK if report.check_passed else PROBLEMS

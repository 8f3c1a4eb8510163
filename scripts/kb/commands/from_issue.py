"""`kb from-issue [FILE|-]`: turn a submitted case-study issue form into a case-study file.

Give it the issue's body (saved to a file, or on standard input with '-'). It reports every
problem against the line of the issue it came from, as 'issue:line: Form label: message',
and writes the file only when there are none. `--dry-run` checks without writing.

`--reply FILE` also writes the same problems for the person who filled in the form, as the
comment the issue-feedback workflow posts: a bulleted list naming each question and what to
write instead, with no file, line number or command, and never repeating what they wrote.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb.cli import (
    OK,
    PROBLEMS,
    USAGE,
    add_config_option,
    add_github_option,
    github_annotations,
    project_rules,
)
from kb.content.casestudy import decode
from kb.content.problems import Problem, one_line, print_problems
from kb.content.project import display_path
from kb.contrib.issue_form import convert, reply_text, unreadable_reply
from kb.contrib.scaffold import write_new


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "from-issue",
        help="turn a submitted case-study issue form into a case-study file",
        description=(
            "Read the body of an issue made with the 'Share a case study' form and write it as "
            "a case-study file. Every problem is reported with the line of the issue and the "
            "form's label for the field. Nothing is written while there are problems. "
            "Exit status: 0 written (or, with --dry-run, no problems), 1 problems, 2 usage error."
        ),
    )
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="a file holding the issue's body, or '-' (the default) to read standard input",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="the folder to write the case study in (default: case_studies/)",
    )
    parser.add_argument("--dry-run", action="store_true", help="check the issue and write nothing")
    parser.add_argument(
        "--status",
        choices=("draft", "published"),
        default="draft",
        help="the status to write (default: draft, so a maintainer reviews it first)",
    )
    parser.add_argument("--slug", help="the file name, without .md (default: from the title)")
    parser.add_argument(
        "--name",
        help="what to call the issue in messages (default: the FILE given, or 'issue')",
    )
    parser.add_argument(
        "--reply",
        type=Path,
        metavar="REPLY",
        help=(
            "also write a reply for the person who filled in the form to REPLY: what to change, "
            "question by question, in plain words (the issue-feedback workflow posts it)"
        ),
    )
    add_config_option(parser)
    add_github_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project, taxonomy, rules = project_rules(args)
    directory = args.dir or project.case_studies_dir
    if args.file == "-":
        # The bytes, so that bad ones are reported at their line; a text stream (as in tests,
        # or an embedding program) has no buffer and is read as text.
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read() if stream else sys.stdin.read().encode("utf-8", "surrogatepass")
        shown = args.name or "issue"
    else:
        path = Path(args.file)
        try:
            data = path.read_bytes()
        except OSError as error:
            print(
                f"kb from-issue: {one_line(args.file)}: cannot be read: {error.strerror or error}"
            )
            return USAGE
        shown = args.name or display_path(path)
    decoded, line, message = decode(data)  # bad bytes are a problem at their line, not a crash
    if decoded is None:
        print_problems([Problem(shown, line, "file", message)], github_annotations=False)
        write_reply(args.reply, unreadable_reply())
        return PROBLEMS
    result = convert(
        decoded, rules=rules, taxonomy=taxonomy, shown=shown, status=args.status, slug=args.slug
    )
    target = directory / f"{result.slug}.md"
    problems = list(result.problems)
    if target.exists():
        taken = (
            f"{display_path(target)} already exists, and kb from-issue never overwrites a "
            "file; give another name with --slug NAME"
        )
        problems.append(Problem(shown, 1, "file", taken))
    count = print_problems(problems, github_annotations=github_annotations(args))
    # A name that is taken is for a maintainer to settle, not the contributor.
    write_reply(args.reply, reply_text(result.advice))
    if count:
        print(
            f"Found {count} problem{'s' if count != 1 else ''} in the issue, so nothing was "
            "written. Edit the issue (or the saved text) as each message says, then run "
            "kb from-issue again."
        )
        return PROBLEMS
    if args.dry_run:
        print(f"No problems found: it would be written as {display_path(target)}.")
        return OK
    written = write_new(directory, result.slug, result.text)
    shown_path = display_path(written)
    print(
        f"Wrote {shown_path} (status: {args.status}). Read it through, then open a pull "
        f"request; kb validate {shown_path} checks it again after any edit."
    )
    return OK


def write_reply(path: Path | None, text: str) -> None:
    """Write the contributor's reply to `path`, if one was asked for."""
    if path is not None:
        path.write_text(text, encoding="utf-8", newline="\n")

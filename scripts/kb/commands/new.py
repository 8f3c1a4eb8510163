"""`kb new`: start a case study. Asks for each field in a terminal, or takes them as options.

Every answer is checked at once with the validator's own rules, and the file is written only
when its front matter would pass `kb validate`. The five sections hold guidance starting
"Replace this:", which `kb validate` reports until it is replaced with the contributor's words.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
from pathlib import Path
from typing import Any, TextIO

from kb.cli import OK, PROBLEMS, USAGE, project_rules
from kb.content.casestudy import Rules, case_study_text
from kb.content.load import load_rules
from kb.content.project import ProjectNotFound, display_path, find_project
from kb.content.taxonomy import Taxonomy, TaxonomyError, Term, load_taxonomy
from kb.contrib.scaffold import (
    NOT_ASKED,
    SEPARATOR,
    Field,
    answer_problems,
    body_text,
    build_meta,
    check_text,
    did_you_mean,
    fields,
    interpret,
    leaves,
    required_now,
    slugify,
    split_names,
    write_new,
)

#: Short flags for fields whose dotted names make long ones. Any other field's flag is
#: --its-name, a list's in the singular (--source, --caveat); a list's may be given more than once.
FLAGS: dict[str, str] = {
    "dpulo.name": "--dpulo",
    "commissioner.name": "--commissioner",
    "categories": "--category",
    "period.start": "--start",
    "period.end": "--end",
    "period.confirmed": "--confirmed",
}
#: The kinds of field that take a list of answers.
MANY = ("choices", "records", "texts")

_FORMATS = {
    "sources": (
        f'TITLE {SEPARATOR} PUBLISHER {SEPARATOR} URL [{SEPARATOR} DATE] [{SEPARATOR} "QUOTE"]...'
    ),
    "other_commissioners": f"NAME {SEPARATOR} KIND",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "new",
        formatter_class=_HelpFormatter,
        help="start a new case study, asking for each field",
        description=(
            "Start a new case study in case_studies/. In a terminal, kb new asks for each field "
            "in turn and checks every answer; otherwise give the fields as options. It names the "
            "file from the title, never overwrites a file, and prints what to do next."
        ),
    )
    # Every kb command builds this parser, in whatever folder it runs: the flags list the
    # choices of the project found here, if any; kb validate reports a broken taxonomy.
    questions: list[tuple[Field, list[Term]]] = []
    try:
        project = find_project()
        taxonomy = load_taxonomy(project.taxonomy_file)
        rules = load_rules(project, taxonomy)
        questions = [(item, item.choices(taxonomy)) for item in askable_fields(rules)]
    except (ProjectNotFound, TaxonomyError, OSError, ValueError, KeyError):
        pass
    for item, terms in questions:
        many = item.kind in MANY
        need = "required" if item.required and item.kind != "records" else "optional"
        choices = f" One of: {', '.join(term.id for term in terms)} (or the name)." if terms else ""
        parser.add_argument(
            flag_for(item),
            dest=_dest(item),
            action="append" if many else "store",
            metavar=_metavar(item),
            help=f"{item.help}{choices} ({need}{'; repeat for more' if many else ''})",
        )
    parser.add_argument(
        "--status",
        choices=("draft", "published"),
        default="draft",
        help="draft (the default) keeps it off the site; published shows it once it passes",
    )
    parser.add_argument(
        "--dir", type=Path, help="the folder to write it in (default: case_studies/)"
    )
    parser.add_argument("--slug", help="the file name, without .md (default: made from the title)")
    parser.add_argument(
        "--no-input",
        action="store_true",
        help="never ask questions, even in a terminal; report what is missing instead",
    )
    parser.set_defaults(run=run)


def flag_for(item: Field) -> str:
    """The command-line flag of a field: its short form, else --name-with-hyphens."""
    flag = "--" + item.name.replace("_", "-").replace(".", "-")
    return FLAGS.get(item.name) or (flag.removesuffix("s") if item.kind in MANY else flag)


class _HelpFormatter(argparse.HelpFormatter):
    """Argparse's help, without breaking ids such as 'north-east' at their hyphens."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def _metavar(item: Field) -> str:
    if item.name in _FORMATS:
        return _FORMATS[item.name]
    if item.kind in ("choice", "choices", "fixed"):
        return "ID"
    if item.kind == "partial_date":
        return "YYYY[-MM]"
    return "URL" if item.kind == "url" else "TEXT"


def askable_fields(rules: Rules) -> list[Field]:
    """The fields kb new asks for: all but the dates and the status, which it sets itself."""
    return [item for item in leaves(fields(rules)) if item.path[0] not in NOT_ASKED]


def _dest(item: Field) -> str:
    return "field_" + item.name.replace(".", "__")


def run(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    try:
        return _new(args, stdin or sys.stdin, out)
    except EOFError:
        _say(out, "\nkb new: stopped; nothing was written.")
        return USAGE


def _new(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    project, taxonomy, rules = project_rules(args)
    directory = args.dir or project.case_studies_dir
    today = dt.date.today()
    given = {
        item.name: getattr(args, _dest(item))
        for item in askable_fields(rules)
        if getattr(args, _dest(item)) not in (None, [])
    }
    interactive = not args.no_input and stdin.isatty()
    answers: dict[str, Any] = {}
    problems: list[tuple[Field, str]] = []
    for item in askable_fields(rules):
        if item.name in given:
            value, messages = interpret(item, given[item.name], taxonomy)
            messages = messages or answer_problems(item, value, rules, answers)
            if messages and interactive:
                _say(out, f"\n{flag_for(item)}: {messages[0]}")
                given.pop(item.name)
            else:
                answers[item.name] = value
                problems.extend((item, message) for message in messages)
        if item.name not in given and interactive:
            answers[item.name] = ask(item, taxonomy, rules, answers, stdin, out)
        elif item.name not in given and item.required and item.kind != "records":
            problems.append((item, f"is missing: {item.description}"))

    slug = args.slug or slugify(str(answers.get("title") or ""))
    while True:
        meta = build_meta(answers, rules=rules, today=today, status=args.status)
        text = case_study_text(meta, body_text({}, rules))  # the sections hold guidance
        reported = {item.name for item, _ in problems}
        problems += [
            (item, message)
            for item, message in front_matter_problems(text, slug, today, rules)
            if item.name not in reported
        ]
        if not problems:
            break
        if not interactive:
            for item, message in problems:
                _say(out, f"kb new: {_flag_message(item, message)}")
            _say(
                out,
                f"Nothing was written: fix the {'option' if len(problems) == 1 else 'options'} "
                "above and run kb new again (kb new --help lists every option).",
            )
            return PROBLEMS
        for item, message in problems:  # ask again for each, showing the validator's message
            _say(out, f"\n{item.label}: {message}")
            answers[item.name] = ask(item, taxonomy, rules, answers, stdin, out)
        problems = []

    try:
        path = write_new(directory, slug, text)
    except FileExistsError:
        existing = display_path(directory / f"{slug}.md")
        _say(
            out,
            f"kb new: {existing} already exists, and kb new never overwrites a file. Choose "
            "another title, or name the file yourself with --slug NAME.",
        )
        return PROBLEMS
    shown = display_path(path)
    _say(
        out,
        f"\nCreated {shown} (status: {args.status}).\n\n"
        "Next steps:\n"
        "  1. Open the file and write the five sections. Replace each line that starts\n"
        '     "Replace this:" with your own words.\n'
        f"  2. Check it:  kb validate {shown}\n"
        "     It lists anything left to do, and the line to change.\n"
        "  3. When it finds no problems, open a pull request. CONTRIBUTING.md explains how.",
    )
    return OK


def _flag_message(item: Field, message: str) -> str:
    """'--source: [2].url: must …' reads better as '--source (number 2): url: must …'."""
    if message.startswith("["):
        number, _, rest = message[1:].partition("]")
        return f"{flag_for(item)} (number {number}): {rest.lstrip('.:').lstrip()}"
    return f"{flag_for(item)}: {message}"


def front_matter_problems(
    text: str, slug: str, today: dt.date, rules: Rules
) -> list[tuple[Field, str]]:
    """What `kb validate` would say about the front matter of `text` (not the unwritten body)."""
    by_name = {item.name: item for item in askable_fields(rules)}
    problems = []
    for problem in check_text(text, slug, rules, today):
        if problem.field == "body":
            continue  # the sections hold guidance until the contributor writes them
        name = problem.field.split("[")[0]
        while name not in by_name and "." in name:
            name = name.rpartition(".")[0]
        item = by_name.get(name) or next(
            (i for i in by_name.values() if i.name.startswith(f"{name}.")), None
        )
        if item is not None:
            inner = problem.field[len(item.name) :].lstrip(".")
            problems.append((item, f"{inner}: {problem.message}" if inner else problem.message))
    return problems


# ---------------------------------------------------------------------------------------------
# Asking in a terminal


def ask(
    item: Field,
    taxonomy: Taxonomy,
    rules: Rules,
    answers: dict[str, Any],
    stdin: TextIO,
    out: TextIO,
) -> Any:
    """Ask for one field until the answer passes the validator's rules; None if skipped.

    A list (of records, or of short texts such as caveats) is asked for one per line.
    """
    many = item.kind in ("records", "texts")
    compiled = answers.get("consent") == "published-sources"
    required = item.kind != "records" and required_now(item, rules, answers)
    if item.name == "sources" and compiled:
        required = True
    if item.name == "period.confirmed" and answers.get("period.end") != "ongoing":
        return None  # only asked for work still going on
    _say(out, f"\n{item.label} ({'required' if required else 'optional'})")
    _say(out, textwrap.fill(item.help, 78))
    if item.limits:
        _say(out, item.limits)
    terms = item.choices(taxonomy)
    for number, term in enumerate(terms, start=1):
        _say(out, f"  {number:>2}. {term.name}")
    if terms:
        how = "numbers separated by commas" if item.kind == "choices" else "a number"
        _say(out, f"Type {how}, or the name.")
    if many:
        shape = f", as {_FORMATS[item.name]}" if item.name in _FORMATS else ""
        _say(out, f"Type one per line{shape}, and an empty line to finish.")
    elif not required:
        _say(out, "Press Enter to leave it out.")
    if item.name == "sources" and compiled:
        _say(
            out,
            "Because the case study is compiled from published sources, give each source at "
            'least one passage copied word for word from it, in double quotes: "like this".',
        )
    records: list[Any] = []
    while True:
        typed = _read(stdin, out).strip()
        if not typed and (records or not required):
            return records or None
        if not typed and not many:
            _say(out, "  This one is needed. " + item.help)
            continue
        if not typed:
            because = compiled and (item.kind == "records" or not item.required)
            why = ", because of your answer about consent" if because else ""
            _say(out, f"  At least one is needed{why}.")
            continue
        raw, choice_problem = (typed, None)
        if terms:
            raw, choice_problem = _from_numbers(typed, terms, many=item.kind == "choices")
        value, messages = interpret(item, raw, taxonomy)
        messages = [choice_problem] if choice_problem else messages
        messages = messages or answer_problems(
            item, [*records, *value] if many else value, rules, answers
        )
        for message in messages:
            _say(out, f"  That does not work yet: {message}")
        if not many and not messages:
            return value
        if not many:
            _say(out, "  Please try again.")
        elif not messages:
            records.extend(value)
            _say(out, "  Added. Type another, or press Enter to finish.")


def _from_numbers(typed: str, terms: list[Term], many: bool) -> tuple[str | list[str], str | None]:
    """What was typed for a list of choices, as ids; or a message saying what to type instead.

    Numbers and names (or ids) may be mixed: '1, Employment, education or transport'. Names may
    contain commas, so whole names are matched first.
    """
    numbered = {str(number): term for number, term in enumerate(terms, start=1)}
    names = [term.name for term in terms] + [term.id for term in terms] + list(numbered)
    parts = (split_names(typed, names) if many else [typed.strip()]) or [
        part.strip() for part in typed.split(",")
    ]
    chosen = []
    for part in parts:
        typed_name = " ".join(part.split()).casefold()
        match = numbered.get(part) or next(
            (term for term in terms if typed_name in (term.name.casefold(), term.id.casefold())),
            None,
        )
        if match is None:
            close = did_you_mean(part, [term.name for term in terms])
            guess = f" Did you mean '{close}'?" if close else ""
            return typed, (
                f"'{part}' is not one of the choices above.{guess} Type a number from 1 to "
                f"{len(terms)}, or a name as it is shown."
            )
        chosen.append(match.id)
    return (chosen if many else chosen[0]), None


def _read(stdin: TextIO, out: TextIO) -> str:
    out.write("> ")
    out.flush()
    line = stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def _say(out: TextIO, text: str) -> None:
    print(text, file=out)

"""The GitHub issue form for people who do not use Git, and turning a submitted one into a file.

`form_yaml` writes .github/ISSUE_TEMPLATE/case-study.yml from the schema and the taxonomy (so
its choices never drift); `convert` reads the Markdown GitHub makes from a submitted form:

    ### Title

    Peer support planning with Exampleshire Council

    ### Region

    _No response_

Values are parsed by label, in the form's order, so a '### ' heading inside a long answer is
kept as part of it. Every value goes into the file as a double-quoted YAML string (so no answer
can add or change a field), and the file is then checked by `kb validate`'s own `check_file`,
with each problem reported against the line of the issue it came from.

Answers are asked in plain words: 'Not known' is a choice, 'not known' may be written for a
date, and 'When the work ended' left empty means the work is still going on (`_settle_period`).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

import yaml

from kb.content import licence
from kb.content.casestudy import Rules, check_file
from kb.content.casestudy import case_study_text as write_case_study
from kb.content.problems import Problem
from kb.content.taxonomy import Taxonomy
from kb.content.text_rules import check_links, check_raw_html, markdown_lines
from kb.contrib.scaffold import (
    CONSENT_CHOICES,
    NOT_ASKED,
    SEPARATOR,
    Field,
    body_text,
    build_meta,
    did_you_mean,
    fields,
    front_matter_text,
    guidance,
    leaves,
    normalise_partial_date,
    one_line,
    parse_commissioner,
    parse_source,
    slugify,
    split_names,
    term_for,
)

#: Where the issue form is, relative to the project root.
FORM_PATH = Path(".github") / "ISSUE_TEMPLATE" / "case-study.yml"

#: What GitHub writes for a field left empty, and for 'None' chosen in an optional drop-down.
NO_RESPONSE = ("_No response_", "None")
_NO_ANSWER = ("", *NO_RESPONSE)

#: What the form says before the questions.
INTRO = (
    "Thank you for sharing how a disabled people's user-led organisation (DPULO) and a "
    "commissioner worked together. You do not need to know Git: fill in this form and a "
    "volunteer will turn it into a page, and may ask you questions in a comment.\n\n"
    "**Everyone can read this form once you submit it.** Please name organisations, not "
    "private individuals, and leave out personal contact details. If you do not know an "
    "answer, say so: choose Not known, or leave an answer that is not required empty. You can "
    "edit it after submitting. The guide to contributing on our website explains what we "
    "check, and we aim to reply within 10 working days."
)

#: The ticks every submission needs, in the words the form shows.
AGREEMENTS = (
    "The organisations named agreed to this being published, or everything in it comes from "
    "the published sources I listed.",
    "It gives no personal contact details (no private e-mail addresses, phone numbers or home "
    "addresses) and names no private individual without their agreement.",
    licence.CONTRIBUTOR_AGREEMENT,
)
AGREEMENTS_LABEL = "Before you submit"

#: Help in the form's own words where the schema's speaks of the file (its ids, "ongoing") or
#: the form is answered differently: a drop-down's "Not known", or an empty answer meaning
#: "still going on".
FORM_HELP: dict[str, str] = {
    "sourcing": (
        "How the work was paid for or bought. Choose Not known if you do not know, or the "
        "sources do not say."
    ),
    "outcome": (
        "How the work stands now, or how it ended. Choose Continuing if it is still going on, "
        "or Not known if you do not know."
    ),
    "period.start": (
        "The year, or the month and year, it started, such as 2019 or April 2019. Write "
        "not known if you do not know."
    ),
    "period.end": (
        "The year, or the month and year, it ended, such as 2014 or March 2014. Leave it empty "
        "if the work is still going on. Write not known if it has ended but you do not know "
        "when."
    ),
    "period.confirmed": (
        "Only if the work is still going on. Leave it empty if you know it is going on now. If "
        "you know only from a report, web page or other source, give the month and year of "
        "the latest one that shows it going on, such as January 2026."
    ),
    "caveats": (
        "Anything a reader must know before relying on this case study, one plain sentence on "
        "each line: for example that the sources disagree, that the only source is the "
        "organisation's own account, or that some dates are guesses. Needed if the case "
        "study comes only from published sources; otherwise leave it empty if there is nothing."
    ),
}

#: Labels in the form's own words where the shared label (kb.contrib.scaffold.LABELS) reads
#: as a heading for readers rather than a question for a contributor.
FORM_LABELS: dict[str, str] = {
    "period.confirmed": "When it was last known to be going on",
    "caveats": "Anything a reader must know first",
}

#: Example answers shown in empty date fields.
PLACEHOLDERS: dict[str, str] = {
    "period.start": "2019 or April 2019",
    "period.end": "2014 or March 2014; empty if still going on",
    "period.confirmed": "January 2026",
}

#: Fields asked after the five sections rather than in the schema's order: what a reader must
#: know first is easiest to say once everything else is written.
ASKED_LAST = ("caveats",)

#: Outcomes that mean the work has ended, so 'When the work ended' cannot be left empty.
ENDED_OUTCOMES = (
    "ended-as-planned",
    "lost-at-retender",
    "brought-in-house",
    "organisation-closed",
)

#: Words (folded: lower case, letters only) a contributor may write for a date nobody knows,
#: and for work that has not ended.
_NOT_KNOWN_WORDS = frozenset(
    {"unknown", "notknown", "dontknow", "donotknow", "notsure", "idontknow", "idonotknow"}
)
_ONGOING_WORDS = frozenset(
    {
        "ongoing",
        "stillgoingon",
        "stillgoing",
        "goingon",
        "continuing",
        "stillcontinuing",
        "stillrunning",
        "notended",
        "present",
        "now",
        "current",
        "tothisday",
    }
)

_FORMATTING_HELP = (
    'You can use **bold**, lists starting with "- " and links written [link text](https://…).'
)

#: Lists of records asked one record at a time, as a few questions each, rather than one record
#: a line: the records' singular noun, how many are asked for, and the number of the first
#: (the main commissioner is asked first, so the others start at the second).
RECORD_QUESTIONS: dict[str, tuple[str, int, int]] = {
    "other_commissioners": ("commissioner", 3, 2),
}

#: Words for the parts of a record asked one record at a time, after "Second commissioner: ",
#: where the part's name is not the word.
RECORD_PART_WORDS: dict[str, str] = {"type": "kind"}

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


@dataclass(frozen=True)
class FormField:
    """One field of the issue form: a front-matter field, a body section or the agreements."""

    id: str
    type: str  # input, textarea, dropdown or checkboxes
    label: str
    description: str
    required: bool
    field: Field | None = None
    section: dict[str, str] | None = None
    options: tuple[str, ...] = ()
    multiple: bool = False
    #: For a list of records asked one record at a time (`RECORD_QUESTIONS`): which record this
    #: question is about (0 for the first) and which of its parts it asks for; `field` is then
    #: the whole list.
    record: int | None = None
    part: Field | None = None


def form_fields(rules: Rules, taxonomy: Taxonomy) -> list[FormField]:
    """Every field of the form, in order: the front matter, the five sections, the fields
    asked last (`ASKED_LAST`), the agreements.

    The dates and status are left out (`AUTOMATIC`): a maintainer sets them when publishing.
    """
    result, last = [], []
    for item in leaves(fields(rules)):
        if item.path[0] in NOT_ASKED:
            continue
        if item.name in RECORD_QUESTIONS:
            result.extend(_record_questions(item, taxonomy))
            continue
        (last if item.name in ASKED_LAST else result).append(_form_field(item, taxonomy))
    for section in rules.schema.body_sections:
        result.append(
            FormField(
                id=section["id"],
                type="textarea",
                label=section["heading"],
                description=f"{section['prompt']} {_FORMATTING_HELP}",
                required=True,
                section=section,
            )
        )
    result.extend(last)
    result.append(
        FormField(
            id="agreements",
            type="checkboxes",
            label=AGREEMENTS_LABEL,
            description="We can only publish a case study when all of these are true.",
            required=True,
            options=AGREEMENTS,
        )
    )
    return result


#: Form field ids that must not be a field's own name: GitHub reads `?title=` in a new-issue
#: address as the issue's title, so the case study's title field needs another id for the
#: writer on the site to fill it in.
_RESERVED_IDS = {"title": "case-study-title"}


def form_id(name: str) -> str:
    """The issue form's id for a field (its dotted name with hyphens), unique and not reserved."""
    plain = name.replace(".", "-").replace("_", "-")
    return _RESERVED_IDS.get(plain, plain)


#: The kind of question the form asks for each kind of field; any other is a line to type in.
_QUESTION_TYPES = {
    "choice": "dropdown",
    "choices": "dropdown",
    "fixed": "dropdown",
    "records": "textarea",
    "long_text": "textarea",
    "texts": "textarea",
}

#: What the form adds to a field's help for each kind of field.
_HOW_TO_ANSWER = {"choice": " Choose one.", "texts": " Write one per line."}


def _form_help(item: Field) -> str:
    """The help the form shows for a field: `FORM_HELP`, else the plain help for answers."""
    return FORM_HELP.get(item.name, item.help)


def _form_field(item: Field, taxonomy: Taxonomy) -> FormField:
    options = tuple(CONSENT_CHOICES.get(value, value) for value in item.fixed)
    if item.facet:
        options = tuple(term.name for term in taxonomy.terms(item.facet))
    if item.kind == "records":
        description = _sources_help(item)
    else:
        description = FORM_HELP.get(item.name, item.help + _HOW_TO_ANSWER.get(item.kind, ""))
    return FormField(
        id=form_id(item.name),
        type=_QUESTION_TYPES.get(item.kind, "input"),
        label=FORM_LABELS.get(item.name, item.label),
        description=description,
        # An empty list is allowed, and an empty 'When the work ended' means still going on.
        required=item.required
        and item.kind not in ("records", "texts")
        and item.name != "period.end",
        field=item,
        options=options,
        multiple=item.kind == "choices",
    )


#: How a source is written in the form, in words and as an example.
SOURCE_HOW = (
    f"Write each source on its own line: first its web address, then its title, then who "
    f"published it, then the year it was published if you know it, with a {SEPARATOR} "
    "between each."
)
SOURCE_EXAMPLE = (
    f"https://www.example.org/report {SEPARATOR} Annual report 2019 {SEPARATOR} "
    "Exampleshire Council"
)

#: The parts of a source in the order the form asks for them, one source a line.
SOURCE_PARTS = ("url", "title", "publisher", "date")


def _sources_help(item: Field) -> str:
    """The help for the sources, the one list of records asked in one answer."""
    return (
        f"{item.help} {SOURCE_HOW} After those, add the passages the case study relies on, "
        f"copied word for word from the source, each in double quotes after another "
        f"{SEPARATOR} (mark a cut with [...]). If the case study comes only from published "
        "sources, every source needs at least one passage. For example: "
        f'{SOURCE_EXAMPLE} {SEPARATOR} 2019 {SEPARATOR} "The forum ran 40 support planning '
        'sessions."'
    )


def _record_questions(item: Field, taxonomy: Taxonomy) -> list[FormField]:
    """A list of records asked one record at a time: for each, a question for each part.

    'Second commissioner: name' (a line to type in) and 'Second commissioner: kind' (a drop-down
    of the kinds), then the same for the third and fourth; every one may be left empty.
    """
    noun, count, first = RECORD_QUESTIONS[item.name]
    questions = []
    for record in range(count):
        ordinal = _ORDINALS[first + record - 1]
        for part in item.children:
            key = part.path[-1]
            options: tuple[str, ...] = ()
            if part.facet:
                options = tuple(term.name for term in taxonomy.terms(part.facet))
                description = (
                    f"What kind of public body the {ordinal} {noun} is. Leave it empty if "
                    f"there is no {ordinal} {noun}."
                )
            else:
                other = "another" if record == 0 else f"a {ordinal}"
                description = (
                    f"Only if {other} public body commissioned or funded the work jointly with "
                    "the commissioner above: its name. Leave it empty if there is none."
                )
            questions.append(
                FormField(
                    id=form_id(f"{noun}-{first + record}-{key}"),
                    type="dropdown" if options else "input",
                    label=f"{ordinal.capitalize()} {noun}: {RECORD_PART_WORDS.get(key, key)}",
                    description=description,
                    required=False,
                    field=item,
                    options=options,
                    record=record,
                    part=part,
                )
            )
    return questions


def issue_value_kind(item: FormField) -> tuple[str, str]:
    """Where a form field's answer comes from (a field's dotted name or a section's id), and how
    it is written in the form: text, name (a choice's name), names (joined by ', '), lines
    (records, one a line, parts joined by the separator, in `SOURCE_PARTS` order) or section.

    The writer on the site pre-fills the issue form with this (kb.contrib.writer); ('', '') for
    the agreements, which the contributor ticks themselves.
    """
    if item.section is not None:
        return item.section["id"], "section"
    if item.field is None:
        return "", ""
    if item.part is not None:
        # One part of one record, such as 'other_commissioners.0.type': a name or text.
        where = f"{item.field.name}.{item.record}.{item.part.path[-1]}"
        return where, "name" if item.part.kind == "choice" else "text"
    if item.field.kind == "records":
        return item.field.name, "lines:" + ",".join(SOURCE_PARTS)
    how = {"choice": "name", "fixed": "name", "choices": "names"}
    return item.field.name, how.get(item.field.kind, "text")


def form_data(rules: Rules, taxonomy: Taxonomy) -> dict[str, Any]:
    """The issue form as data, in GitHub's issue-form syntax."""
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": INTRO}}]
    for item in form_fields(rules, taxonomy):
        attributes: dict[str, Any] = {"label": item.label, "description": item.description}
        entry: dict[str, Any] = {"type": item.type, "id": item.id, "attributes": attributes}
        if item.type == "dropdown":
            attributes["multiple"] = item.multiple
            attributes["options"] = list(item.options)
        elif item.type == "checkboxes":
            attributes["options"] = [{"label": text, "required": True} for text in item.options]
        elif item.field is not None and item.field.kind == "partial_date":
            attributes["placeholder"] = PLACEHOLDERS.get(item.field.name, "2019 or April 2019")
        if item.type != "checkboxes":
            entry["validations"] = {"required": item.required}
        body.append(entry)
    return {
        "name": "Share a case study",
        "description": (
            "Tell us how a DPULO and a commissioner worked together, without using Git."
        ),
        "title": "Case study: ",
        "labels": ["case study"],
        "body": body,
    }


def form_yaml(rules: Rules, taxonomy: Taxonomy) -> str:
    """The text of .github/ISSUE_TEMPLATE/case-study.yml."""
    header = (
        "# The issue form for sharing a case study without Git. Made by `kb generate` from\n"
        "# schema/case-study.schema.json and data/taxonomy.yml: change those, not this file.\n"
        "# `kb from-issue` turns a submitted form into a case-study file.\n"
    )
    text = yaml.safe_dump(
        form_data(rules, taxonomy), sort_keys=False, allow_unicode=True, width=100_000
    )
    return header + text


# ---------------------------------------------------------------------------------------------
# Reading a submitted form


@dataclass
class Answer:
    """The text under one '### Label' heading of a submitted form, and where it is."""

    heading_line: int
    #: (line number in the issue, text) for each line of the answer, blank edges trimmed.
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        text = "\n".join(line for _, line in self.lines).strip()
        return "" if text in NO_RESPONSE else text

    @property
    def line(self) -> int:
        """The line the answer starts on, or its heading's line when it is empty."""
        return self.lines[0][0] if self.text else self.heading_line


def parse_issue(text: str, form: list[FormField]) -> dict[str, Answer]:
    """The answers in a submitted form's body, by form field id; missing headings are left out."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    stripped = [line.strip() for line in lines]
    found: list[tuple[str, int]] = []  # (form field id, index of its heading), in order
    for item in form:
        start = found[-1][1] + 1 if found else 0
        if f"### {item.label}" in stripped[start:]:
            found.append((item.id, stripped.index(f"### {item.label}", start)))
    ends = [index for _, index in found[1:]] + [len(lines)]
    answers = {}
    for (item_id, index), end in zip(found, ends, strict=False):
        body = [(number + 1, lines[number].rstrip()) for number in range(index + 1, end)]
        filled = [position for position, (_, line) in enumerate(body) if line.strip()]
        answers[item_id] = Answer(index + 1, body[filled[0] : filled[-1] + 1] if filled else [])
    return answers


@dataclass(frozen=True)
class Advice:
    """One thing to change, in words for the person who filled in the form: the question (the
    form's label) and what is wrong and what to write instead.

    Advice never quotes an answer back (so no contact detail given by mistake is repeated in a
    public comment), and names no file, line, command or field of the file.
    """

    label: str
    text: str
    #: The issue line it is about: only to list the advice in the form's order.
    line: int = field(default=0, compare=False)


@dataclass
class Conversion:
    """What `convert` made of a submitted form: the file's name and text, and every problem,
    for maintainers (`problems`, with the issue's lines) and for the contributor (`advice`)."""

    slug: str
    text: str
    problems: list[Problem]
    advice: list[Advice] = field(default_factory=list)


#: Where each value of the file came from in the issue, (form label, issue line), by the name
#: the validator gives it: 'title', 'sources[2]', 'other_commissioners[1].type', or a group
#: such as 'dpulo' (its first part the form asks for).
_Where = dict[str, tuple[str, int]]

#: Reports a problem: (issue line, form label, message for the log, words for the contributor).
_Report = Callable[..., None]


def convert(
    issue_text: str,
    *,
    shown: str = "issue",
    today: dt.date | None = None,
    status: str = "draft",
    slug: str | None = None,
    rules: Rules,
    taxonomy: Taxonomy,
) -> Conversion:
    """Turn a submitted form into a case study, reporting every problem against the issue.

    Problems are `Problem(shown, issue line, form label, message)`. The file is checked with
    `check_file`, exactly as `kb validate` would check it. Each problem is also given as
    `Advice` in plain words for the contributor (`reply_text`).
    """
    today = today or dt.date.today()
    form = form_fields(rules, taxonomy)
    answers = parse_issue(issue_text, form)
    problems: list[Problem] = []
    advice: list[Advice] = []
    labels = {item.label for item in form}

    def report(line: int, label: str, message: str, plain: str | None = None) -> None:
        problems.append(Problem(shown, line, label, message))
        words = plain if plain is not None else plain_words(message)
        advice.append(Advice(label if label in labels else WHOLE_FORM, words, line))

    values: dict[str, Any] = {}
    where: _Where = {}
    sections: dict[str, Answer] = {}
    #: Each field asked in one question, by its dotted name: the question and its answer.
    asked: dict[str, tuple[FormField, Answer | None]] = {}
    #: Lists of records asked one record at a time: every question answered, in order.
    record_answers: dict[str, list[tuple[FormField, Answer]]] = {}
    for item in form:
        answer = answers.get(item.id)
        if item.field is not None and item.record is None:
            asked[item.field.name] = (item, answer)
            where[item.field.name] = (item.label, answer.line if answer else 1)
            group = item.field.name
            while "." in group:  # a group such as 'dpulo' is where its first question is
                group = group.rpartition(".")[0]
                where.setdefault(group, where[item.field.name])
        if answer is None:
            report(
                1,
                item.label,
                f"the heading '### {item.label}' is missing from the issue; put it back, "
                "with the answer under it",
                f"This question is missing from your form: it may have been deleted by mistake. "
                f"Please put back a line that says ### {item.label}, in its place among the "
                "others, with your answer under it.",
            )
        elif item.type == "checkboxes":
            _check_agreements(answer, item, report)
        elif item.record is not None and item.field is not None:
            record_answers.setdefault(item.field.name, []).append((item, answer))
        elif not answer.text:
            if item.required:
                help_text = item.section["prompt"] if item.section else _form_help(item.field)  # type: ignore[arg-type]
                plain_help = item.section["prompt"] if item.section else item.description
                report(
                    answer.line,
                    item.label,
                    f"is empty; please fill it in ({help_text})",
                    f"It is empty. Please fill it in. {plain_help}",
                )
        elif item.section is not None:
            sections[item.section["id"]] = answer
        elif item.field is not None:
            value, record_lines = _value(item, answer, taxonomy, report)
            if value is not None:
                values[item.field.name] = value
            for number, line in enumerate(record_lines, start=1):
                where[f"{item.field.name}[{number}]"] = (item.label, line)
    for name, questions in record_answers.items():
        records = _gather_records(name, questions, where, taxonomy, report)
        if records:
            values[name] = records

    _settle_period(values, asked, taxonomy, today, report)
    if values.get("consent") == "published-sources":
        _check_published_sources(values, where, asked, report)
    meta = build_meta(values, today=today, status=status, rules=rules)
    texts = {name: demote_headings(answer.text) for name, answer in sections.items()}
    text = write_case_study(meta, body_text(texts, rules))
    body_start = front_matter_text(meta).count("\n") + 4  # '---', front matter, '---', a blank
    body_lines = _body_lines(texts, sections, form, rules)
    slug = slug or slugify(str(values.get("title", ""))) or "case-study"

    reported = {problem.field for problem in problems}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        result = check_file(path, rules, shown=f"{slug}.md", today=today)
    for found in result.problems:
        if found.field == "body":
            label, line = body_lines.get(found.line - body_start + 1, (found.field, 1))
        else:
            label, line = _locate(found.field, where)
        if label in reported:
            continue  # already reported in the form's own words
        plain = plain_words(found.message)
        source = re.match(r"sources\[(\d+)\]", found.field)
        if source:
            plain = f"In the {_ordinal(int(source.group(1)))} source: {_lower_first(plain)}"
        report(line, label, found.message, plain)
    advice.sort(key=lambda item: item.line)  # stable: the form's order, then the order found
    return Conversion(slug, text, problems, list(dict.fromkeys(advice)))


def _locate(name: str, where: _Where) -> tuple[str, int]:
    """The form label and issue line for a problem `check_file` found with a field's value:
    where that value came from, else where the record or field holding it came from."""
    while name not in where:
        outer = re.fullmatch(r"(.*)(?:\[\d+\]|\.[^.\[\]]+)", name)
        if outer is None:
            return name, 1
        name = outer.group(1)
    return where[name]


def _gather_records(
    name: str,
    questions: list[tuple[FormField, Answer]],
    where: _Where,
    taxonomy: Taxonomy,
    report: _Report,
) -> list[dict[str, Any]] | None:
    """A list of records asked one record at a time (the second, third and fourth
    commissioners): each record with an answer, in order; questions left empty are skipped.
    None when one cannot be used.

    A name written the old way, 'Name | kind', with the kind left empty, is read as both.
    """
    records: list[dict[str, Any]] = []
    usable = True
    where[name] = (questions[0][0].label, questions[0][1].line)
    first_label = where[name][0]
    for _, group in groupby(questions, key=lambda question: question[0].record):
        parts = {item.part.path[-1]: (item, answer) for item, answer in group if item.part}
        given = {key: answer for key, (_, answer) in parts.items() if answer.text}
        if not given:
            continue
        path = f"{name}[{len(records) + 1}]"
        where[path] = (first_label, min(answer.line for answer in given.values()))
        if set(given) == {"name"} and "type" in parts and SEPARATOR in given["name"].text:
            old, messages = parse_commissioner(given["name"].text, taxonomy)
            if not messages:
                records.append(old)
                for key in ("name", "type"):
                    where[f"{path}.{key}"] = (parts[key][0].label, given["name"].line)
                continue
        labels = [item.label for item, _ in parts.values()]
        which = labels[0].partition(":")[0].casefold()  # 'second commissioner'
        record: dict[str, Any] = {}
        for key, (item, answer) in parts.items():
            assert item.part is not None
            where[f"{path}.{key}"] = (item.label, answer.line)
            if not answer.text:
                if item.part.required:
                    other = next(label for label in labels if label != item.label)
                    report(
                        answer.line,
                        item.label,
                        f"is empty, but '{other}' is answered; fill this in too, or "
                        "leave both empty",
                        f"It is empty, but you told us about the {which} in “{other}”. "
                        "Please fill this in too, or leave both empty.",
                    )
                    usable = False
            elif item.part.kind == "choice":
                term = term_for(answer.text, taxonomy.terms(item.part.facet or ""))
                if term is None:
                    report(answer.line, item.label, *_not_a_choice(answer.text, item.options))
                    usable = False
                else:
                    record[key] = term.id
            else:
                record[key] = one_line(answer.text)
                for message in _text_problems(record[key]):
                    report(answer.line, item.label, message)
        records.append(record)
    return records if usable else None


def _settle_period(
    values: dict[str, Any],
    asked: dict[str, tuple[FormField, Answer | None]],
    taxonomy: Taxonomy,
    today: dt.date,
    report: _Report,
) -> None:
    """Turn an empty 'When the work ended' into 'still going on', and check it with the outcome.

    Work still going on needs the month a source last showed it going on: when that is left
    empty, it is the month the form was sent, as the contributor says it is going on now;
    unless the case study comes only from published sources, which must say so themselves.
    """
    if "period.end" not in asked or "period.confirmed" not in asked:
        return  # the schema has changed: leave it to the validator
    end_item, end_answer = asked["period.end"]
    confirmed_item, confirmed_answer = asked["period.confirmed"]
    if end_answer is None:
        return  # its heading is missing, which is already reported
    if not end_answer.text:
        values["period.end"] = "ongoing"
    end = values.get("period.end")
    confirmed = values.get("period.confirmed")
    confirmed_line = confirmed_answer.line if confirmed_answer else 1
    outcome = values.get("outcome")
    outcome_item = asked["outcome"][0].field if "outcome" in asked else None
    outcome_name = taxonomy.name(outcome_item.facet or "", outcome) if outcome_item else ""
    if end == "ongoing":
        if outcome in ENDED_OUTCOMES:
            report(
                end_answer.line,
                end_item.label,
                "is empty, which means the work is still going on, but the outcome "
                f"'{outcome_name}' says it has ended; give the year it "
                "ended (write not known if you do not know), or choose another outcome",
                "It is empty, which means the work is still going on, but the outcome you chose "
                f"({outcome_name}) says it has ended. Please give the year it ended (write not "
                "known if you do not know), or choose another outcome.",
            )
        if confirmed is None and confirmed_answer is not None:
            if values.get("consent") == "published-sources":
                report(
                    confirmed_line,
                    confirmed_item.label,
                    "is empty; as the case study comes only from published sources, give the "
                    "month and year of the latest source that shows the work still going on, "
                    f"such as January 2026 (or leave '{end_item.label}' empty only if a "
                    "source shows it has not ended)",
                    "It is empty. As the case study comes only from published sources, please "
                    "give the month and year of the latest source that shows the work still "
                    f"going on, such as January 2026. Leave “{end_item.label}” empty only if a "
                    "source shows the work has not ended.",
                )
            else:
                values["period.confirmed"] = f"{today.year:04d}-{today.month:02d}"
    elif end is not None:
        if outcome == "continuing":
            report(
                end_answer.line,
                end_item.label,
                f"says the work ended ('{end_answer.text}'), but the outcome is "
                f"'{outcome_name}'; leave this empty if the work is "
                "still going on, or choose another outcome",
                f"It says when the work ended, but the outcome you chose is {outcome_name}. "
                "Please leave it empty if the work is still going on, or choose another "
                "outcome.",
            )
        if confirmed is not None:
            report(
                confirmed_line,
                confirmed_item.label,
                f"is only for work still going on; leave it empty, or leave '{end_item.label}' "
                "empty if the work has not ended",
                f"It is only for work still going on. Please leave it empty, or leave "
                f"“{end_item.label}” empty if the work has not ended.",
            )
            del values["period.confirmed"]


def _check_published_sources(
    values: dict[str, Any],
    where: _Where,
    asked: dict[str, tuple[FormField, Answer | None]],
    report: _Report,
) -> None:
    """What a case study compiled only from published sources needs, in the form's words:
    a quote from every source, and what a reader must know first."""
    for number, source in enumerate(values.get("sources") or [], start=1):
        if not source.get("quotes"):
            label, line = where.get(f"sources[{number}]") or where["sources"]
            report(
                line,
                label,
                "this source has no quote; as the case study comes only from published "
                "sources, add after its parts one or more passages copied word for word from "
                f'it, each in double quotes after a {SEPARATOR}, like: {SEPARATOR} "A passage '
                'from the source."',
                f"In the {_ordinal(number)} source: {_lower_first(_NO_QUOTE)}",
            )
    caveats, answer = asked.get("caveats", (None, None))
    if caveats is not None and answer is not None and not values.get("caveats"):
        # A missing heading is already reported.
        report(
            answer.line,
            caveats.label,
            "is empty; as the case study comes only from published sources, say in a plain "
            "sentence or more how far they can be relied on: for example that they "
            "disagree, that there is only one, or that some dates are guesses",
            "It is empty. As the case study comes only from published sources, please say "
            "in a plain sentence or more how far they can be relied on: for example that "
            "they disagree, that there is only one, or that some dates are guesses.",
        )


def demote_headings(text: str) -> str:
    """Make '#' and '##' headings in an answer '###': inside a section they can only be parts.

    The five '##' sections come from the form itself, so a '## Heading' typed into an answer
    would otherwise start a section of its own, which the validator rejects.
    """
    lines = text.split("\n")
    for line in markdown_lines(text):
        if not line.in_fence and re.match(r"^ {0,3}#{1,2}[ \t]", line.raw):
            lines[line.number - 1] = re.sub(r"^ {0,3}#{1,2}", "###", line.raw, count=1)
    return "\n".join(lines)


def _check_agreements(answer: Answer, item: FormField, report: _Report) -> None:
    ticked = {
        one_line(match.group(1))
        for _, line in answer.lines
        if (match := re.match(r"^\s*[-*]\s*\[[xX]\]\s*(.+)$", line))
    }
    for option in item.options:
        if one_line(option) not in ticked:
            report(
                answer.line,
                item.label,
                f"'{option}' is not ticked; we can only publish a case study when it is true, "
                "so tick it (edit the issue) once it is",
                f"“{option}” is not ticked. We can only publish a case study when it is true, "
                "so please tick it once it is.",
            )


def _value(
    item: FormField, answer: Answer, taxonomy: Taxonomy, report: _Report
) -> tuple[Any, list[int]]:
    """The value for the file from one answer (None when it cannot be used), and for the
    sources (the one list of records asked in one answer, a record a line) each one's line."""
    assert item.field is not None
    kind, text = item.field.kind, answer.text
    terms = taxonomy.terms(item.field.facet or "") if kind in ("choice", "choices") else ()

    def not_a_choice(choice: str, *, one: bool = True) -> tuple[None, list[int]]:
        report(answer.line, item.label, *_not_a_choice(choice, item.options, one=one))
        return None, []

    if kind == "choice":
        term = term_for(text, terms)
        if term is None and _folded(text) in _NOT_KNOWN_WORDS:
            term = term_for("not-known", terms)  # 'unknown', "don't know"
        return (term.id, []) if term else not_a_choice(text)
    if kind == "choices":
        names = split_names(one_line(text), [term.name for term in terms])
        chosen = []
        for name in one_line(text).split(",") if names is None else names:
            term = term_for(name, terms)
            if term is None:
                return not_a_choice(name.strip(), one=False)
            chosen.append(term.id)
        return (chosen if names is None else list(dict.fromkeys(chosen))), []
    if kind == "fixed":
        for value, words in CONSENT_CHOICES.items():
            if one_line(text).casefold() in (value, words.casefold()):
                return value, []
        return not_a_choice(text)
    lines = [
        (number, line) for number, line in answer.lines if line.strip() not in ("", *NO_RESPONSE)
    ]
    if kind == "records":
        sources = []
        for number, line in lines:
            source, messages = parse_source(line)
            if messages:
                report(
                    number,
                    item.label,
                    "each source needs its web address, its title and who published it, "
                    f"with a {SEPARATOR} between them, like: {SOURCE_EXAMPLE}",
                    f"In the {_ordinal(len(sources) + 1)} source: something is missing. "
                    f"{SOURCE_HOW} For example: {SOURCE_EXAMPLE}",
                )
                return None, []
            sources.append(source)
        return sources, [number for number, _ in lines]
    if kind == "texts":
        return [one_line(line) for _, line in lines], []
    value = one_line(text)
    if kind == "partial_date":
        value = _date_answer(value, item.field.name)
    for message in _text_problems(value):
        report(answer.line, item.label, message)
    return value, []


def _folded(text: str) -> str:
    """Text with only its letters, in lower case: "Don't know" -> 'dontknow'."""
    return re.sub(r"[^a-z]", "", text.casefold())


def _date_answer(value: str, name: str) -> str:
    """A date as the file writes it: 'April 2019' -> '2019-04', 'not known' -> 'unknown' and,
    for when the work ended, 'still going on' -> 'ongoing'."""
    folded = _folded(value)
    if re.search(r"\d", value) is None:
        if folded in _NOT_KNOWN_WORDS and name != "period.confirmed":
            return "unknown"
        if folded in _ONGOING_WORDS and name == "period.end":
            return "ongoing"
    return normalise_partial_date(value)


def _text_problems(value: str) -> list[str]:
    """Web page code and links in a one-line answer, checked like the body."""
    lines = markdown_lines(value)
    return [message for _, _, message in (*check_raw_html(lines), *check_links(lines))]


def _not_a_choice(text: str, options: tuple[str, ...], *, one: bool = True) -> tuple[str, str]:
    """That an answer is not one of the choices: (the message for the maintainers' log, which
    shows the answer; the words for the contributor, which do not repeat it)."""
    close = did_you_mean(text, options)
    how = "one of" if one else "one or more of"
    choices = ", ".join(options)
    shown = text if len(text) <= 60 else text[:57] + "..."
    guess = f" (did you mean '{close}'?)" if close else ""
    plain_guess = f" Did you mean {close}?" if close else ""
    return (
        f"'{shown}' is not one of the choices{guess}; choose {how}: {choices}",
        f"It is not one of the choices.{plain_guess} Please choose {how}: {choices}.",
    )


def _ordinal(number: int) -> str:
    """'first' for 1, 'second' for 2, …; then '7th', '21st', '22nd', '111th'."""
    if 1 <= number <= len(_ORDINALS):
        return _ORDINALS[number - 1]
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _lower_first(text: str) -> str:
    """'It is empty.' -> 'it is empty.' (for a sentence that follows a colon)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _body_lines(
    texts: dict[str, str], sections: dict[str, Answer], form: list[FormField], rules: Rules
) -> dict[int, tuple[str, int]]:
    """For each line of the body `body_text` writes (counted from 1) with a section's heading
    or text on it, the form label and issue line it came from."""
    labels = {item.section["id"]: item.label for item in form if item.section}
    where: dict[int, tuple[str, int]] = {}
    start = 1  # the line of the section's heading
    for section in rules.schema.body_sections:
        label, answer = labels[section["id"]], sections.get(section["id"])
        count = (texts.get(section["id"]) or guidance(section["prompt"])).count("\n") + 1
        where[start] = (label, answer.heading_line if answer else 1)
        for offset in range(count):
            where[start + 2 + offset] = (label, answer.lines[0][0] + offset if answer else 1)
        start += count + 3  # the heading, a blank line, the text and a blank line
    return where


# ---------------------------------------------------------------------------------------------
# The reply to the contributor

#: What the reply says of a source nothing is quoted from, when it must be.
_NO_QUOTE = (
    "Nothing is quoted from it. As the case study comes only from published sources, please add "
    "at the end of its line one or more passages copied word for word from the source, each in "
    f'double quotes after a {SEPARATOR}, like this: {SEPARATOR} "A passage from the source."'
)

#: The validator's messages (written for people editing the file) in words for someone who
#: filled in the form: what is wrong and what to write instead. None quotes the answer back.
#: The first pattern that matches a message wins; `_UNSAID` stands in for anything else.
_PLAIN: dict[str, str] = {
    r"contains (an e-mail address|a phone number|a postcode|a National Insurance number)\b": (
        r"It contains \1. Please take it out: we never publish personal contact details. If "
        "it is an organisation's public contact, say so in a comment and a volunteer will "
        "check it."
    ),
    r"raw HTML is not allowed": (
        "It contains web page code, which we cannot publish. Please take it out and write "
        f"plain text. {_FORMATTING_HELP}"
    ),
    r"links must start with https://": (
        "A link in it does not start with https://. Please write each link as a full web "
        "address starting https://, or take the link out."
    ),
    r"images must be files on this site": (
        "It shows a picture from another website, which we cannot publish. Please link to it "
        "instead, like this: [what it shows](https://…)"
    ),
    r"still has guidance to replace": (
        "It still has the example words from the form. Please write your own words in their place."
    ),
    r"is too short: it must be at least (\d+) characters; it has (\d+)": (
        r"It is too short: please write at least \1 characters (it has \2)."
    ),
    r"is too long: it must be at most (\d+) characters; it has (\d+)": (
        r"It is too long: please shorten it to \1 characters or fewer (it has \2)."
    ),
    r"must be a full web address starting https://": (
        "Please give a full web address starting https://, such as https://www.example.org/page."
    ),
    r"must be a year, a year and month, or a full date": (
        "Please give the year it was published, such as 2019, or leave the year out."
    ),
    r"must be a year, or a year and month": (
        "Please write the year, or the month and year, such as 2019 or April 2019."
    ),
    r"must not be before period\.start": (
        "It is earlier than when the work started. Please check both dates."
    ),
    r"is not a real date": (
        "It is not a real date. Please write the year, or the month and year, such as 2019 or "
        "April 2019."
    ),
    r"must list at least one source, because consent": (
        "As the case study comes only from published sources, please list at least one "
        f"source. {SOURCE_HOW} For example: {SOURCE_EXAMPLE}"
    ),
    r"must quote at least one passage": _NO_QUOTE,
    r"must be copied word for word": (
        "A passage quoted from it must be copied word for word. Mark a cut only with [...] in "
        "square brackets, not with three dots."
    ),
    r"is missing; add it|is empty": "It is empty. Please fill it in.",
    r"must be one of": "It is not one of the choices. Please choose one from the list.",
    r"lists .* more than once": "It has the same choice more than once. Please remove one.",
    r"must list at most (\d+)": r"Please give no more than \1.",
    r"contains a hidden character|contains a control character": (
        "It contains a hidden character, which often comes from copying from another program. "
        "Please delete the answer and type it again."
    ),
    r"the word .* mixes Latin letters": (
        "A word in it mixes letters from different alphabets that look the same. Please type "
        "it again."
    ),
    r"must be one line": "Please write it on one line.",
    r"the heading .* is inside a list or quote": (
        "A heading in it starts inside a list or a quote. Please put each heading on a line of "
        "its own."
    ),
    r"the section .* is (?:missing|empty)": "It is empty. Please write at least a sentence.",
    r"'## .*' is (?:not one of the sections|read as a heading)|the section .* appears twice|"
    r"the sections are out of order": (
        "A line in it is read as the heading of a new part of the page: a line starting with "
        "##, a line with a line of --- or === under it, or text after three backticks (```) "
        "that are not closed. Please remove those marks, or put an empty line before a line "
        "of ---."
    ),
}
_PLAIN_COMPILED = tuple((re.compile(pattern), words) for pattern, words in _PLAIN.items())

#: What the reply says for a problem `_PLAIN` has no words for.
_UNSAID = (
    "Something in this answer needs changing, and our automatic check cannot say what in "
    "plain words. A volunteer will help you with it."
)

#: The label a reply uses for a problem that belongs to no one question.
WHOLE_FORM = "Your form"

#: How many things to change one reply lists; the rest follow once these are fixed.
REPLY_LIMIT = 40


def plain_words(message: str) -> str:
    """A validator's message in words for the contributor (`_PLAIN`), never quoting their
    answer; `_UNSAID` when there are none."""
    for pattern, words in _PLAIN_COMPILED:
        match = pattern.match(message)
        if match:
            return match.expand(words)
    return _UNSAID


def reply_text(advice: list[Advice]) -> str:
    """The comment for the contributor: thanks, then each thing to change as a bulleted list
    (the question in bold, then what is wrong and what to write instead), then how to edit the
    form. Plain text: no file, line number, command or field name, and nothing they wrote.
    """
    if not advice:
        return (
            "Thank you for sharing your case study! We checked your answers and found nothing "
            "to change. A volunteer will read it and turn it into a page; we aim to reply "
            "within 10 working days.\n"
        )
    count = len(advice)
    things = "one thing" if count == 1 else f"{count} things"
    lines = [
        "Thank you for sharing your case study! We checked your answers, and there "
        f"{'is' if count == 1 else 'are'} {things} to change before a volunteer can turn it "
        "into a page:",
        "",
    ]
    for item in advice[:REPLY_LIMIT]:
        lines.append(f"- **{_literal(item.label)}**: {_literal(item.text)}")
    if count > REPLY_LIMIT:
        lines.append(
            f"- … and {count - REPLY_LIMIT} more. Please change the ones above first; we will "
            "list the rest when you save."
        )
    lines += [
        "",
        "To change an answer, open the ··· menu at the top right of your form, choose Edit, "
        "make the change and save. We check your answers again each time you save. If "
        "anything is unclear, ask in a comment and a volunteer will help.",
    ]
    return "\n".join(lines) + "\n"


def _literal(text: str) -> str:
    """Text shown as written in a GitHub comment: the marks that would format it (as in the
    formatting help's **bold**) escaped with a backslash."""
    return re.sub(r"([\\`*_\[\]<>#|~])", r"\\\1", text)


def unreadable_reply() -> str:
    """The comment when the form cannot be read at all."""
    return (
        "Thank you for sharing your case study! Our automatic check could not read your form, "
        "so a volunteer will look at it instead.\n"
    )

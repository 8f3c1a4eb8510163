"""The Word route: a case study as a .docx, and a filled .docx back into a case study.

Many contributors write in Word and send things by e-mail. `word_document` lays a case study
out as a Word file made from the schema and the taxonomy (kb.contrib.scaffold.fields), the same
fields, labels and help as the template, the issue form and the writer on the site:

- a heading "About the case study" and a table of questions and answers (the question cell
  holds the label, the help, the limits and the choices; the answer cell the answer; a list of
  choices one per line);
- a heading and a table for each list of records (Sources, Other commissioners), one row each;
- a heading for each of the five sections, with its text, one Word paragraph per Markdown
  paragraph.

`read_document` reads a filled one back, and `convert_document` checks it with `kb validate`'s
own `check_file`, naming for every problem the heading (and question) it sits under. The blank
form (`blank_form`) is made at build time, so it can never drift from the schema.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

import docx
from docx.document import Document
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from kb.content.casestudy import Rules
from kb.content.casestudy import case_study_text as write_case_study
from kb.content.problems import Problem
from kb.content.taxonomy import Taxonomy
from kb.contrib.scaffold import (
    Field,
    body_text,
    check_text,
    did_you_mean,
    fields,
    leaves,
    one_line,
    set_path,
    term_for,
)

#: The heading over the table of questions.
ABOUT = "About the case study"
#: The table's header row.
QUESTION, ANSWER = "Question", "Your answer"
#: How many empty rows a blank form gives each list of records.
BLANK_ROWS = 5
#: The answer for a list that is given but empty (such as `service_areas: []`): an empty
#: answer means the field is left out.
NONE = "None"

UNKNOWN_QUESTION = "is not a question we know; do not change the questions in the left-hand column"
MISSING_HEADING = "this heading is missing; put it back as a heading, with its answers under it"

_INTRO = (
    "Fill in the answers in the right-hand column of each table, and write the five parts of "
    "your case study under their headings. Please do not change the headings or the questions: "
    "we read your answers by them. Name organisations, not private individuals, and leave out "
    "personal contact details. When you have finished, save the file and e-mail it to the "
    "coordinators, or ask a volunteer to send it for you."
)


def _question(item: Field, taxonomy: Taxonomy) -> list[str]:
    """The question cell's lines: the label, then the help, limits and choices."""
    need = "required" if item.required else "optional"
    lines = [item.label, f"({need}) {item.help}".strip()]
    if item.limits:
        lines.append(item.limits)
    if item.kind in ("choice", "fixed", "choices"):
        how = "one or more, one per line" if item.kind == "choices" else "one"
        lines.append(f"Write {how} of: " + "; ".join(term.name for term in item.choices(taxonomy)))
    if item.kind == "partial_date":
        pattern = str(item.node.get("pattern", ""))
        words = [f" or {word}" for word in ("ongoing", "unknown") if word in pattern]
        lines.append(f"Like 2019 or 2019-04{','.join(words)}.")
    if item.kind == "texts":
        lines.append("Write each one on a line of its own.")
    if item.kind == "full_date":
        lines.append("Like 2026-03-31. Leave it empty and we fill in today's date.")
    return lines


def _answer_lines(item: Field, value: Any, taxonomy: Taxonomy) -> list[str]:
    if value is None:
        return [""]
    names = {term.id: term.name for term in item.choices(taxonomy)}
    if isinstance(value, list):
        return [names.get(str(one), str(one)) for one in value] or [NONE]
    return [names.get(str(value), str(value))]


def _get(meta: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        meta = meta.get(key) if isinstance(meta, dict) else None
    return meta


def _table(document: Document, header: list[str]) -> Any:
    """A table with a bold header row."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_lines(cell, [text], True)
    return table


def _cell_lines(cell: Any, lines: list[str], bold_first: bool = False) -> None:
    cell.paragraphs[0].text = ""
    for number, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        if bold_first and number == 0:
            run.bold = True
        elif bold_first:
            run.font.size = Pt(9)


def word_document(
    meta: dict[str, Any] | None,
    body_sections: dict[str, str] | None,
    rules: Rules,
    taxonomy: Taxonomy,
) -> Document:
    """A case study (or, with no meta, a blank form) as a Word document."""
    meta = meta or {}
    blank = not meta
    document = docx.Document()
    document.add_heading("Case study form" if blank else "Case study", 0)
    document.add_paragraph(_INTRO)
    document.add_heading(ABOUT, 1)
    table = _table(document, [QUESTION, ANSWER])
    records = []
    for item in leaves(fields(rules)):
        if item.kind == "records":
            records.append(item)
            continue
        row = table.add_row()
        _cell_lines(row.cells[0], _question(item, taxonomy), True)
        _cell_lines(row.cells[1], _answer_lines(item, _get(meta, item.path), taxonomy))
    for item in records:
        document.add_heading(item.label, 1)
        need = "required" if item.required else "optional"
        lists = [child.label for child in item.children if child.kind == "texts"]
        document.add_paragraph(
            f"({need}) {item.help} One per row; add rows if you need more. "
            + "".join(f"Under {label}, write each one on a line of its own. " for label in lists)
            + item.limits
        )
        table = _table(document, [child.label for child in item.children])
        given = _get(meta, item.path)
        if not blank and given == [] and not item.required:
            document.add_paragraph(f"{NONE}.")
        for record in (given or []) if not blank else [{}] * BLANK_ROWS:
            row = table.add_row()
            for cell, child in zip(row.cells, item.children, strict=True):
                _cell_lines(cell, _answer_lines(child, record.get(child.path[-1]), taxonomy))
    for section in rules.schema.body_sections:
        document.add_heading(section["heading"], 1)
        text = (body_sections or {}).get(section["id"], "")
        if blank or not text:
            guide = document.add_paragraph()
            guide.add_run(f"Replace this: {section['prompt']}").italic = True
            continue
        for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
            document.add_paragraph(block)
    return document


def document_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def blank_form(rules: Rules, taxonomy: Taxonomy) -> bytes:
    """The blank Word form (docs/contribute/case-study-form.docx in the built site)."""
    return document_bytes(word_document(None, None, rules, taxonomy))


def split_sections(body: str, rules: Rules) -> dict[str, str]:
    """A body's five sections by id, each section's text without its '## ' heading."""
    headings = {section["heading"]: section["id"] for section in rules.schema.body_sections}
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.split("\n"):
        match = re.match(r"^## (.+?)\s*$", line)
        if match and match.group(1) in headings:
            current = found.setdefault(headings[match.group(1)], [])
        elif current is not None:
            current.append(line)
    return {key: "\n".join(lines).strip("\n") for key, lines in found.items()}


# ---------------------------------------------------------------------------------------------
# Reading a filled form


@dataclass
class WordProblem:
    """Something wrong in a filled Word form: the heading it is under, the question, what."""

    heading: str
    question: str
    message: str

    def __str__(self) -> str:
        where = f"under '{self.heading}'" + (f", {self.question}" if self.question else "")
        return f"{where}: {self.message}"


@dataclass
class WordResult:
    meta: dict[str, Any]
    body: str
    text: str
    problems: list[WordProblem]


def _cell_text(cell: Any) -> str:
    """A cell's text, one line per Word paragraph (a line break inside one counts as a space)."""
    return "\n".join(one_line(paragraph.text) for paragraph in cell.paragraphs).strip()


def _choice(item: Field, text: str, taxonomy: Taxonomy) -> tuple[str, str | None]:
    """A choice typed as its name or id: (id, problem)."""
    choices = item.choices(taxonomy)
    term = term_for(text, choices)
    if term is not None:
        return term.id, None
    names = [term.name for term in choices]
    close = did_you_mean(text, names)
    guess = f" (did you mean '{close}'?)" if close else ""
    listed = "; ".join(names)
    return text, f"'{one_line(text)}' is not one of the choices{guess}; write one of: {listed}"


def read_document(
    data: bytes, rules: Rules, taxonomy: Taxonomy, today: dt.date | None = None
) -> tuple[dict[str, Any], dict[str, str], list[WordProblem]]:
    """A filled form's front matter (schema order), sections by id, and what could not be read."""
    document = docx.Document(io.BytesIO(data))
    problems: list[WordProblem] = []
    labels = {item.label: item for item in leaves(fields(rules)) if item.kind != "records"}
    records = {item.label: item for item in leaves(fields(rules)) if item.kind == "records"}
    sections = {section["heading"]: section for section in rules.schema.body_sections}
    answers: dict[str, Any] = {}
    texts: dict[str, list[str]] = {}
    heading = ""
    seen_headings = set()
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.rstrip()
            # Read once: each read of .style looks it up among the document's styles.
            style = getattr(block.style, "name", "")
            if style.startswith(("Heading", "Title")):
                heading = text.strip()
                seen_headings.add(heading)
            elif heading in records and text.strip() == f"{NONE}.":
                answers.setdefault(records[heading].name, [])
            elif heading in sections and text.strip() and not text.startswith("Replace this:"):
                texts.setdefault(sections[heading]["id"], []).append(text)
        elif heading == ABOUT:
            for row in block.rows[1:]:
                label = row.cells[0].paragraphs[0].text.strip()
                item = labels.get(label)
                if item is None:
                    problems.append(WordProblem(heading, label, UNKNOWN_QUESTION))
                    continue
                value = _read_value(item, _cell_text(row.cells[1]), heading, problems, taxonomy)
                if value is not None:
                    answers[item.name] = value
        elif heading in records:
            item = records[heading]
            rows = []
            for number, row in enumerate(block.rows[1:], start=1):
                record: dict[str, Any] = {}
                for cell, child in zip(row.cells, item.children, strict=False):
                    question = f"row {number}, {child.label}"
                    value = _read_value(
                        child, _cell_text(cell), heading, problems, taxonomy, question
                    )
                    if value is not None:
                        record[child.path[-1]] = value
                if record:
                    rows.append(record)
            if rows:
                answers[item.name] = rows
    for name in [ABOUT, *sections]:
        if name not in seen_headings:
            problems.append(WordProblem(name, "", MISSING_HEADING))
    # Dates and status left empty are set as kb new sets them; a list given as "None" stays [].
    day = (today or dt.date.today()).isoformat()
    automatic = {"published": day, "reviewed": day, "status": "draft", "sources": []}
    meta: dict[str, Any] = {}
    for item in leaves(fields(rules)):
        value = answers.get(item.name, automatic.get(item.name))
        if value is not None:
            set_path(meta, item.path, value)
    body_sections = {key: "\n\n".join(lines) for key, lines in texts.items()}
    return meta, body_sections, problems


def _read_value(
    item: Field,
    text: str,
    heading: str,
    problems: list[WordProblem],
    taxonomy: Taxonomy,
    question: str | None = None,
) -> Any:
    """The value of one answer; None if it is empty or wrong (and then the problem is added)."""
    if not text.strip():
        return None
    if item.kind in ("choices", "texts") and text.strip().casefold() == NONE.casefold():
        return []
    if item.kind == "texts":  # one per line, such as caveats or a source's quotes
        return [line for line in text.split("\n") if line.strip()] or None
    if item.kind not in ("choice", "fixed", "choices"):
        return one_line(text)
    chosen = []
    lines = re.split(r"[\n;]", text) if item.kind == "choices" else [text]
    for line in (line for line in lines if line.strip()):
        value, problem = _choice(item, line, taxonomy)
        if problem:
            problems.append(WordProblem(heading, question or item.label, problem))
        else:
            chosen.append(value)
    if item.kind != "choices":
        return chosen[0] if chosen else None
    return list(dict.fromkeys(chosen)) or None


def convert_document(
    data: bytes,
    rules: Rules,
    taxonomy: Taxonomy,
    *,
    today: dt.date | None = None,
    slug: str = "case-study",
) -> WordResult:
    """Read a filled form and check it as `kb validate` would, every problem under its heading."""
    today = today or dt.date.today()
    meta, sections, problems = read_document(data, rules, taxonomy, today)
    body = body_text(sections, rules)  # an empty section keeps its prompt, to be replaced
    text = write_case_study(meta, body)
    reported = {(problem.heading, problem.question) for problem in problems}
    placed = []
    for found in check_text(text, slug, rules, today):
        problem = _placed(found, text, rules)
        if (problem.heading, problem.question) not in reported and problem not in placed:
            placed.append(problem)  # each message once, even if the validator repeats it
    problems.extend(placed)
    return WordResult(meta, body, text, problems)


def _placed(found: Problem, text: str, rules: Rules) -> WordProblem:
    """Which heading and question of the Word form a problem in the file belongs to."""
    by_path = {item.name: item for item in leaves(fields(rules))}
    name = re.sub(r"\[\d+\]", "", found.field).split(":")[0].strip()
    top, _, child = name.partition(".")
    number = re.search(r"\[(\d+)\]", found.field)
    item = by_path.get(top)
    if item is not None and item.kind == "records":
        label = next((c.label for c in item.children if c.path[-1] == child), "")
        row = f"row {number.group(1)}" if number else ""
        return WordProblem(
            item.label, ", ".join(part for part in (row, label) if part), found.message
        )
    if name in by_path:
        return WordProblem(ABOUT, by_path[name].label, found.message)
    # A problem in the body: the section whose heading comes last before its line.
    heading = ABOUT
    for line in text.split("\n")[: max(found.line, 1)]:
        match = re.match(r"^## (.+?)\s*$", line)
        if match:
            heading = match.group(1)
    for section in rules.schema.body_sections:
        if section["heading"] in found.field or section["id"] in found.field:
            heading = section["heading"]
    return WordProblem(heading, "", found.message)

"""The Word route (kb.contrib.word): to-docx then from-docx gives back the same case study, and
a filled form's mistakes are reported under their headings."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import frontmatter
import pytest

from kb.content.casestudy import HANDLER
from kb.content.load import load_rules
from kb.content.project import Project
from kb.content.taxonomy import load_taxonomy
from kb.contrib.scaffold import body_text, fields, leaves
from kb.contrib.word import (
    ABOUT,
    blank_form,
    convert_document,
    document_bytes,
    read_document,
    split_sections,
    word_document,
)

REPO = Path(__file__).resolve().parents[1]
PROJECT = Project(REPO)
TAXONOMY = load_taxonomy(PROJECT.taxonomy_file)
RULES = load_rules(PROJECT, TAXONOMY)
CASES = sorted(p for p in PROJECT.case_studies_dir.glob("*.md") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_to_docx_then_from_docx_gives_back_the_same_case_study(path: Path) -> None:
    post = frontmatter.loads(path.read_text(encoding="utf-8"), handler=HANDLER)
    meta = dict(post.metadata)
    data = document_bytes(word_document(meta, split_sections(post.content, RULES), RULES, TAXONOMY))
    back, sections, problems = read_document(data, RULES, TAXONOMY)
    assert problems == []
    assert back == meta
    assert body_text(sections, RULES).strip() == post.content.strip()


def _blank_cells(document: docx.document.Document) -> dict[str, object]:
    table = document.tables[0]
    return {row.cells[0].paragraphs[0].text: row.cells[1] for row in table.rows[1:]}


def test_blank_form_has_every_field_and_section() -> None:
    document = docx.Document(io.BytesIO(blank_form(RULES, TAXONOMY)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ABOUT
    for section in RULES.schema.body_sections:
        assert section["heading"] in headings
    questions = _blank_cells(document)
    for item in leaves(fields(RULES)):
        if item.kind == "records":
            assert item.label in headings
        else:
            assert item.label in questions


def test_three_common_mistakes_give_three_messages_naming_their_headings() -> None:
    document = docx.Document(io.BytesIO(blank_form(RULES, TAXONOMY)))
    answers = {
        "Title": "Peer support planning with Exampleshire County Council",
        "Summary": "Too short.",  # mistake 1: too short
        "DPULO name": "Exampleshire Disability Forum",
        "Commissioner name": "Exampleshire County Council",
        "Kind of commissioner": "Local authority",
        "Region": "Southwest England",  # mistake 2: not one of the regions' names
        "Categories": "Strategic partnerships and secondments",
        "How the work was paid for": "Not known",
        "Outcome": "Continuing",
        "When the work started": "2019",
        "When the work ended": "ongoing",
        "When a source last showed it going on": "2025-11",
        "Consent": "The organisations named agreed to publication",
    }
    cells = _blank_cells(document)
    for label, text in answers.items():
        cells[label].paragraphs[0].text = text
    sources = document.tables[2] if len(document.tables) > 2 else document.tables[1]
    header = [cell.text for cell in sources.rows[0].cells]
    assert "Web address" in header
    row = sources.rows[1].cells
    row[header.index("Title")].paragraphs[0].text = "Annual report"
    row[header.index("Publisher")].paragraphs[0].text = "Exampleshire County Council"
    row[header.index("Web address")].paragraphs[0].text = "www.example.org"  # mistake 3
    # Write the five sections under their headings.
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("Replace this:"):
            paragraph.text = "We worked together on this for three years, and learnt a lot."
    result = convert_document(document_bytes(document), RULES, TAXONOMY, today=dt.date(2026, 1, 1))
    messages = [str(problem) for problem in result.problems]
    assert len(messages) == 3, messages
    summary, region, web = sorted(messages, key=lambda m: ("Summary" not in m, "Region" not in m))
    assert summary.startswith(f"under '{ABOUT}', Summary: is too short"), messages
    assert region.startswith(f"under '{ABOUT}', Region: 'Southwest England' is not one of"), (
        messages
    )
    assert "did you mean 'South West'?" in region
    assert web.startswith("under 'Sources', row 1, Web address: must be a full web"), messages


def test_lists_of_texts_are_read_one_per_line_and_a_missing_quote_is_placed() -> None:
    """Caveats and a source's quotes are one per Word paragraph; 'None' is an empty list."""
    document = docx.Document(io.BytesIO(blank_form(RULES, TAXONOMY)))
    cells = _blank_cells(document)
    caveats = [
        "The only source is the council's own annual report.",
        "The start date is inferred from the first grant.",
    ]
    cells["Read this first"].paragraphs[0].text = caveats[0]
    # A line break inside a paragraph (Shift+Enter in Word) does not split an answer.
    cells["Read this first"].add_paragraph().add_run("The start date is inferred\n").add_text(
        "from the first grant."
    )
    cells["Services involved"].paragraphs[0].text = "None"
    cells["Consent"].paragraphs[0].text = "Compiled only from the published sources listed"
    sources = document.tables[2]
    header = [cell.text for cell in sources.rows[0].cells]
    for number, url in ((1, "https://www.example.org/a"), (2, "https://www.example.org/b")):
        row = sources.rows[number].cells
        row[header.index("Title")].paragraphs[0].text = f"Annual report {number}"
        row[header.index("Publisher")].paragraphs[0].text = "Exampleshire County Council"
        row[header.index("Web address")].paragraphs[0].text = url
    quotes = sources.rows[1].cells[header.index("Quotes")]
    quotes.paragraphs[0].text = "The forum planned support with 40 people."
    quotes.add_paragraph("The grant was renewed for [...] three more years.")
    result = convert_document(document_bytes(document), RULES, TAXONOMY, today=dt.date(2026, 1, 1))
    assert result.meta["caveats"] == caveats
    assert result.meta["service_areas"] == []
    assert result.meta["sources"][0]["quotes"] == [
        "The forum planned support with 40 people.",
        "The grant was renewed for [...] three more years.",
    ]
    assert "quotes" not in result.meta["sources"][1]
    messages = [str(problem) for problem in result.problems]
    assert any(
        message.startswith("under 'Sources', row 2, Quotes: is missing; add it (copy one")
        for message in messages
    ), messages
    assert not any("row 1, Quotes" in message for message in messages), messages
    assert len(messages) == len(set(messages)), messages

"""The issue form is made from the schema, and `kb from-issue` turns submissions into safe files.

The fixtures in tests/fixtures/issue_forms/ are bodies as GitHub writes them from the form, for
fictional organisations: complete, with fields missing, and with hostile values.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import cli
from kb.content.casestudy import check_file, split_front_matter
from kb.content.strict_yaml import load
from kb.contrib.issue_form import (
    AGREEMENTS,
    FORM_PATH,
    Conversion,
    FormField,
    demote_headings,
    parse_issue,
)
from kb.contrib.issue_form import convert as convert_issue
from kb.contrib.issue_form import (
    form_data as make_form_data,
)
from kb.contrib.issue_form import (
    form_fields as make_form_fields,
)
from kb.contrib.issue_form import (
    form_yaml as make_form_yaml,
)
from kb.contrib.scaffold import (
    AUTOMATIC,
    CONSENT_CHOICES,
    FIXED_CHOICE_WORDS,
    PLAIN_HELP,
    fields,
    leaves,
    normalise_partial_date,
    parse_source,
    split_names,
)
from tests.support.project import ROOT, repo_rules, repo_taxonomy

FIXTURES = Path(__file__).parent / "fixtures" / "issue_forms"
TODAY = dt.date(2026, 11, 25)
RULES = repo_rules()
TAXONOMY = repo_taxonomy()
FORM_FILE = ROOT / FORM_PATH


def convert(text: str, **options: Any) -> Conversion:
    """The submitted form converted with this checkout's schema and taxonomy."""
    return convert_issue(text, rules=RULES, taxonomy=TAXONOMY, **options)


def form_fields() -> list[FormField]:
    return make_form_fields(RULES, TAXONOMY)


def form_data() -> dict[str, Any]:
    return make_form_data(RULES, TAXONOMY)


def form_yaml() -> str:
    return make_form_yaml(RULES, TAXONOMY)


def body_sections() -> list[dict[str, str]]:
    return RULES.schema.body_sections


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def front_matter(text: str) -> dict:
    split = split_front_matter(text)
    assert split is not None
    loaded = load(split[0])
    assert loaded.problems == []
    return loaded.value


# --- the form itself ---------------------------------------------------------------------------


def test_committed_form_is_what_the_generator_makes() -> None:
    assert FORM_FILE.read_text(encoding="utf-8") == form_yaml(), (
        ".github/ISSUE_TEMPLATE/case-study.yml is out of date: run kb generate and commit it"
    )


def test_form_follows_githubs_issue_form_rules() -> None:
    """The rules GitHub enforces: unique ids and labels, non-empty unique options, known types."""
    form = yaml.safe_load(FORM_FILE.read_text(encoding="utf-8"))
    assert set(form) <= {"name", "description", "title", "labels", "body", "assignees"}
    assert form["name"] and form["description"]
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", item_id) for item_id in ids)
    labels = [item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"]
    assert len(labels) == len({label.lower() for label in labels})
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if item["type"] == "dropdown":
            options = item["attributes"]["options"]
            assert options and len(options) == len(set(options))
            assert all(isinstance(o, str) and o.strip() and o != "None" for o in options)
        if item["type"] == "checkboxes":
            assert all(option["label"] for option in item["attributes"]["options"])


def test_form_asks_for_every_field_except_those_set_by_maintainers() -> None:
    asked = {item.field.name for item in form_fields() if item.field is not None}
    expected = {item.name for item in leaves(fields(RULES)) if item.name not in AUTOMATIC}
    assert asked == expected
    sections = [item.label for item in form_fields() if item.section is not None]
    assert sections == [section["heading"] for section in body_sections()]
    agreements = [item for item in form_fields() if item.type == "checkboxes"]
    assert len(agreements) == 1 and agreements[0].options == AGREEMENTS


def test_dropdowns_show_the_taxonomy_names_in_order() -> None:
    taxonomy = TAXONOMY
    by_id = {item["id"]: item for item in form_data()["body"] if "id" in item}
    assert by_id["region"]["attributes"]["options"] == [t.name for t in taxonomy.regions]
    assert by_id["categories"]["attributes"]["multiple"] is True
    assert by_id["categories"]["attributes"]["options"] == [t.name for t in taxonomy.categories]
    assert by_id["commissioner-type"]["attributes"]["options"] == [
        t.name for t in taxonomy.commissioner_types
    ]


def test_taxonomy_names_are_unique_so_they_map_back_to_ids() -> None:
    taxonomy = TAXONOMY
    for facet, terms in taxonomy.lists.items():
        names = [term.name.casefold() for term in terms]
        assert len(names) == len(set(names)), facet


def test_consent_words_cover_exactly_the_schema_choices() -> None:
    assert list(CONSENT_CHOICES) == raw_schema_enum("consent")


def raw_schema_enum(name: str) -> list[str]:
    return list(RULES.schema.raw["properties"][name]["enum"])


# --- reading a submitted form -----------------------------------------------------------------


def test_complete_form_becomes_a_valid_draft(tmp_path: Path) -> None:
    result = convert(fixture("complete.md"), today=TODAY)
    assert [str(problem) for problem in result.problems] == []
    assert result.slug == "peer-led-support-planning-with-exampleshire-county-council"
    meta = front_matter(result.text)
    assert meta["status"] == "draft"
    assert meta["published"] == meta["reviewed"] == "2026-11-25"
    assert meta["region"] == "south-west"
    assert meta["categories"] == ["strategic-partnerships", "employment-education-transport"]
    assert meta["service_areas"] == ["peer-support", "direct-payments-support"]
    assert meta["commissioner"] == {
        "name": "Exampleshire County Council",
        "type": "local-authority",
    }
    assert meta["other_commissioners"] == [{"name": "Exampleshire NHS Trust", "type": "nhs-trust"}]
    assert meta["sourcing"] == "grant"
    assert meta["outcome"] == "continuing"
    # 'When the work ended' left empty: still going on, as the contributor says in this month.
    assert meta["period"] == {"start": "2019-04", "end": "ongoing", "confirmed": "2026-11"}
    assert meta["caveats"] == [
        "The figures come from the council's own report; the forum has not published its own."
    ]
    assert meta["consent"] == "organisations-agreed"
    assert meta["sources"] == [
        {
            "title": "Peer support planning in Exampleshire",
            "publisher": "Exampleshire County Council",
            "date": "2020-03",
            "url": "https://www.example.org/report",
            "quotes": ["More people finished their support plan within a month."],
        }
    ]
    path = tmp_path / f"{result.slug}.md"
    path.write_text(result.text, encoding="utf-8")
    checked = check_file(path, RULES, today=TODAY)
    assert checked.problems == []
    assert "- Monthly meetings" in checked.case_study.body


def test_missing_fields_are_reported_with_the_forms_labels_and_lines() -> None:
    result = convert(fixture("missing-fields.md"), shown="issue", today=TODAY)
    expected = fixture("missing-fields.expected").splitlines()
    assert [str(problem) for problem in sorted(result.problems)] == expected


def test_hostile_values_are_all_reported() -> None:
    result = convert(fixture("hostile.md"), shown="issue", today=TODAY)
    found = [str(problem) for problem in sorted(result.problems)]
    expect = [
        r"issue:9: Summary: raw HTML is not allowed \('<script>'\)",
        r"issue:17: DPULO website: must be a full web address starting https://; "
        r"got 'javascript:alert\(1\)'",
        r"issue:73: Sources: must be a full web address .*got 'javascript:",
        r"issue:77: How they worked together: raw HTML is not allowed \('<script>'\)",
        r"issue:82: The practicalities of the relationship: links must start with https://.*"
        r"'javascript:'",
        r"issue:89: The results: raw HTML is not allowed \('<img",
        r"issue:90: The results: contains a phone number",
        r"issue:90: The results: contains an e-mail address",
        r"issue:100: Lessons: still has guidance to replace",
    ]
    for pattern in expect:
        assert any(re.match(pattern, line) for line in found), (pattern, found)


def test_hostile_form_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = cli.main(["from-issue", str(FIXTURES / "hostile.md"), "--dir", str(tmp_path)])
    assert code == 1
    assert list(tmp_path.iterdir()) == []
    assert "nothing was written" in capsys.readouterr().out


def test_yaml_injection_in_answers_stays_text() -> None:
    result = convert(fixture("injection.md"), today=TODAY)
    assert result.problems == []
    meta = front_matter(result.text)
    assert meta["status"] == "draft"
    assert meta["consent"] == "organisations-agreed"
    assert meta["title"] == (
        "Peer-led support planning with Exampleshire County Council status: published "
        "consent: published-sources ---"
    )
    assert meta["commissioner"]["name"].startswith("Exampleshire County Council' ; drop: &anchor")
    assert meta["dpulo"]["name"] == '"Exampleshire" Disabled People\'s Forum: NO, yes, ~, null'
    # Every value is written in double quotes, so YAML never reads it as anything but text.
    front = split_front_matter(result.text)[0]
    for line in front.splitlines():
        if ":" in line and not line.rstrip().endswith(":"):
            assert re.search(r': "', line) or line.lstrip().startswith('- "'), line


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_any_title_is_neutralised(title: str) -> None:
    body = fixture("complete.md").replace(
        "Peer-led support planning with Exampleshire County Council", title.replace("###", "#"), 1
    )
    result = convert(body, today=TODAY)
    meta = front_matter(result.text)
    assert meta["status"] == "draft"
    assert set(meta) <= {item.name for item in fields(RULES)}
    assert isinstance(meta.get("title", ""), str)


def test_crlf_bodies_and_subheadings_inside_answers() -> None:
    body = fixture("complete.md").replace(
        "Start small, agree what you will report, and meet often.",
        "Start small.\n\n## For commissioners\n\nMeet often.\n\n### Title\n\nNot a field.",
    )
    result = convert(body.replace("\n", "\r\n"), today=TODAY)
    assert [str(problem) for problem in result.problems] == []
    assert "### For commissioners" in result.text
    assert "### Title\n\nNot a field." in result.text
    assert front_matter(result.text)["title"].startswith("Peer-led support planning")


def test_answers_keep_their_issue_lines() -> None:
    answers = parse_issue(fixture("complete.md"), form_fields())
    # The title's id is not 'title': GitHub reads ?title= in an address as the issue's title.
    assert answers["case-study-title"].line == 3
    assert answers["case-study-title"].text == (
        "Peer-led support planning with Exampleshire County Council"
    )
    assert answers["period-end"].text == ""
    assert answers["period-end"].line == 57


def test_a_missing_heading_is_reported() -> None:
    body = fixture("complete.md").replace("### Region\n\nSouth West\n\n", "")
    problems = [str(p) for p in convert(body, shown="issue", today=TODAY).problems]
    assert problems == [
        "issue:1: Region: the heading '### Region' is missing from the issue; put it back, "
        "with the answer under it"
    ]


def test_an_unticked_agreement_is_reported() -> None:
    body = fixture("complete.md").replace("- [X] The organisations", "- [ ] The organisations")
    problems = [p.message for p in convert(body, today=TODAY).problems]
    assert len(problems) == 1 and "is not ticked" in problems[0]


def test_bad_source_lines_are_reported_on_their_line() -> None:
    body = fixture("complete.md").replace(
        "Peer support planning in Exampleshire | Exampleshire County Council | "
        "https://www.example.org/report | 2020-03",
        "Good | Exampleshire County Council | https://www.example.org/a\nOnly a title",
    )
    problems = [str(p) for p in convert(body, shown="issue", today=TODAY).problems]
    assert len(problems) == 1
    assert problems[0].startswith("issue:72: Sources: each source needs its title")


def test_names_containing_commas_are_split_correctly() -> None:
    names = ["Employment, education or transport", "Reserved contracts", "TUPE transfers"]
    assert split_names("Reserved contracts, Employment, education or transport", names) == [
        "Reserved contracts",
        "Employment, education or transport",
    ]
    assert split_names("Employment, education or transport, TUPE transfers", names) == [
        "Employment, education or transport",
        "TUPE transfers",
    ]
    assert split_names("Nonsense, TUPE transfers", names) is None


def test_demote_headings_leaves_code_alone() -> None:
    text = "# One\n## Two\n### Three\n```\n## code\n```"
    assert demote_headings(text) == "### One\n### Two\n### Three\n```\n## code\n```"


# --- the command ------------------------------------------------------------------------------


def test_from_issue_writes_the_file_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    source = str(FIXTURES / "complete.md")
    assert cli.main(["from-issue", source, "--dir", str(tmp_path)]) == 0
    written = tmp_path / "peer-led-support-planning-with-exampleshire-county-council.md"
    assert written.exists()
    assert "Wrote" in capsys.readouterr().out
    assert cli.main(["validate", str(written)]) == 0
    capsys.readouterr()
    assert cli.main(["from-issue", source, "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().out


def test_from_issue_dry_run_reads_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(fixture("missing-fields.md")))
    assert cli.main(["from-issue", "-", "--dry-run", "--dir", str(tmp_path), "--no-github"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("issue:5: Summary: is empty")
    assert list(tmp_path.iterdir()) == []


def test_from_issue_prints_github_annotations_under_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    cli.main(["from-issue", str(FIXTURES / "missing-fields.md"), "--dry-run"])
    assert "::error file=" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("line", "source"),
    [
        (
            "Annual report: the findings | Exampleshire Council | https://example.org/a | 2019",
            {
                "title": "Annual report: the findings",
                "publisher": "Exampleshire Council",
                "date": "2019",
                "url": "https://example.org/a",
            },
        ),
        (
            "- Minutes | Exampleshire Council | www.example.org/minutes",
            {
                "title": "Minutes",
                "publisher": "Exampleshire Council",
                "url": "https://www.example.org/minutes",
            },
        ),
        (
            "Report | Council | javascript:alert(1)",
            {"title": "Report", "publisher": "Council", "url": "javascript:alert(1)"},
        ),
    ],
)
def test_source_lines_are_read_by_the_shape_of_their_parts(line: str, source: dict) -> None:
    assert parse_source(line) == (source, [])


def test_a_source_without_an_address_is_explained() -> None:
    _, problems = parse_source("Annual report | Exampleshire Council")
    assert problems and "its web address" in problems[0]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("April 2019", "2019-04"),
        ("sept 2019", "2019-09"),
        ("04/2019", "2019-04"),
        ("2019/4", "2019-04"),
        ("2019", "2019"),
        ("13/2019", "13/2019"),  # left for the validator to explain
    ],
)
def test_partial_dates_are_read_kindly(typed: str, value: str) -> None:
    assert normalise_partial_date(typed) == value


def test_plain_words_match_the_schema() -> None:
    names = {item.name for item in leaves(fields(RULES))}
    assert set(PLAIN_HELP) <= names
    for name, words in FIXED_CHOICE_WORDS.items():
        assert list(words) == raw_schema_enum(name)


# --- the evidence fields, in plain words -------------------------------------------------------


def answered(body: str, label: str, answer: str) -> str:
    """`body` with the answer under '### label' replaced by `answer`."""
    pattern = rf"(?m)^(### {re.escape(label)}\n\n)[^\n]*$"
    changed, count = re.subn(pattern, lambda m: m.group(1) + answer, body, count=1)
    assert count == 1, label
    return changed


def test_the_form_asks_for_the_evidence_fields_in_plain_words() -> None:
    by_id = {item["id"]: item for item in form_data()["body"] if "id" in item}
    assert by_id["outcome"]["attributes"]["options"][-1] == "Not known"
    assert by_id["sourcing"]["attributes"]["options"][-1] == "Not known"
    end = by_id["period-end"]
    assert end["validations"]["required"] is False
    assert "Leave it empty if the work is still going on" in end["attributes"]["description"]
    for item in form_data()["body"]:
        words = " ".join(str(value) for value in item.get("attributes", {}).values())
        for jargon in ("not-known", "ongoing", "unknown", "period.", "confirmed"):
            assert jargon not in words, (item.get("id"), jargon)
    # What a reader must know first is asked once the story is written, before the ticks.
    ids = [item["id"] for item in form_data()["body"] if "id" in item]
    assert ids[-2:] == ["caveats", "agreements"]


@pytest.mark.parametrize(
    ("end", "outcome", "period"),
    [
        ("2023", "Ended as planned", {"start": "2019-04", "end": "2023"}),
        ("March 2023", "Funding cut", {"start": "2019-04", "end": "2023-03"}),
        ("not known", "Lost at retender", {"start": "2019-04", "end": "unknown"}),
        ("Don't know", "Not known", {"start": "2019-04", "end": "unknown"}),
        ("still going on", "Continuing", {"start": "2019-04", "end": "ongoing"}),
        ("_No response_", "Continuing", {"start": "2019-04", "end": "ongoing"}),
    ],
)
def test_when_the_work_ended_in_plain_words(end: str, outcome: str, period: dict) -> None:
    body = answered(fixture("complete.md"), "When the work ended", end)
    body = answered(body, "Outcome", outcome)
    result = convert(body, today=TODAY)
    assert [str(problem) for problem in result.problems] == []
    if period["end"] == "ongoing":
        period = {**period, "confirmed": "2026-11"}  # still going on when the form was sent
    assert front_matter(result.text)["period"] == period


def test_not_known_in_plain_words() -> None:
    body = answered(fixture("complete.md"), "When the work started", "not known")
    body = answered(body, "How the work was paid for", "Not known")
    body = answered(body, "Outcome", "unknown")
    meta = front_matter(convert(body, today=TODAY).text)
    assert meta["period"]["start"] == "unknown"
    assert meta["sourcing"] == "not-known"
    assert meta["outcome"] == "not-known"


def test_a_given_last_known_date_is_kept() -> None:
    body = answered(fixture("complete.md"), "When it was last known to be going on", "Jan 2026")
    result = convert(body, today=TODAY)
    assert result.problems == []
    assert front_matter(result.text)["period"]["confirmed"] == "2026-01"


def test_an_ended_outcome_needs_an_end() -> None:
    body = answered(fixture("complete.md"), "Outcome", "Lost at retender")
    problems = [str(p) for p in convert(body, shown="issue", today=TODAY).problems]
    assert len(problems) == 1
    assert problems[0].startswith(
        "issue:57: When the work ended: is empty, which means the work is still going on, but "
        "the outcome 'Lost at retender' says it has ended"
    )


def test_a_continuing_outcome_with_an_end_is_reported() -> None:
    body = answered(fixture("complete.md"), "When the work ended", "2024")
    problems = [str(p) for p in convert(body, shown="issue", today=TODAY).problems]
    assert len(problems) == 1
    assert problems[0].startswith("issue:59: When the work ended: says the work ended ('2024')")


def test_a_last_known_date_for_work_that_ended_is_reported() -> None:
    body = answered(fixture("complete.md"), "When the work ended", "2024")
    body = answered(body, "Outcome", "Funding cut")
    body = answered(body, "When it was last known to be going on", "2023")
    problems = [str(p) for p in convert(body, shown="issue", today=TODAY).problems]
    assert problems == [
        "issue:63: When it was last known to be going on: is only for work still going on; "
        "leave it empty, or leave 'When the work ended' empty if the work has not ended"
    ]


def published(body: str) -> str:
    return answered(body, "Consent", "Compiled only from the published sources listed")


def test_published_sources_need_quotes_caveats_and_a_last_known_date() -> None:
    body = published(fixture("complete.md"))
    body = body.replace(' | "More people finished their support plan within a month."', "")
    body = answered(body, "Anything a reader must know first", "_No response_")
    problems = [str(p) for p in sorted(convert(body, shown="issue", today=TODAY).problems)]
    assert [problem.split(";")[0] for problem in problems] == [
        "issue:61: When it was last known to be going on: is empty",
        "issue:71: Sources: this source has no quote",
        "issue:96: Anything a reader must know first: is empty",
    ]


def test_a_case_study_from_published_sources_becomes_a_valid_draft(tmp_path: Path) -> None:
    body = published(fixture("complete.md"))
    body = answered(body, "When it was last known to be going on", "March 2020")
    result = convert(body, today=TODAY)
    assert [str(problem) for problem in result.problems] == []
    meta = front_matter(result.text)
    assert meta["consent"] == "published-sources"
    assert meta["period"]["confirmed"] == "2020-03"
    path = tmp_path / f"{result.slug}.md"
    path.write_text(result.text, encoding="utf-8")
    assert check_file(path, RULES, today=TODAY).problems == []

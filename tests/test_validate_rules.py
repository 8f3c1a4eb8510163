"""One test per validation rule: a valid case study broken in one way, and the exact messages.

In the style of python/peps' test_pep_lint.py: the expected messages are written out in full,
because the messages are what contributors read.
"""

from __future__ import annotations

import dataclasses

import pytest

from kb.content.casestudy import MAX_FILE_BYTES
from tests.conftest import VALID, messages

P = "case_studies/example-case-study.md"

REGIONS = (
    "'north-east', 'north-west', 'yorkshire-and-the-humber', 'east-midlands', 'west-midlands', "
    "'east-of-england', 'london', 'south-east', 'south-west', 'wales', 'scotland', "
    "'northern-ireland', 'uk-wide'"
)
NO_PERSONAL = (
    "remove it, because we do not publish personal contact details (an organisation's public "
    "address can be added to data/allowed-contacts.yml)"
)


def replace(old: str, new: str, text: str = VALID) -> str:
    assert old in text, f"test setup: {old!r} is not in the text"
    return text.replace(old, new, 1)


def test_valid_case_study_loads_with_its_values(check):
    result = check(VALID)
    assert result.problems == []
    case = result.case_study
    assert case is not None
    assert case.slug == "example-case-study"
    assert case.title == "Peer-led support planning in Exampleshire"
    assert case.categories == ["co-produced-specifications", "value-for-money"]
    assert case.commissioner_types == ["local-authority"]
    assert case.meta["period"] == {"start": "2019-04", "end": "2022"}
    assert case.body.lstrip().startswith("## How they worked together")
    assert case.body_line == 27


CASES = {
    "region not in the taxonomy, with a suggestion": (
        replace("region: south-west", "region: London"),
        [f"{P}:10: region: must be one of {REGIONS}; got 'London' (did you mean 'london'?)"],
    ),
    "unknown field, with a suggestion": (
        replace("status: published", "status: published\nstatuss: draft"),
        [
            f"{P}:20: statuss: is not a field we know; did you mean 'status'? the fields allowed "
            "here are 'title', 'summary', 'dpulo', 'commissioner', 'other_commissioners', "
            "'region', 'categories', 'service_areas', 'sourcing', 'outcome', 'period', "
            "'caveats', 'published', 'reviewed', 'status', 'consent', 'consent_record', 'sources'"
        ],
    ),
    "required field missing": (
        replace('title: "Peer-led support planning in Exampleshire"\n', ""),
        [
            f"{P}:2: title: is missing; add it (A short title that says who worked with whom on "
            "what.)"
        ],
    ),
    "nested required field missing": (
        replace("  type: local-authority\n", ""),
        [f"{P}:7: commissioner.type: is missing; add it (What kind of public body it is.)"],
    ),
    "duplicate key names both lines": (
        replace("region: south-west", "region: south-west\nregion: wales"),
        [
            f"{P}:11: front matter: has the field 'region' twice, on lines 10 and 11; keep one "
            "and delete the other"
        ],
    ),
    "anchor and alias": (
        replace("region: south-west", "region: &r south-west\nother: *r"),
        [
            f"{P}:10: front matter: uses the anchor '&r', which is not allowed; remove it",
            f"{P}:11: front matter: uses the alias '*r', which is not allowed; write the value "
            "out in full",
            f"{P}:11: other: is not a field we know; the fields allowed here are 'title', "
            "'summary', 'dpulo', 'commissioner', 'other_commissioners', 'region', 'categories', "
            "'service_areas', 'sourcing', 'outcome', 'period', 'caveats', 'published', "
            "'reviewed', 'status', 'consent', 'consent_record', 'sources'",
        ],
    ),
    "YAML tag": (
        replace("region: south-west", "region: !!python/object:os.system south-west"),
        [
            f"{P}:10: front matter: uses the YAML tag 'tag:yaml.org,2002:python/object:os.system',"
            " which is not allowed; remove it"
        ],
    ),
    "no implicit booleans: NO stays the string 'NO'": (
        replace("consent: organisations-agreed", "consent: NO"),
        [f"{P}:20: consent: must be one of 'organisations-agreed', 'published-sources'; got 'NO'"],
    ),
    "no implicit times: 10:00 stays a string": (
        replace('reviewed: "2026-06-01"', "reviewed: 10:00"),
        [
            f'{P}:18: reviewed: must be a date written YYYY-MM-DD, in quotes, like "2026-03-31";'
            " got '10:00'"
        ],
    ),
    "a number is not a list": (
        replace("categories: [co-produced-specifications, value-for-money]", "categories: 3"),
        [f"{P}:11: categories: must be a list (one '- item' per line, or [a, b]); got '3'"],
    ),
    "empty value": (
        replace("region: south-west", "region:"),
        [f"{P}:10: region: is empty; it must be text"],
    ),
    "repeated category": (
        replace(
            "categories: [co-produced-specifications, value-for-money]", "categories: [tupe, tupe]"
        ),
        [f"{P}:11: categories: lists 'tupe' more than once; remove the repeat"],
    ),
    "title too long": (
        replace('title: "Peer-led support planning in Exampleshire"', f'title: "{"x" * 121}"'),
        [
            f"{P}:2: title: is too long: it must be at most 120 characters; it has 121, so shorten it"
        ],
    ),
    "website must be https": (
        replace('website: "https://forum.example.org"', 'website: "http://forum.example.org"'),
        [
            f"{P}:6: dpulo.website: must be a full web address starting https://; "
            "got 'http://forum.example.org'"
        ],
    ),
    "source without url, counted from 1": (
        replace('    url: "https://forum.example.org/report"\n', ""),
        [
            f"{P}:22: sources[1].url: is missing; add it (Its web address, starting https:// (or "
            "http:// for older pages that have no https address).)"
        ],
    ),
    "published sources need at least one source": (
        replace("consent: organisations-agreed", "consent: published-sources").split("sources:")[0]
        + "sources: []\n"
        + 'caveats: ["Compiled from one annual report, the forum\'s own account."]\n---\n'
        + VALID.split("---\n", 2)[2],
        [
            f"{P}:21: sources: must list at least one source, because consent is "
            "'published-sources' (the case study is compiled only from published sources)"
        ],
    ),
    "date that does not exist": (
        replace('published: "2026-01-15"', 'published: "2026-02-30"'),
        [f"{P}:17: published: is not a real date; got '2026-02-30'"],
    ),
    "date in the future": (
        replace('reviewed: "2026-06-01"', 'reviewed: "2026-11-26"'),
        [f"{P}:18: reviewed: is in the future (2026-11-26); use today's date or an earlier one"],
    ),
    "reviewed before published": (
        replace('reviewed: "2026-06-01"', 'reviewed: "2025-06-01"'),
        [f"{P}:18: reviewed: must not be before published (2026-01-15); got '2025-06-01'"],
    ),
    "period ends before it starts": (
        replace('end: "2022"', 'end: "2018"'),
        [f"{P}:16: period.end: must not be before period.start (2019-04); got '2018'"],
    ),
    "colon in a value gets a hint": (
        replace('title: "Peer-led support planning in Exampleshire"', "title: Peer-led: support"),
        [
            f"{P}:2: front matter: is not valid YAML (mapping values are not allowed in this "
            "context): a value contains a colon followed by a space; put the whole value in "
            "double quotes"
        ],
    ),
    "tab indentation": (
        replace("  type: local-authority", "\ttype: local-authority"),
        [
            f"{P}:9: front matter: is not valid YAML (found character that cannot start any "
            "token): a line starts with a character YAML cannot read, often a tab; indent with "
            "spaces, and put values that start with @, ` or % in double quotes"
        ],
    ),
    "front matter is a list": (
        "---\n- a\n- b\n---\n\nText\n",
        [
            f"{P}:2: front matter: must be a set of fields, one 'name: value' per line, between "
            "the '---' lines"
        ],
    ),
    "no front matter": (
        "# A case study\n\nText\n",
        [
            f"{P}:1: front matter: the file must start with a line '---', then the fields, then "
            "another '---' line; copy the layout of case_studies/_template.md"
        ],
    ),
    "front matter never closed": (
        # Reported where the closing '---' belongs: at the first line that is not YAML (a
        # heading reads as a YAML comment, so that is the first sentence of the body).
        VALID.replace("---\n\n## How", "\n## How", 1),
        [
            f"{P}:27: front matter: the fields at the top must end with a line '---'; add a "
            "line '---' here, before this line, where the fields end and the text begins"
        ],
    ),
    "missing and empty sections": (
        replace("## Lessons\n\nStart early.\n", "## Lessons\n").replace(
            "## The results\n\nMore people used direct payments.\n\n", ""
        ),
        [
            f"{P}:40: body: the section '## Lessons' is empty; write at least a sentence",
            f"{P}:41: body: the section '## The results' is missing; add it, with at least a "
            "sentence under it",
        ],
    ),
    "level-1 heading and unknown level-2 heading": (
        replace(
            "## How they worked together",
            "# Our story\n\n## Background\n\nText.\n\n## How they worked together",
        ),
        [
            f"{P}:28: body: '# Our story' is a level-1 heading; remove it, because the page "
            "title comes from 'title' in the front matter",
            f"{P}:30: body: '## Background' is not one of the sections; use '###' for a part of "
            "a section, or one of the five headings: '## How they worked together', '## The "
            "practicalities of the relationship', '## The results', '## What made it work, or "
            "got in the way', '## Lessons'",
        ],
    ),
    "heading in the wrong case": (
        replace("## Lessons", "## lessons"),
        [
            f"{P}:44: body: '## lessons' is not one of the sections; write it exactly as "
            "'## Lessons'",
            f"{P}:47: body: the section '## Lessons' is missing; add it, with at least a "
            "sentence under it",
        ],
    ),
    "sections out of order": (
        replace("## Lessons\n\nStart early.\n", "").replace(
            "## How they worked together",
            "## Lessons\n\nStart early.\n\n## How they worked together",
        ),
        [
            f"{P}:28: body: the sections are out of order; put them in this order: '## How they "
            "worked together', '## The practicalities of the relationship', '## The results', "
            "'## What made it work, or got in the way', '## Lessons'"
        ],
    ),
    "unsafe links": (
        replace(
            "Start early.",
            "See [this](javascript:alert(1)), [that](data:text/html,hi), [old](http://x.org), "
            "[odd](//evil.example) and <ftp://files.example>.",
        ),
        [
            f"{P}:46: body: links must start with https:// or point within this site; "
            "'//evil.example' uses a protocol-relative address",
            f"{P}:46: body: links must start with https:// or point within this site; "
            "'data:text/html,hi' uses 'data:'",
            f"{P}:46: body: links must start with https:// or point within this site; "
            "'ftp://files.example' uses 'ftp:'",
            f"{P}:46: body: links must start with https:// or point within this site; "
            "'http://x.org' uses 'http:'. Use https://",
            f"{P}:46: body: links must start with https:// or point within this site; "
            "'javascript:alert(1)' uses 'javascript:'",
        ],
    ),
    "raw HTML": (
        replace("Start early.", 'Start early.<script>alert("x")</script>'),
        [
            f"{P}:46: body: raw HTML is not allowed ('<script>'); use Markdown instead, such as "
            "**bold**, [link text](https://…) or a list"
        ],
    ),
    "personal contact details in the body": (
        replace(
            "Start early.", "Call 01392 459222, write to a.person@example.org or visit EX4 3PQ."
        ),
        [
            f"{P}:46: body: contains a phone number ('01392 459222'); {NO_PERSONAL}",
            f"{P}:46: body: contains a postcode ('EX4 3PQ'); {NO_PERSONAL}",
            f"{P}:46: body: contains an e-mail address ('a.person@example.org'); {NO_PERSONAL}",
        ],
    ),
    "personal contact details in the front matter": (
        replace(
            'name: "Exampleshire County Council"',
            'name: "Exampleshire County Council, +44 7700 900123"',
        ),
        [f"{P}:8: commissioner.name: contains a phone number ('+44 7700 900123'); {NO_PERSONAL}"],
    ),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_rule(check, text, expected):
    result = check(text)
    assert messages(result) == expected
    assert result.case_study is None


SAFE_BODIES = {
    "site-relative and fragment links": "See [guide](../../guides/x/) and [1](#source-1).",
    "https autolink": "See <https://www.legislation.gov.uk/ukpga/2023/54/section/32>.",
    "HTML inside a code span": "Markdown shows `<script>` as text.",
    "HTML inside a fenced block": "```\n<div>not rendered</div>\n```",
    "figures that look like numbers, not phones": "Bid £199,000 against £354,000 in 2011-12.",
    "law and dates that are not postcodes": "Section 106, PCR 2015 reg 20, SI 2006/246.",
    "Welsh letters": "Cynhaliwyd cyfarfodydd yn Nhŷ'r Cyngor; ŵ ŷ Ŵ Ŷ.",
}


@pytest.mark.parametrize("body", SAFE_BODIES.values(), ids=SAFE_BODIES.keys())
def test_safe_text_is_accepted(check, body):
    result = check(replace("Start early.", f"Start early.\n\n{body}"))
    assert messages(result) == []


def test_windows_line_endings_and_welsh_characters_validate(check):
    text = replace("Start early.", "Dechrau'n gynnar: ŵ, ŷ.").replace("\n", "\r\n")
    result = check(text)
    assert messages(result) == []
    assert "ŵ, ŷ" in result.case_study.body


def test_unquoted_iso_date_stays_a_string(check):
    result = check(replace('published: "2026-01-15"', "published: 2026-01-15"))
    assert messages(result) == []
    assert result.case_study.published == "2026-01-15"


def test_byte_order_mark_is_refused(check):
    result = check("", raw=b"\xef\xbb\xbf" + VALID.encode())
    assert messages(result) == [
        f"{P}:1: file: starts with a byte-order mark (BOM); save the file as 'UTF-8' without BOM "
        "(in most editors: Save As, Encoding: UTF-8)"
    ]


def test_other_encodings_are_refused_with_the_line(check):
    raw = replace("Start early.", "Café").encode("latin-1")
    assert messages(check("", raw=raw)) == [
        f"{P}:46: file: is not UTF-8 text (byte 0xe9 on this line cannot be read); save the "
        "file as UTF-8"
    ]


def test_file_name_must_be_the_slug(check):
    result = check(VALID, name="My Case_Study.md")
    assert messages(result) == [
        "case_studies/My Case_Study.md:1: file: the file name must be lower-case words joined by "
        "hyphens, like 'my-case-study.md'; got 'My Case_Study.md'"
    ]


def test_oversized_file_is_refused_before_parsing(check):
    result = check(VALID + "x" * MAX_FILE_BYTES)
    assert len(result.problems) == 1
    assert result.problems[0].field == "file"
    assert "a case study must be under 100,000 bytes" in result.problems[0].message


def test_allow_listed_organisational_contact_is_accepted(check, rules):
    text = replace("Start early.", "Write to info@forum.example.org.")
    assert messages(check(text)) == [
        f"{P}:46: body: contains an e-mail address ('info@forum.example.org'); remove it, because "
        "we do not publish personal contact details (an organisation's public address can be "
        "added to data/allowed-contacts.yml)"
    ]
    allowed = dataclasses.replace(rules, allowed=("info@forum.example.org",))
    assert messages(check(text, rules=allowed)) == []


def test_underlined_headings_count_as_headings(check):
    text = replace(
        "## Lessons\n\nStart early.\n",
        "Contact us\n----------\n\nSee below.\n\n## Lessons\n\nStart early.\n",
    )
    assert messages(check(text)) == [
        f"{P}:44: body: '## Contact us' is not one of the sections; use '###' for a part of a "
        "section, or one of the five headings: '## How they worked together', '## The "
        "practicalities of the relationship', '## The results', '## What made it work, or got in "
        "the way', '## Lessons'"
    ]
    assert messages(check(replace("## Lessons", "Lessons\n======="))) == [
        f"{P}:44: body: '# Lessons' is a level-1 heading; remove it, because the page title comes "
        "from 'title' in the front matter",
        f"{P}:48: body: the section '## Lessons' is missing; add it, with at least a sentence "
        "under it",
    ]


def test_unknown_start_is_allowed_only_as_the_word_unknown(check):
    assert messages(check(replace('start: "2019-04"', 'start: "unknown"'))) == []
    assert messages(check(replace('start: "2019-04"', 'start: "not known"'))) == [
        f'{P}:15: period.start: must be a year, or a year and month, in quotes, like "2019" or '
        '"2019-04" (or "unknown" if the sources do not say); got \'not known\''
    ]


def test_period_text_says_plainly_what_is_and_is_not_known():
    from kb.content.dates import period_text

    assert (
        period_text({"start": "unknown", "end": "unknown"}) == "Not known: the sources do not say"
    )
    assert period_text({"start": "unknown", "end": "2014"}) == "Until 2014"
    assert period_text({"start": "2019-04", "end": "2022"}) == "April 2019 to 2022"
    assert period_text({"start": "2010", "end": "unknown"}) == "2010, end not known"
    assert (
        period_text({"start": "2018", "end": "ongoing", "confirmed": "2026-01"})
        == "Since 2018, confirmed ongoing in January 2026"
    )
    assert period_text({"start": "2012", "end": "2012"}) == "2012"

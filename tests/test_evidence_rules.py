"""Issue 19: a case study compiled from published sources quotes every source, says what to
beware of, and says when the work ended. Each rule with the exact message it gives."""

from __future__ import annotations

import pytest

from tests.conftest import VALID

P = "case_studies/example-case-study.md"

#: VALID, compiled from published sources, with a caveat and a quote: it passes.
COMPILED = VALID.replace("consent: organisations-agreed", "consent: published-sources").replace(
    '    url: "https://forum.example.org/report"\n',
    '    url: "https://forum.example.org/report"\n'
    '    quotes: ["The forum ran peer support planning for the council."]\n'
    'caveats: ["Only one source, the forum\'s own annual report."]\n',
)


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))


def test_a_compiled_case_study_with_quotes_and_caveats_passes(check) -> None:
    assert check(COMPILED).problems == []


def test_every_source_of_a_compiled_case_study_needs_a_quote(check) -> None:
    text = COMPILED.replace(
        '    quotes: ["The forum ran peer support planning for the council."]\n', ""
    )
    problems = [str(p) for p in check(text).problems]
    line = line_of(text, "  - title:")
    assert problems == [
        f"{P}:{line}: sources[1].quotes: is missing; add it (copy one or more short passages, "
        "word for word, from this source: the ones the case study relies on), because consent "
        "is 'published-sources'"
    ]


def test_an_empty_list_of_quotes_says_why_one_is_needed(check) -> None:
    text = COMPILED.replace('["The forum ran peer support planning for the council."]', "[]")
    problems = [str(p) for p in check(text).problems]
    assert problems == [
        f"{P}:{line_of(text, '    quotes:')}: sources[1].quotes: must quote at least one "
        "passage, word for word, from this source, because consent is 'published-sources'"
    ]


def test_a_compiled_case_study_must_say_what_to_beware_of(check) -> None:
    text = COMPILED.replace('caveats: ["Only one source, the forum\'s own annual report."]\n', "")
    problems = [str(p) for p in check(text).problems]
    assert problems == [
        f"{P}:2: caveats: is missing; add it (one plain sentence or more on how far the sources "
        "can be relied on: for example that they disagree, that there is only one, or that "
        "dates are inferred), because consent is 'published-sources'"
    ]


def test_a_quote_is_short(check) -> None:
    long_quote = "word " * 70
    text = COMPILED.replace(
        "The forum ran peer support planning for the council.", long_quote.strip()
    )
    problems = [str(p) for p in check(text).problems]
    assert problems == [
        f"{P}:{line_of(text, '    quotes:')}: sources[1].quotes[1]: is too long: it must be at "
        "most 300 characters; it has 349, so shorten it"
    ]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ('{start: "2019-04"}', "period.end: is missing; add it"),
        (
            '{start: "2019-04", end: "ongoing"}',
            "period.confirmed: is missing; add it",
        ),
        (
            '{start: "2019-04", end: "soon"}',
            "period.end: must be a year, or a year and month",
        ),
    ],
)
def test_the_end_of_the_work_is_a_date_ongoing_or_unknown(
    check, period: str, expected: str
) -> None:
    text = VALID.replace('period: {start: "2019-04",\n  end: "2022"}', f"period: {period}\n")
    problems = [str(p) for p in check(text).problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{P}:{line_of(text, 'period:')}: {expected}")


def test_ongoing_work_with_the_date_it_was_confirmed_passes(check) -> None:
    text = VALID.replace(
        'period: {start: "2019-04",\n  end: "2022"}',
        'period: {start: "2019-04", end: "ongoing",\n  confirmed: "2026-01"}',
    )
    assert check(text).problems == []


def test_a_consent_record_says_who_agreed_when_and_how(check) -> None:
    from kb.site.case_study import consent_text

    record = 'consent_record: {by: "Exampleshire Forum", date: "2027-03", how: "by e-mail"}\n'
    text = VALID.replace(
        "consent: organisations-agreed\n", "consent: organisations-agreed\n" + record
    )
    assert check(text).problems == []
    assert (
        consent_text({"by": "Exampleshire Forum", "date": "2027-03", "how": "by e-mail"})
        == "Checked by Exampleshire Forum, March 2027, by e-mail"
    )


def test_a_consent_record_is_only_for_cases_the_organisations_agreed_to(check) -> None:
    record = 'consent_record: {by: "Exampleshire Forum", date: "2027-03", how: "by e-mail"}\n'
    text = COMPILED.replace("consent: published-sources\n", "consent: published-sources\n" + record)
    problems = [str(p) for p in check(text).problems]
    assert problems == [
        f"{P}:{line_of(text, 'consent_record:')}: consent_record: is only for case studies the "
        "organisations agreed to: leave it out when consent is published-sources"
    ]

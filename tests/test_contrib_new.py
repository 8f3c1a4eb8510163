"""`kb new`: from options or questions to a file that passes `kb validate` once written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from kb import cli
from kb.cli import build_parser
from kb.commands import new
from kb.content.casestudy import FileResult, check_file
from kb.content.text_rules import PLACEHOLDER
from kb.contrib.scaffold import NOT_ASKED, fields, leaves, slugify
from tests.support.project import repo_rules

SECTIONS = repo_rules().schema.body_sections

SLUG = "peer-support-planning-with-exampleshire-county-council"

OPTIONS = [
    "--title",
    "Peer support planning with Exampleshire County Council",
    "--summary",
    "A fictional forum of disabled people planned support with a fictional council. "
    "Others can learn how to start small.",
    "--dpulo",
    "Exampleshire Disabled People's Forum",
    "--commissioner",
    "Exampleshire County Council",
    "--commissioner-type",
    "Local authority",
    "--region",
    "south-west",
    "--category",
    "Strategic partnerships and secondments",
    "--category",
    "tupe",
    "--sourcing",
    "Not known",
    "--outcome",
    "ended-as-planned",
    "--start",
    "April 2019",
    "--end",
    "March 2021",
    "--consent",
    "organisations-agreed",
    "--no-input",
]


class Terminal(io.StringIO):
    """Typed answers, one per line, that look like a terminal to kb new."""

    def isatty(self) -> bool:
        return True


def fill_sections(path: Path) -> None:
    """Do what a contributor does: replace each section's guidance with their own words."""
    text = path.read_text(encoding="utf-8")
    for number, section in enumerate(SECTIONS, start=1):
        text = text.replace(
            f"{PLACEHOLDER} {section['prompt']}",
            f"Fictional text for section {number}: the forum and the council met every month.",
        )
    path.write_text(text, encoding="utf-8")


def checked(path: Path) -> FileResult:
    return check_file(path, repo_rules())


def test_new_from_options_writes_a_draft_that_validates_once_written(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(["new", *OPTIONS, "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    path = tmp_path / f"{SLUG}.md"
    assert path.exists()
    assert "Next steps" in out and "kb validate" in out and str(path.name) in out

    # Freshly made, only the five sections' guidance is left to do.
    fresh = checked(path)
    assert [p.field for p in fresh.problems] == ["body"] * len(SECTIONS)
    assert all("still has guidance to replace" in p.message for p in fresh.problems)

    fill_sections(path)
    assert cli.main(["validate", str(path)]) == 0
    case = checked(path).case_study
    assert case is not None
    assert case.status == "draft"
    assert case.meta["commissioner"]["type"] == "local-authority"
    assert case.categories == ["strategic-partnerships", "tupe"]
    assert case.meta["period"] == {"start": "2019-04", "end": "2021-03"}
    assert case.meta["sourcing"] == "not-known"
    assert case.meta["outcome"] == "ended-as-planned"
    assert "caveats" not in case.meta
    assert case.published == case.reviewed


def test_new_case_study_appears_on_the_built_site(tmp_path: Path) -> None:
    folder = tmp_path / "case_studies"
    args = ["new", *OPTIONS, "--dir", str(folder), "--status", "published"]
    assert cli.main(args) == 0
    fill_sections(folder / f"{SLUG}.md")
    site = tmp_path / "site"
    assert cli.main(["build", "--case-studies", str(folder), "--site-dir", str(site)]) == 0
    page = site / "case-studies" / SLUG / "index.html"
    assert page.exists()
    assert "Peer support planning with Exampleshire County Council" in page.read_text("utf-8")


def test_new_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["new", *OPTIONS, "--dir", str(tmp_path)]) == 0
    path = tmp_path / f"{SLUG}.md"
    path.write_text("my own work\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["new", *OPTIONS, "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == "my own work\n"


def test_new_reports_every_missing_option_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(["new", "--no-input", "--dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "kb new: --title: is missing: A short title that says who worked with whom on what.",
        "kb new: --summary: is missing: Two or three plain-English sentences: what happened "
        "and what others can learn.",
        "kb new: --dpulo: is missing: The organisation's name.",
    ]
    for flag in ("--commissioner", "--commissioner-type", "--region", "--category", "--start"):
        assert any(line.startswith(f"kb new: {flag}: is missing") for line in out), flag
    assert out[-1].startswith("Nothing was written")
    assert list(tmp_path.iterdir()) == []


def test_new_reports_bad_options_in_the_validators_words(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    bad = [*OPTIONS]
    bad[bad.index("south-west")] = "Londn"
    bad[bad.index("tupe")] = "nonsense"
    bad += ["--end", "2018", "--dpulo-website", "javascript:alert(1)"]
    assert cli.main(["new", *bad, "--dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "kb new: --region: must be one of" in out and "(did you mean 'london'?)" in out
    assert "kb new: --category (number 2): must be one of" in out
    assert "kb new: --dpulo-website: must be a full web address starting https://" in out
    assert "kb new: --end: must not be before period.start (2019-04); got '2018'" in out
    assert list(tmp_path.iterdir()) == []


def test_published_sources_need_a_source(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    options = [*OPTIONS]
    options[options.index("organisations-agreed")] = "published-sources"
    assert cli.main(["new", *options, "--dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "kb new: --source: must list at least one source" in out
    assert "kb new: --caveat: is missing" in out  # what to beware of, now required too
    options += ["--caveat", "Everything here comes from the council's own annual report."]
    source = "Annual report | Exampleshire County Council | https://example.org/r"
    # Compiled from published sources, every source needs a passage quoted from it.
    assert cli.main(["new", *options, "--source", source, "--dir", str(tmp_path)]) == 1
    assert "kb new: --source (number 1): quotes: is missing" in capsys.readouterr().out
    quoted = f'{source} | "The forum planned support with 40 people in its first year."'
    assert cli.main(["new", *options, "--source", quoted, "--dir", str(tmp_path)]) == 0
    text = (tmp_path / f"{SLUG}.md").read_text(encoding="utf-8")
    assert '  quotes:\n  - "The forum planned support with 40 people in its first year."' in text


def test_new_asks_in_a_terminal_and_asks_again_with_the_validators_message(
    tmp_path: Path,
) -> None:
    typed = [
        "Short",  # title: too short, asked again
        "Peer support planning with Exampleshire County Council",
        "A fictional forum of disabled people planned support with a fictional council. "
        "Others can learn.",
        "Exampleshire Disabled People's Forum",
        "",  # website: optional
        "",  # description: optional
        "Exampleshire County Council",
        "1",  # kind of commissioner: Local authority
        "Exampleshire NHS Trust | NHS trust",
        "",  # no more other commissioners
        "99",  # region: not on the list, asked again
        "South West",
        "1, Employment, education or transport",
        "",  # service areas: optional
        "Not known",  # sourcing
        "1",  # outcome: Continuing
        "April 2019",
        "ongoing",  # end
        "",  # confirmed: needed because the work is ongoing, asked again
        "2025-11",
        "",  # caveats: optional so far
        "2",  # consent: compiled from published sources
        "",  # sources: one is needed now, asked again
        "Annual report | Exampleshire County Council | https://www.example.org/r | 2020",
        'Annual report | Exampleshire County Council | https://www.example.org/r | 2020 | "The '
        'forum planned support with 40 people in its first year."',  # a quote is needed too
        "",
        "",  # caveats: needed now because of the consent, asked again
        "Everything here comes from the council's own annual report.",
        "",
    ]
    args = build_parser().parse_args(["new", "--dir", str(tmp_path)])
    out = io.StringIO()
    assert new.run(args, stdin=Terminal("\n".join(typed) + "\n"), stdout=out) == 0
    shown = out.getvalue()
    assert "is too short: it must be at least 10 characters; it has 5" in shown
    assert "'99' is not one of the choices above. Type a number from 1 to 13" in shown
    assert shown.count("At least one is needed, because of your answer about consent.") == 2
    assert "This one is needed." in shown
    assert "quotes: is missing; add it (copy one or more short passages" in shown
    assert "Read this first: is missing; add it" in shown
    assert re.search(r"^\s+1\. Local authority$", shown, re.MULTILINE)
    case_text = (tmp_path / f"{SLUG}.md").read_text(encoding="utf-8")
    assert 'region: "south-west"' in case_text
    assert '- "employment-education-transport"' in case_text
    assert 'type: "nhs-trust"' in case_text
    assert 'consent: "published-sources"' in case_text
    assert 'date: "2020"' in case_text
    assert 'sourcing: "not-known"' in case_text
    assert 'outcome: "continuing"' in case_text
    assert '  end: "ongoing"\n  confirmed: "2025-11"\n' in case_text
    assert 'caveats:\n- "Everything here comes from the council' in case_text
    assert 'quotes:\n  - "The forum planned support with 40 people in its first year."' in case_text


def test_new_stops_cleanly_at_end_of_input(tmp_path: Path) -> None:
    args = build_parser().parse_args(["new", "--dir", str(tmp_path)])
    out = io.StringIO()
    assert new.run(args, stdin=Terminal("A title that is long enough\n"), stdout=out) == 2
    assert "stopped; nothing was written" in out.getvalue()
    assert list(tmp_path.iterdir()) == []


def test_every_question_has_an_option() -> None:
    asked = [
        item for item in leaves(fields(repo_rules())) if item.name.split(".")[0] not in NOT_ASKED
    ]
    flags = {new.flag_for(item) for item in asked}
    assert flags == {
        "--title",
        "--summary",
        "--dpulo",
        "--dpulo-website",
        "--dpulo-description",
        "--commissioner",
        "--commissioner-type",
        "--other-commissioner",
        "--region",
        "--category",
        "--service-area",
        "--sourcing",
        "--outcome",
        "--start",
        "--end",
        "--confirmed",
        "--caveat",
        "--consent",
        "--source",
    }
    assert len(flags) == len(asked)
    usage = build_parser()._subparsers._group_actions[0].choices["new"].format_help()
    assert all(flag in usage for flag in flags)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Peer support planning with Exampleshire County Council", SLUG),
        ("Équipe & Council: “quotes” — dashes", "equipe-and-council-quotes-dashes"),
        ("Disabled People's Forum", "disabled-peoples-forum"),
        ("!!!", "case-study"),
        ("word " * 40, "-".join(["word"] * 14)),
    ],
)
def test_slug_is_made_from_the_title(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slugify(title))

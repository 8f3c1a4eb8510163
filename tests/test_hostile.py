"""Hostile contributions (issue #18): each finding with the exact message it must produce, and
the valid variants that must still pass. Uses the new layout only (kb.content.*)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from kb.content.casestudy import check_file
from kb.content.load import load_rules
from kb.content.problems import Problem, capped, print_problems
from kb.content.project import Project
from kb.content.taxonomy import load_taxonomy
from kb.content.text_rules import check_personal_data
from kb.site.sanitise import sanitise_body

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)
VALID = (
    (ROOT / "tests/fixtures/broken/javascript-link.md")
    .read_text(encoding="utf-8")
    .replace("Start [early](javascript:alert(document.cookie)).", "Start early.")
)
LAST = VALID.count("\n") + 2  # the line with_body puts its text on (after one blank line)
JS = "links must start with https:// or point within this site; 'javascript:alert(1)' uses 'javascript:'"


@pytest.fixture(scope="module")
def rules():
    project = Project(ROOT)
    return load_rules(project, load_taxonomy(project.taxonomy_file))


def problems(tmp_path, rules, text: str, name: str = "hostile.md") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return [
        f"{p.line}: {p.field}: {p.message}"
        for p in check_file(path, rules, shown=name, today=TODAY).problems
    ]


def with_body(extra: str) -> str:
    return VALID.rstrip("\n") + "\n\n" + extra + "\n"


# 1: script in links, each alone, at the line it is on.
SCRIPT_LINKS = {
    "entity-s": ("[x](java&#115;cript:alert(1))", 0),
    "hex-entity": ("[x](&#x6a;avascript:alert(1))", 0),
    "colon-entity": ("[x](javascript&#58;alert(1))", 0),
    "break-inside": ("[x](java\nscript:alert(1))", 0),
    "break-before": ("[x](\njavascript:alert(1))", 0),
    "angle-space": ("[x](< javascript:alert(1)>)", 0),
    "ref-next-line": ("[x][a]\n\n[a]:\n  javascript:alert(1)", 0),
    "ref-entity": ("[x][a]\n\n[a]: java&#115;cript:alert(1)", 0),
    "control-char": ("[x](\x01javascript:alert(1))", 0),
    "list-continuation": ("- item\n\n    [x](javascript:alert(1))", 2),
    "escaped-backtick": ("\\`[x](javascript:alert(1))`", 0),
    "unclosed-fence": ("```\n[x](javascript:alert(1))", 1),
}


@pytest.mark.parametrize("name", sorted(SCRIPT_LINKS))
def test_script_links_are_refused_at_their_line(tmp_path, rules, name):
    body, offset = SCRIPT_LINKS[name]
    found = problems(tmp_path, rules, with_body(body))
    assert f"{LAST + offset}: body: {JS}" in found, found


def test_nested_parentheses(tmp_path, rules):
    assert problems(tmp_path, rules, with_body("[x](javascript:void((alert(1))))")) == [
        f"{LAST}: body: links must start with https:// or point within this site; 'javascript:void((alert(1)))' uses 'javascript:'"
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "[x](data:text/html,hi)",
            "links must start with https:// or point within this site; 'data:text/html,hi' uses 'data:'",
        ),
        (
            "[x](http://example.org/)",
            "links must start with https:// or point within this site; 'http://example.org/' uses 'http:'. Use https://",
        ),
        (
            "[x](VBScript:x)",
            "links must start with https:// or point within this site; 'VBScript:x' uses 'vbscript:'",
        ),
        (
            "![i](https://evil.example/x.png)",
            "images must be files on this site; 'https://evil.example/x.png' is not, so link to it instead: [what it shows](https://…)",
        ),
    ],
)
def test_other_schemes_and_external_images(tmp_path, rules, body, message):
    assert problems(tmp_path, rules, with_body(body)) == [f"{LAST}: body: {message}"]


def test_valid_variants_pass(tmp_path, rules):
    text = with_body(
        "See [the report](https://example.org/a?b=1&c=2#part), [source 1](#source-1), "
        "[about](/about/).\n\nYn Gymraeg: gwasanaethau cymdeithasol ŵŷ."
    ).replace('title: "Peer-led', 'title: "Council #3: peer-led')
    assert problems(tmp_path, rules, text.replace("\n", "\r\n")) == []


# 2: the second wall strips what a finding would render.
def test_sanitiser_strips_every_script_address():
    html = (
        '<p><a href="java&#115;cript:alert(1)">a</a><a href="\x01javascript:x">b</a>'
        '<a href="data:text/html,x">c</a><img src="x" onerror="alert(1)"><script>alert(1)</script>'
        '<a href="https://example.org/?a=1&amp;b=2#f" onclick="x()">ok</a><a href="#source-1">s</a></p>'
    )
    clean = sanitise_body(html)
    for bad in ("javascript", "data:", "onerror", "onclick", "<script"):
        assert bad not in clean.lower(), clean
    assert 'href="https://example.org/?a=1&amp;b=2#f"' in clean
    assert 'href="#source-1"' in clean


# 3: personal data, normalised first.
@pytest.mark.parametrize(
    ("text", "label", "shown"),
    [
        ("sam&#64;example.com", "an e-mail address", "sam@example.com"),
        ("sam\u200b@exa\u00admple.com", "an e-mail address", "sam@example.com"),
        ("sam＠example.com", "an e-mail address", "sam@example.com"),
        ("sam at example dot org", "an e-mail address", "sam at example dot org"),
        ("(020) 7946 0958", "a phone number", "(020) 7946 0958"),
        ("0044 7700 900123", "a phone number", "0044 7700 900123"),
        ("07700.900.123", "a phone number", "07700.900.123"),
        ("sw1a 1aa", "a postcode", "sw1a 1aa"),
        ("SW1A\u00a01AA", "a postcode", "SW1A 1AA"),
        ("SW1A-1AA", "a postcode", "SW1A-1AA"),
        ("QQ 12 34 56 C", "a National Insurance number", "QQ 12 34 56 C"),
    ],
)
def test_personal_data_forms(text, label, shown):
    assert [m for _, _, m in check_personal_data(text, "body")] == [
        f"contains {label} ({shown!r}); remove it, because we do not publish personal contact "
        "details (an organisation's public address can be added to data/allowed-contacts.yml)"
    ]


def test_personal_data_in_sources(tmp_path, rules):
    text = VALID.replace('publisher: "Exampleshire', 'publisher: "sam＠example.com Exampleshire')
    assert problems(tmp_path, rules, text) == [
        "23: sources[1].publisher: contains an e-mail address ('sam@example.com'); remove it, because we do not publish personal contact details (an organisation's public address can be added to data/allowed-contacts.yml)"
    ]


# 4: nothing silently dropped.
def test_comment_cutting_a_plain_value(tmp_path, rules):
    text = VALID.replace(
        'title: "Peer-led support planning in Exampleshire"',
        "title: Working with the council #3 on our biggest contract",
    )
    assert problems(tmp_path, rules, text) == [
        "2: front matter: the text after ' #' is read as a comment and left out, so the value is only 'Working with the council'; put the whole value in double quotes"
    ]


def test_every_entry_is_a_case_study_or_a_problem(tmp_path, rules):
    folder = tmp_path / "case_studies"
    folder.mkdir()
    (folder / "_template.md").write_text("template")
    (folder / "sub").mkdir()
    (folder / "folder.md").mkdir()
    (folder / ".hidden").write_text("x")
    (folder / "_other.md").write_text("x")
    (folder / "dangling.md").symlink_to("nowhere")
    (folder / "loop.md").symlink_to("loop.md")
    (folder / "outside.md").symlink_to("/etc/hostname")
    from kb.content.casestudy import case_study_files, load_case_studies

    collection = load_case_studies(case_study_files(folder), rules, today=TODAY)
    found = sorted((Path(p.path).name, p.message) for p in collection.problems)
    link = "is a symbolic link; case studies must be ordinary files in case_studies/, so replace the link with the file itself"
    folder_message = "is a folder; case studies must be files directly in case_studies/, so move the files out of it and remove the folder"
    assert found == [
        (".hidden", "is a hidden file (its name starts with '.'); remove it or rename it"),
        (
            "_other.md",
            "starts with '_', which only _template.md may; rename it as a case study or remove it",
        ),
        ("dangling.md", link),
        ("folder.md", folder_message),
        ("loop.md", link),
        ("outside.md", link),
        ("sub", folder_message),
    ]


def test_repeated_problems_are_capped():
    many = [Problem("a.md", line, "body", "same") for line in range(1, 13)]
    shown = capped(many)
    assert len(shown) == 6
    assert (
        str(shown[-1])
        == "a.md:6: and more: 7 more of the problem above (body) from line 6 on, not shown; fix them the same way"
    )


# 5: no traceback.
def test_deep_nesting(tmp_path, rules):
    text = VALID.replace("region: south-west", "region: " + "[" * 25 + "]" * 25)
    assert problems(tmp_path, rules, text) == [
        "10: front matter: nests lists or fields more than 20 deep; a case study needs no more than three levels, so flatten it"
    ]


def test_bad_bytes_on_stdin():
    result = subprocess.run(
        [sys.executable, "-m", "kb", "from-issue", "-", "--dry-run"],
        input=b"### Title\n\n\xff\xfe\n",
        capture_output=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert (
        result.stdout.decode()
        == "issue:3: file: is not UTF-8 text (byte 0xff on this line cannot be read); save the file as UTF-8\n"
    )


# 6: output that cannot steer CI; headings in lists or quotes; characters.
def test_printed_values_cannot_start_a_workflow_command(capsys):
    print_problems([Problem("a.md", 1, "title", "got 'x\n::warning::owned\u202e'")])
    out = capsys.readouterr().out
    assert out == "a.md:1: title: got 'x\\n::warning::owned\\u202e'\n"
    assert not any(line.startswith("::") for line in out.splitlines())


def test_headings_in_lists_and_quotes(tmp_path, rules):
    assert problems(tmp_path, rules, with_body("- # A second title\n\n> ## A fake section")) == [
        f"{LAST}: body: the heading 'A second title' is inside a list or quote; headings must start a line of their own, so remove the '#' marks or the '-' or '>' before it",
        f"{LAST + 2}: body: the heading 'A fake section' is inside a list or quote; headings must start a line of their own, so remove the '#' marks or the '-' or '>' before it",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'title: "Peer-led',
            'title: "\u202ePeer-led',
            "2: title: contains a hidden character that changes the direction of the text (U+202E); delete it and type the text again",
        ),
        (
            'title: "Peer-led',
            'title: "\\x01Peer-led',
            "2: title: contains a control character (U+0001); delete it (it often comes from copying from another program)",
        ),
        (
            'title: "Peer-led',
            'title: "Two\\nlines, peer-led',
            "2: title: must be one line, but has a line break; join the lines into one",
        ),
        (
            'name: "Exampleshire County Council"',
            'name: "Exampleshire County \u0421ouncil"',
            "8: commissioner.name: the word 'Сouncil' mixes Latin letters with Cyrillic letters that look the same; type the word again in one alphabet",
        ),
    ],
)
def test_characters(tmp_path, rules, old, new, expected):
    assert problems(tmp_path, rules, VALID.replace(old, new, 1)) == [expected]


def test_a_postcode_shape_inside_a_web_address_is_not_a_postcode():
    from kb.content.text_rules import check_personal_data

    url = "https://www.publicfinance.co.uk/news/2024/06/charities-subsidise-contracts-ps24bn"
    assert list(check_personal_data(url, "url")) == []
    # Outside an address it is still refused, and an e-mail address inside one still is.
    assert [m for _, _, m in check_personal_data("Write to PS2 4BN", "title")]
    assert [m for _, _, m in check_personal_data("https://x.org/?to=sam@example.com", "url")]

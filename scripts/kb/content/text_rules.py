"""Rules for the text contributors write: Markdown bodies and the strings in front matter.

Each rule is a small generator that yields (line, field, message) and says its rule in its
docstring; `check_body` and `check_personal_data` run them. Lines are 1-based within the text
given; the caller adds the offset of the body in its file.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from kb.content import markdown_tree

#: (line, field, message)
TextProblem = tuple[int, str, str]

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*)>")
_HTML_TAG = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9-]*|!--|![a-zA-Z]|\?)")

# Personal contact details. The patterns aim at what appears in real text, not every legal form;
# they run on text normalised first (see `normalise_text`), so look-alike and hidden characters
# and HTML entities cannot slip an address past them.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_SPELLED_EMAIL = re.compile(
    r"\b[A-Za-z0-9._%+-]+\s*[\[(]?\s*\bat\b\s*[\])]?\s*[A-Za-z0-9-]+"
    r"(?:\s*[\[(]?\s*\bdot\b\s*[\])]?\s*[A-Za-z0-9-]+)+\b",
    re.IGNORECASE,
)
_UK_PHONE = re.compile(
    r"(?<![\w/.-])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s.)-]{0,2}\d){8,10}(?![\w/])"
)
_DIGIT = re.compile(r"\d")
_UK_POSTCODE = re.compile(
    r"\b(?:GIR[ -]?0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|"
    r"[A-HK-Y][0-9][ABEHMNPRVWXY])[ -]?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
_NI_NUMBER = re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE)
#: Invisible characters that can sit inside an address: zero-width ones, word joiner, BOM,
#: soft hyphen.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")


def normalise_text(text: str) -> str:
    """Text as a reader sees it: HTML entities decoded, NFKC (full-width ＠ is @, a no-break
    space a space), invisible characters and soft hyphens removed. Keeps one line one line."""
    decoded = html.unescape(text).replace("\n", " ")
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", decoded))


class Line(NamedTuple):
    """A line of Markdown with code removed: fenced blocks blanked, code spans emptied.

    A named tuple, not a dataclass: every line of every body makes one, and a tuple is made
    in a third of the time.
    """

    number: int
    raw: str
    prose: str
    in_fence: bool


def markdown_lines(text: str) -> list[Line]:
    """Split Markdown into lines, marking fenced code and blanking code spans in prose."""
    lines: list[Line] = []
    fence: str | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        if fence is not None:  # in a fenced block, up to the line that closes it
            if raw.strip().startswith(fence) and set(raw.strip()) <= {fence[0]}:
                fence = None
        elif match := _FENCE.match(raw):
            fence = match.group(1)
        elif not raw.startswith(("    ", "\t")) or (lines and lines[-1].prose.strip()):
            prose = _CODE_SPAN.sub("``", raw) if "`" in raw else raw  # most lines have none
            lines.append(Line(number, raw, prose, False))
            continue
        lines.append(Line(number, raw, "", True))  # a fence, or an indented code block
    return lines


_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


def headings(lines: Iterable[Line]) -> Iterator[tuple[int, int, str]]:
    """Yield (line, level, text) for every heading outside code.

    Both styles count: '## Heading', and a line of text underlined with '===' (level 1) or
    '---' (level 2), which Markdown also turns into a heading.
    """
    previous: Line | None = None
    for line in lines:
        if match := _HEADING.match(line.prose):
            yield line.number, len(match.group(1)), match.group(2).strip()
        elif (
            previous is not None  # code has no prose, so it is never a heading's text
            and previous.prose.strip()
            and not _HEADING.match(previous.prose)
            and (underline := _SETEXT_UNDERLINE.match(line.prose))
        ):
            level = 1 if underline.group(1).startswith("=") else 2
            yield previous.number, level, previous.prose.strip()
        previous = line


def check_sections(lines: list[Line], sections: list[dict[str, str]]) -> Iterator[TextProblem]:
    """The body has each required level-2 section, in order, each with some text under it.

    A level-1 heading is not allowed (the title comes from the front matter), nor another
    level-2 heading (use ### for a part of a section).
    """
    wanted = [section["heading"] for section in sections]
    listed = ", ".join(f"'## {heading}'" for heading in wanted)
    folded = {heading.lower(): heading for heading in wanted}
    every_heading = list(headings(lines))
    found: list[tuple[int, str]] = []
    for number, level, text in every_heading:
        if level == 1:
            title = "because the page title comes from 'title' in the front matter"
            yield number, "body", f"'# {text}' is a level-1 heading; remove it, {title}"
        elif level == 2 and text in wanted:
            found.append((number, text))
        elif level == 2:
            if text.lower() in folded:
                hint = f"write it exactly as '## {folded[text.lower()]}'"
            else:
                hint = f"use '###' for a part of a section, or one of the five headings: {listed}"
            yield number, "body", f"'## {text}' is not one of the sections; {hint}"
    found_names = [text for _, text in found]
    last_line = lines[-1].number if lines else 1
    for heading in wanted:
        if heading not in found_names:
            advice = "add it, with at least a sentence under it"
            yield last_line, "body", f"the section '## {heading}' is missing; {advice}"
    for index, (number, text) in enumerate(found):
        if text in found_names[:index]:
            yield number, "body", f"the section '## {text}' appears twice; merge them"
    in_order = sorted(found_names, key=wanted.index)
    if found_names != in_order and len(set(found_names)) == len(found_names):
        yield (
            found[0][0],
            "body",
            f"the sections are out of order; put them in this order: {listed}",
        )
    # Empty sections: no prose between this heading and the next heading.
    heading_lines = [number for number, _, _ in every_heading]
    for number, text in found:
        end = next((n for n in heading_lines if n > number), last_line + 1)
        if not any(number < line.number < end and line.raw.strip() for line in lines):
            yield number, "body", f"the section '## {text}' is empty; write at least a sentence"


def check_links(lines: Iterable[Line]) -> Iterator[TextProblem]:
    """Links start with https:// or stay within this site; images are this site's own files.

    Checked on the rendered tree (kb.content.markdown_tree), not the raw lines: see there.
    """
    yield from check_rendered("\n".join(line.raw for line in lines), headings_too=False)


def check_rendered(
    text: str,
    level_two: Iterable[tuple[int, int, str]] = (),
    *,
    headings_too: bool = True,
    rendered: Iterable[markdown_tree.Element] | None = None,
) -> Iterator[TextProblem]:
    """The link, image and heading rules, on the tree Python-Markdown builds from `text`.

    `level_two` is what the line rules found as headings (line, level, text): a level-1 or
    level-2 heading in the tree that they did not see is reported too. `rendered` is what a
    renderer of the site's already collected from `text` (markdown_tree.collect_elements);
    without it, `text` is rendered here.
    """
    raw_lines = text.split("\n")
    seen_headings = {(level, heading) for _, level, heading in level_two}
    cursor = 1
    for element in markdown_tree.elements(text) if rendered is None else rendered:
        if element.tag == "a" or element.tag == "img":
            cleaned = markdown_tree.clean_address(element.address)
            needles = [f"[{element.text}]", element.address[:20], cleaned[:20]]
            if message := address_problem(element.tag, cleaned):
                cursor = markdown_tree.place(raw_lines, cursor, needles)
                yield cursor, "body", message
        elif headings_too and (not element.top_level or int(element.tag[1]) <= 2):
            level = int(element.tag[1])
            shown = printable(element.text, 60)
            cursor = markdown_tree.place(raw_lines, cursor, [element.text])
            if not element.top_level:
                message = (
                    f"the heading '{shown}' is inside a list or quote; headings must start "
                    "a line of their own, so remove the '#' marks or the '-' or '>' before it"
                )
                yield cursor, "body", message
            elif (level, element.text) not in seen_headings:
                message = (
                    f"'{'#' * level} {shown}' is read as a heading where it is not "
                    "expected (check for a code fence ``` that is not closed); close the "
                    "fence, or use one of the sections"
                )
                yield cursor, "body", message


def address_problem(tag: str, url: str) -> str | None:
    """What is wrong with a link's (tag 'a') or image's ('img') address, or None.

    Links are https: or site-relative; images are files on this site: never from another
    address, never data: or script.
    """
    cleaned = markdown_tree.clean_address(url)
    scheme = markdown_tree.scheme_of(cleaned)
    if tag == "img" and scheme is not None:
        return (
            f"images must be files on this site; '{printable(cleaned, 60)}' is not, so link to "
            "it instead: [what it shows](https://…)"
        )
    if scheme is None or scheme == "https":
        return None
    scheme_name = "a protocol-relative address" if scheme == "//" else f"'{scheme}:'"
    return (
        f"links must start with https:// or point within this site; '{printable(cleaned, 60)}' "
        f"uses {scheme_name}" + (". Use https://" if scheme == "http" else "")
    )


def printable(value: str, limit: int | None = None) -> str:
    """`value` shortened to `limit` characters, with line breaks and control, format and
    direction characters written as escapes (\\n, \\u202e), so it prints on one safe line."""
    if limit is not None and len(value) > limit:
        value = value[: limit - 3] + "..."
    return "".join(
        _ESCAPES.get(ch) or (f"\\u{ord(ch):04x}" if unicodedata.category(ch) in _HIDDEN else ch)
        for ch in value
    )


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_HIDDEN = ("Cc", "Cf", "Zl", "Zp")


def check_raw_html(lines: Iterable[Line]) -> Iterator[TextProblem]:
    """The body has no raw HTML: no tags, comments or processing instructions outside code."""
    for line in lines:
        if line.in_fence:
            continue
        prose = _AUTOLINK.sub("", line.prose)
        if match := _HTML_TAG.search(prose):
            tag = prose[match.start() : prose.find(">", match.start()) + 1 or None][:40]
            message = f"raw HTML is not allowed ({tag!r}); use Markdown instead, such as "
            yield line.number, "body", message + "**bold**, [link text](https://…) or a list"


#: Guidance that `kb new` and the template write for the contributor to replace starts with this.
PLACEHOLDER = "Replace this:"


def check_placeholders(text: str, field: str) -> Iterator[TextProblem]:
    """No guidance from the template or `kb new` is left in: no text saying 'Replace this:'."""
    if PLACEHOLDER.lower() not in text.lower():
        return  # most text: one search, not one a line
    for number, line in enumerate(text.split("\n"), start=1):
        if (start := line.lower().find(PLACEHOLDER.lower())) >= 0:
            shown = line[start : start + 50].rstrip() + ("…" if len(line) > start + 50 else "")
            message = (
                f"still has guidance to replace ({shown!r}); write your own words in its place"
            )
            yield number, field, message


def check_body(
    text: str,
    sections: list[dict[str, str]],
    allowed_contacts: Iterable[str] = (),
    *,
    render: bool = True,
) -> Iterator[TextProblem]:
    """Every body rule: sections, links, raw HTML, guidance left in, personal contact details.

    With `render` false, the rules on the rendered tree are left to the caller, which renders
    the body anyway (check_rendered with `rendered`).
    """
    lines = markdown_lines(text)
    yield from check_sections(lines, sections)
    if render:
        yield from check_rendered(text, headings(lines))
    yield from check_raw_html(lines)
    yield from check_placeholders(text, "body")
    yield from check_personal_data(text, "body", allowed=allowed_contacts)


def check_personal_data(
    text: str, field: str, allowed: Iterable[str] = ()
) -> Iterator[TextProblem]:
    """No e-mail address, UK phone number or postcode, unless it is an allowed organisational one.

    We publish organisations, never private individuals' contact details; `allowed` lists the
    organisational addresses (data/allowed-contacts.yml) that may appear.
    """
    allow = {_normalise(normalise_text(item)) for item in allowed}
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = normalise_text(raw_line)
        # Cheap tests first: an address needs an '@' or ' at ', a phone number, postcode or
        # National Insurance number a digit. Most lines have none of them.
        has_digit = _DIGIT.search(line) is not None
        lowered = line.lower()
        for label, pattern, possible in (
            ("an e-mail address", _EMAIL, "@" in line),
            ("an e-mail address", _SPELLED_EMAIL, "at" in lowered and "dot" in lowered),
            ("a phone number", _UK_PHONE, has_digit),
            ("a postcode", _UK_POSTCODE, has_digit),
            ("a National Insurance number", _NI_NUMBER, has_digit),
        ):
            if not possible:
                continue
            # A web address's words are not a postcode ('ps24bn' is '£2.4bn' in a newspaper's
            # address); addresses, phone numbers and NI numbers in one are still refused.
            in_address = (
                [m.span() for m in _WEB_ADDRESS.finditer(line)] if label == "a postcode" else []
            )
            for match in pattern.finditer(line):
                found = match.group(0).strip()
                if _normalise(found) in allow or any(
                    start <= match.start() < end for start, end in in_address
                ):
                    continue
                yield number, field, f"contains {label} ({printable(found)!r}); {_NOT_PUBLISHED}"


_NOT_PUBLISHED = (
    "remove it, because we do not publish personal contact details (an organisation's public "
    "address can be added to data/allowed-contacts.yml)"
)


_WEB_ADDRESS = re.compile(r"https?://\S+", re.IGNORECASE)


def _normalise(value: str) -> str:
    return re.sub(r"[\s().-]", "", value).lower()


#: Characters that reorder or hide text (bidi overrides and isolates), never needed in a case
#: study: they make a title read differently from what is stored.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WORD = re.compile(r"\w+")
#: Latin letters (with accents, as in Welsh), and the Greek and Cyrillic letters that can pass
#: for them. Checked by Unicode block: a letter's name would cost a look-up per character.
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_LOOK_ALIKE = re.compile("[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f]")


def check_characters(text: str, field: str, *, one_line: bool) -> Iterator[TextProblem]:
    """No direction overrides or control characters; no line break in a one-line field; no
    word mixing Latin with Cyrillic or Greek look-alikes (a Cyrillic 'С' in 'Council')."""
    for number, line in enumerate(text.split("\n"), start=1):
        if bidi := _BIDI.search(line):
            direction = "a hidden character that changes the direction of the text"
            message = f"contains {direction} (U+{ord(bidi[0]):04X})"
            yield number, field, f"{message}; delete it and type the text again"
        if control := _CONTROL.search(line):
            message = f"contains a control character (U+{ord(control[0]):04X}); delete it"
            yield number, field, f"{message} (it often comes from copying from another program)"
        if not _LOOK_ALIKE.search(line):
            continue  # most lines: no Cyrillic or Greek letter, nothing to compare
        for word in _WORD.findall(line):
            if (other := _LOOK_ALIKE.search(word)) and _LATIN.search(word):
                alphabet = "Cyrillic" if "\u0400" <= other.group(0) <= "\u052f" else "Greek"
                message = f"the word {printable(word)!r} mixes Latin letters with {alphabet} "
                yield (
                    number,
                    field,
                    message + "letters that look the same; type the word again in one alphabet",
                )
    if one_line and "\n" in text.strip("\n"):
        yield 1, field, "must be one line, but has a line break; join the lines into one"

"""Case studies: one Markdown file each, with YAML front matter, read strictly and checked.

`check_file` is the whole validator for one file: it never raises, whatever the bytes, and
returns every problem it finds with its line. `load_case_studies` runs it over many files.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import frontmatter
from frontmatter.default_handlers import YAMLHandler

from kb.content import strict_yaml
from kb.content.markdown_tree import Element
from kb.content.problems import Problem
from kb.content.project import display_path
from kb.content.schema import Schema
from kb.content.text_rules import (
    TextProblem,
    check_body,
    check_characters,
    check_personal_data,
    check_placeholders,
    check_rendered,
    headings,
    markdown_lines,
)

#: Larger files are refused before parsing: a case study is a few pages of text.
MAX_FILE_BYTES = 100_000

#: Front-matter fields that may hold more than one line; every other text value is one line.
_MULTI_LINE_FIELDS = frozenset({"summary", "description"})
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _text_field(name: str) -> property:
    """A front-matter value as text, read as an attribute (`case.title`)."""
    return property(lambda case: str(case.meta[name]))


@dataclass(frozen=True)
class CaseStudy:
    """A case study that passed every check. `meta` is its front matter, all values strings."""

    slug: str
    path: Path
    meta: dict[str, Any]
    body: str
    #: The line of the file where the body starts, to report problems found in rendering.
    body_line: int = 1

    title = _text_field("title")
    summary = _text_field("summary")
    status = _text_field("status")
    region = _text_field("region")
    published = _text_field("published")
    reviewed = _text_field("reviewed")

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def categories(self) -> list[str]:
        return list(self.meta["categories"])

    @property
    def commissioners(self) -> list[dict[str, str]]:
        """The main commissioner first, then any joint commissioners."""
        return [self.meta["commissioner"], *self.meta.get("other_commissioners", [])]

    @property
    def commissioner_types(self) -> list[str]:
        """Each commissioner type once, in order of appearance."""
        return list(dict.fromkeys(c["type"] for c in self.commissioners))

    @property
    def service_areas(self) -> list[str]:
        return list(self.meta.get("service_areas", []))

    @property
    def sourcing(self) -> str | None:
        return self.meta.get("sourcing")

    def terms(self, facet: str) -> list[str]:
        """The ids this case study has in a taxonomy list, each once, in the order written."""
        if facet in ("categories", "commissioner_types", "service_areas"):
            return getattr(self, facet)
        if facet == "regions":
            return [self.region]
        # The other lists are one-value fields, named as the list is (sourcing) or in the
        # singular (outcomes -> outcome).
        value = self.meta.get(facet, self.meta.get(facet.removesuffix("s")))
        return [value] if isinstance(value, str) else []


@dataclass(frozen=True)
class FileResult:
    """What checking one file found: the case study when it is clean, and every problem."""

    path: Path
    case_study: CaseStudy | None
    problems: list[Problem]


@dataclass
class Collection:
    """Every case study read from a set of files, and every problem in any of them."""

    case_studies: list[CaseStudy] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0

    @property
    def published(self) -> list[CaseStudy]:
        return [case for case in self.case_studies if case.is_published]

    @property
    def drafts(self) -> list[CaseStudy]:
        return [case for case in self.case_studies if not case.is_published]


class StrictYAMLHandler(YAMLHandler):
    """python-frontmatter's handler for case studies: our strict YAML in, quoted YAML out.

    The boundary is exactly `---` (trailing spaces allowed) on a line of its own, and the
    split keeps every newline, so the lines of the front matter and the body can be counted.
    """

    FM_BOUNDARY = re.compile(r"^---[ \t]*$", re.MULTILINE)

    def load(self, fm: str) -> dict[str, Any]:
        loaded = strict_yaml.load(fm)
        return loaded.value if isinstance(loaded.value, dict) else {}

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        return strict_yaml.dump_quoted(metadata).rstrip("\n")


HANDLER = StrictYAMLHandler()


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `---` front matter from the body: (front matter, body, line the body starts on).

    The front matter comes back with its first line being the rest of the opening `---` line,
    so its line N is line N of the file. None when the text does not open with a `---` line
    or the closing `---` is missing.
    """
    if not HANDLER.detect(text):
        return None
    try:
        front, body = HANDLER.split(text)
    except ValueError:
        return None
    return front, body.removeprefix("\n"), front.count("\n") + 2  # the line after the closing ---


def missing_close_line(text: str) -> int:
    """Where the closing `---` most likely belongs: the first line after the opening one that
    is not YAML (not blank, a comment, `name: value`, a list item or an indented line).
    A line starting `##` is a Markdown heading (the body's sections), not a YAML comment."""
    lines = text.split("\n")
    yaml_line = re.compile(r"^(\s*$|\s*#(?!#)|\s+\S|- |-$|[A-Za-z_][\w .-]*:(\s|$))")
    not_yaml = (number for number, line in enumerate(lines[1:], 2) if not yaml_line.match(line))
    return next(not_yaml, len(lines))


def case_study_text(meta: dict[str, Any], body: str) -> str:
    """A whole case-study file: the front matter (every text value quoted), then the body."""
    post = frontmatter.Post(body.strip("\n"), handler=HANDLER, **meta)
    return frontmatter.dumps(post, handler=HANDLER) + "\n"


def decode(data: bytes) -> tuple[str | None, int, str]:
    """Decode contributed bytes as UTF-8: (text, line, problem). Windows line endings are fine."""
    if data.startswith(b"\xef\xbb\xbf"):
        message = "starts with a byte-order mark (BOM); save the file as 'UTF-8' without BOM "
        return None, 1, message + "(in most editors: Save As, Encoding: UTF-8)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, 1, "is saved as UTF-16; save it as UTF-8 instead"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = f"byte 0x{data[error.start]:02x} on this line cannot be read"
        return None, line, f"is not UTF-8 text ({byte}); save the file as UTF-8"
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, line, "contains a NUL character, so it is not a text file"
    return text.replace("\r\n", "\n").replace("\r", "\n"), 1, ""


def allowed_contacts(path: Path) -> tuple[str, ...]:
    """Organisational e-mail addresses, phone numbers and postcodes that may be published."""
    if not path.exists():
        return ()
    loaded = strict_yaml.load(path.read_text(encoding="utf-8"))
    values = (loaded.value or {}).get("allowed") or []
    return tuple(str(value) for value in values)


@dataclass(frozen=True)
class Rules:
    """What checking a case study needs besides the file: read once per check, never cached."""

    schema: Schema
    #: Organisational contact details that may be published (data/allowed-contacts.yml).
    allowed: tuple[str, ...] = ()
    #: False when the caller renders every body itself and runs the rules on that tree
    #: (rendered_body_problems): the site's build, so that each body is rendered once.
    render_bodies: bool = True


def check_file(
    path: Path,
    rules: Rules,
    *,
    shown: str | None = None,
    today: dt.date | None = None,
) -> FileResult:
    """Check one case-study file against every rule; never raises.

    `shown` is the path printed in problems (default: relative to the working directory).
    `today` fixes the date that `published` and `reviewed` must not be after.
    """
    found = list(_check(path, today or dt.date.today(), rules))
    if len(found) == 1 and isinstance(found[0], CaseStudy):
        return FileResult(path, found[0], [])
    # Only now: resolving the path costs more than some checks, and most files are clean.
    shown = shown or display_path(path)
    problems = [Problem(shown, *item) for item in found if not isinstance(item, CaseStudy)]
    return FileResult(path, None, problems)


def _check(path: Path, today: dt.date, rules: Rules) -> Iterator[TextProblem | CaseStudy]:
    """Yield every problem in the file, then the case study as it was read (if it could be)."""
    slug = path.stem
    if entry_problem := _entry_problem(path):
        yield 1, "file", entry_problem
        return
    if path.suffix != ".md":
        yield 1, "file", "case studies must be Markdown files ending .md"
        return
    if not _SLUG.match(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "my-case-study"
        like = f"like '{suggestion}.md'; got '{path.name}'"
        yield 1, "file", f"the file name must be lower-case words joined by hyphens, {like}"
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = f"a case study must be under {MAX_FILE_BYTES:,} bytes"
            advice = "so shorten it or move long material to a linked source"
            yield 1, "file", f"is {size:,} bytes; {limit}, {advice}"
            return
        data = path.read_bytes()
    except OSError as error:
        yield 1, "file", f"cannot be read: {error.strerror or error}"
        return

    text, line, message = decode(data)
    if text is None:
        yield line, "file", message
        return
    split = split_front_matter(text)
    if split is None and HANDLER.detect(text):
        message = (
            "the fields at the top must end with a line '---'; add a line '---' "
            "here, before this line, where the fields end and the text begins"
        )
        yield missing_close_line(text), "front matter", message
        return
    if split is None:
        message = (
            "the file must start with a line '---', then the fields, then another '---' line; "
            "copy the layout of case_studies/_template.md"
        )
        yield 1, "front matter", message
        return
    front, body, body_line = split
    try:
        loaded = strict_yaml.load(front)  # its line 1 is the opening '---' line
    except strict_yaml.StrictYAMLError as error:
        yield error.line, "front matter", error.message
        return
    for yaml_line, yaml_message in loaded.problems:
        yield yaml_line, "front matter", yaml_message
    meta = loaded.value
    if not isinstance(meta, dict):
        message = "must be a set of fields, one 'name: value' per line, between the '---' lines"
        yield 2, "front matter", message
        return

    loaded.first_line = 2  # a missing field is reported on the line after the opening "---"
    line_of = loaded.line_of
    for field_path, schema_message in rules.schema.problems(meta):
        yield line_of(field_path), _field_name(field_path), schema_message
    yield from _check_dates(meta, line_of, today)
    texts = [
        (sub_path, line_of(sub_path), _field_name(sub_path), value)
        for sub_path, value in strings(meta)
    ]
    for sub_path, line, name, value in texts:  # every text value, sources included
        for _, _, pd_message in check_personal_data(value, str(sub_path[0]), rules.allowed):
            yield line, name, pd_message
    for sub_path, line, name, value in texts:  # hidden, control and look-alike characters
        multi_line = sub_path[-1] in _MULTI_LINE_FIELDS
        for text_line, _, char_message in check_characters(value, "", one_line=not multi_line):
            yield line + (text_line - 1 if multi_line else 0), name, char_message
    for sub_path, line, name, value in texts:  # guidance from the template, in any field
        for _, _, guidance_message in check_placeholders(value, str(sub_path[0])):
            yield line, name, guidance_message
    for text_line, field_name, body_message in chain(
        check_characters(body, "body", one_line=False),
        check_body(body, rules.schema.body_sections, rules.allowed, render=rules.render_bodies),
    ):
        yield body_line + text_line - 1, field_name, body_message

    yield CaseStudy(slug, path, meta, body, body_line)


def rendered_body_problems(
    case: CaseStudy, rendered: Iterable[Element] | None = None
) -> list[Problem]:
    """The link, image and heading rules of a body, on `rendered`: what the site's renderer
    collected from it (kb.content.markdown_tree.collect_elements), or, without it, the body
    rendered here. Reported at the file's lines, as check_file reports them."""
    shown = display_path(case.path)
    found = check_rendered(case.body, headings(markdown_lines(case.body)), rendered=rendered)
    return [
        Problem(shown, case.body_line + line - 1, field_name, message)
        for line, field_name, message in found
    ]


def _field_name(field_path: Sequence[str | int]) -> str:
    """('sources', 0, 'url') -> 'sources[1].url': list positions counted from 1, as people do."""
    name = "".join(f"[{part + 1}]" if isinstance(part, int) else f".{part}" for part in field_path)
    return name.removeprefix(".") or "front matter"


def strings(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple, str]]:
    """Every string in `value` (dicts and lists, at any depth), with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, (dict, list)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from strings(item, (*path, key))


def _check_dates(meta: dict, line_of: Any, today: dt.date) -> Iterator[TextProblem]:
    """Dates are real calendar dates, not in the future, and reviewed is not before published."""
    parsed: dict[str, dt.date] = {}
    for name in ("published", "reviewed"):
        value = meta.get(name)
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            continue  # the schema reports the format
        try:
            parsed[name] = dt.date.fromisoformat(value)
        except ValueError:
            yield line_of((name,)), name, f"is not a real date; got {value!r}"
            continue
        if parsed[name] > today:
            message = f"is in the future ({value}); use today's date or an earlier one"
            yield line_of((name,)), name, message
    if "published" in parsed and "reviewed" in parsed and parsed["reviewed"] < parsed["published"]:
        message = f"must not be before published ({meta['published']}); got {meta['reviewed']!r}"
        yield line_of(("reviewed",)), "reviewed", message
    if isinstance(period := meta.get("period"), dict):
        start, end = period.get("start"), period.get("end")
        comparable = all(
            isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2})?", value)
            for value in (start, end)
        )
        if comparable and end < start:
            message = f"must not be before period.start ({start}); got {end!r}"
            yield line_of(("period", "end")), "period.end", message


#: The one file in case_studies/ that is not a case study.
TEMPLATE_NAME = "_template.md"


def case_study_files(directory: Path) -> list[Path]:
    """Everything in `directory` but the template: each entry is a case study or a problem
    (check_file reports folders, hidden files, other '_' files and symbolic links), so
    nothing is silently left out."""
    if not directory.is_dir():
        return []
    # Names, not paths, are sorted: comparing Path objects costs ten times as much.
    with os.scandir(directory) as entries:
        names = sorted(entry.name for entry in entries if entry.name != TEMPLATE_NAME)
    return [directory / name for name in names]


def _entry_problem(path: Path) -> str | None:
    """Why a folder entry cannot be a case study, or None when it is an ordinary file."""
    if path.is_symlink():
        return (
            "is a symbolic link; case studies must be ordinary files in case_studies/, "
            "so replace the link with the file itself"
        )
    if path.is_dir():
        return (
            "is a folder; case studies must be files directly in case_studies/, so move the "
            "files out of it and remove the folder"
        )
    if path.name.startswith("."):
        return "is a hidden file (its name starts with '.'); remove it or rename it"
    if path.name.startswith("_"):
        return (
            f"starts with '_', which only {TEMPLATE_NAME} may; rename it as a case study or "
            "remove it"
        )
    return None


def load_case_studies(
    files: Iterable[Path], rules: Rules, *, today: dt.date | None = None
) -> Collection:
    """Check every file and collect the clean case studies and all problems, in file order."""
    files = list(files)
    today = today or dt.date.today()
    collection = Collection(files_checked=len(files))
    slugs: dict[str, Path] = {}
    for path in files:
        result = check_file(path, rules, today=today)
        collection.problems.extend(result.problems)
        case = result.case_study
        if case is not None and case.slug in slugs:
            message = f"has the same name as {display_path(slugs[case.slug])}; rename one of them"
            collection.problems.append(Problem(display_path(case.path), 1, "file", message))
        elif case is not None:
            slugs[case.slug] = case.path
            collection.case_studies.append(case)
    return collection

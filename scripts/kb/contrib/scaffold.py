"""New case studies from the schema: the fields to ask for, the template, and `kb new`'s file.

Everything here is read from schema/case-study.schema.json and data/taxonomy.yml: the fields and
their order, help text (`description`), which are required, allowed values and the five body
sections. The only words kept here are how fields are put to people: short labels where a field's
name will not do (`LABELS`), plain words for the fixed choices, and plain help where the schema's
help speaks of the file. Tests fail if any of them stops matching the schema.

Guidance the contributor must replace starts with `kb.content.text_rules.PLACEHOLDER`
("Replace this:"), which `kb validate` reports wherever it is left, so unfinished text can
never be published.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tempfile
import textwrap
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.content import strict_yaml
from kb.content.casestudy import Rules, check_file, strings
from kb.content.dates import MONTHS
from kb.content.problems import Problem
from kb.content.taxonomy import Taxonomy, Term
from kb.content.text_rules import PLACEHOLDER, check_personal_data, check_placeholders

#: The label people see for a field, by dotted path, where its own name will not do: any other
#: field is labelled by the last part of its name ('sources.publisher' -> 'Publisher').
LABELS: dict[str, str] = {
    "dpulo": "The DPULO",
    "dpulo.name": "DPULO name",
    "dpulo.website": "DPULO website",
    "dpulo.description": "About the DPULO",
    "commissioner": "The commissioner",
    "commissioner.name": "Commissioner name",
    "commissioner.type": "Kind of commissioner",
    "other_commissioners.type": "Kind of commissioner",
    "service_areas": "Services involved",
    "sourcing": "How the work was paid for",
    "period.start": "When the work started",
    "period.end": "When the work ended",
    "period.confirmed": "When a source last showed it going on",
    "caveats": "Read this first",
    "published": "Date first published",
    "reviewed": "Date last checked",
    "consent_record.by": "Who agreed",
    "consent_record.date": "When they agreed",
    "consent_record.how": "How they agreed",
    "sources.url": "Web address",
}

#: Plain words for the choices of `consent`, which is a fixed list in the schema, not a taxonomy.
CONSENT_CHOICES: dict[str, str] = {
    "organisations-agreed": "The organisations named agreed to publication",
    "published-sources": "Compiled only from the published sources listed",
}

#: Plain words for the fixed choices the schema lists itself (not from the taxonomy).
FIXED_CHOICE_WORDS: dict[str, dict[str, str]] = {
    "consent": CONSENT_CHOICES,
    "status": {"draft": "not on the site yet", "published": "shown on the site"},
}

#: Help for people answering questions (kb new, the issue form) where the schema's words speak
#: of the file: its ids, or "[]".
PLAIN_HELP: dict[str, str] = {
    "consent": (
        "Did the organisations named agree to publication, or is it compiled only from "
        "published sources? If it is compiled from sources, list every one of them under Sources."
    ),
    "sources": (
        "Published sources for facts taken from elsewhere. Leave it empty if there are none."
    ),
}

#: Comments in the template wrap at this width.
COMMENT_WIDTH = 96

#: Fields that are set for the contributor rather than asked: the dates and the status.
AUTOMATIC = ("published", "reviewed", "status")
#: Fields no contributor is asked for: the automatic ones, and the consent record, which a
#: coordinator writes when the organisations named have agreed.
NOT_ASKED = (*AUTOMATIC, "consent_record")

#: Separates the parts of a source or a joint commissioner written on one line.
SEPARATOR = "|"

#: A part of a source written on one line that is in double quotes is a quote from it.
_QUOTED = re.compile(r'["\u201c](.*)["\u201d]', re.DOTALL)


@dataclass(frozen=True)
class Field:
    """One field of the front matter, as read from the schema.

    `kind` is one of: text, long_text, url, choice (a taxonomy term), choices (a list of terms),
    fixed (a fixed list such as status), partial_date, full_date, date, texts, object, records.
    `node` is the field's schema, its `$ref` (and a list's items) followed.
    """

    path: tuple[str, ...]
    kind: str
    description: str
    required: bool
    facet: str | None = None
    fixed: tuple[str, ...] = ()
    children: tuple[Field, ...] = ()
    node: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        """The dotted path, such as 'dpulo.name'."""
        return ".".join(self.path)

    @property
    def help(self) -> str:
        """The help text for someone answering a question rather than editing the file."""
        return PLAIN_HELP.get(self.name, self.description)

    @property
    def label(self) -> str:
        return LABELS.get(self.name) or self.path[-1].replace("_", " ").capitalize()

    @property
    def limits(self) -> str:
        """The field's limits in plain words, such as 'Between 40 and 400 characters.'."""
        node, parts = self.node, []
        low, high = node.get("minLength"), node.get("maxLength")
        if low and high:
            parts.append(f"Between {low} and {high} characters.")
        elif high:
            parts.append(f"Up to {high} characters.")
        elif low:
            parts.append(f"At least {low} characters.")
        few, many = node.get("minItems"), node.get("maxItems")
        if node.get("type") == "array" and many:
            parts.append(f"Up to {many}." if not few else f"Between {few} and {many}.")
        items = node.get("items", {}) if node.get("type") == "array" else {}
        low, high = items.get("minLength"), items.get("maxLength")
        if items.get("type") == "string" and not items.get("x-taxonomy") and low and high:
            parts.append(f"Each one {low} to {high} characters.")
        return " ".join(parts)

    def choices(self, taxonomy: Taxonomy) -> list[Term]:
        """The field's choices: the taxonomy's terms, or the schema's fixed list in plain words."""
        if self.facet:
            return list(taxonomy.terms(self.facet))
        words = FIXED_CHOICE_WORDS.get(self.name, {})
        return [Term(value, words.get(value, value), "") for value in self.fixed]


def fields(rules: Rules) -> list[Field]:
    """The top-level fields in the schema's order; objects and records carry their children."""
    schema = rules.schema.raw
    return list(_fields(schema, schema, (), required=True))


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Follow a local `$ref`, keeping the referring node's own keywords; return the def's name."""
    ref = node.get("$ref")
    if not ref:
        return node, None
    name = ref.rsplit("/", 1)[-1]
    return {**root["$defs"][name], **{k: v for k, v in node.items() if k != "$ref"}}, name


def _fields(
    root: dict[str, Any], node: dict[str, Any], prefix: tuple[str, ...], required: bool
) -> Iterator[Field]:
    wanted = set(node.get("required", []))
    for key, raw in node.get("properties", {}).items():
        prop, ref = _resolve(root, raw)
        path = (*prefix, key)
        is_required = required and key in wanted
        items: dict[str, Any] = {}
        children: tuple[Field, ...] = ()
        if prop.get("type") == "object":
            kind, children = "object", tuple(_fields(root, prop, path, is_required))
        elif prop.get("type") == "array":
            items = _resolve(root, prop.get("items", {}))[0]
            prop = {**prop, "items": items}
            if items.get("type") == "object":
                kind, children = "records", tuple(_fields(root, items, path, True))
            else:  # a list of terms, or of short texts such as caveats or quotes
                kind = "choices" if "x-taxonomy" in items else "texts"
        elif "x-taxonomy" in prop:
            kind = "choice"
        elif "enum" in prop:
            kind = "fixed"
        elif ref in ("partial_date", "full_date"):
            kind = ref
        elif ref in ("start_date", "end_date"):  # a partial date, or a word such as "unknown"
            kind = "partial_date"
        elif "pattern" in prop and prop.get("format") != "uri":
            kind = "date"
        elif prop.get("format") == "uri":
            kind = "url"
        else:
            kind = "long_text" if prop.get("maxLength", 0) > 200 else "text"
        description = str(prop.get("description", ""))
        facet = prop.get("x-taxonomy", items.get("x-taxonomy"))
        fixed = tuple(prop.get("enum", ()))
        yield Field(path, kind, description, is_required, facet, fixed, children, prop)


def leaves(items: list[Field] | tuple[Field, ...]) -> Iterator[Field]:
    """Every field that holds a value, objects opened up; records stay whole."""
    for item in items:
        if item.kind == "object":
            yield from leaves(item.children)
        else:
            yield item


def all_paths(items: list[Field] | tuple[Field, ...]) -> Iterator[str]:
    """Every dotted path in the schema, objects and records and their children included."""
    for item in items:
        yield item.name
        yield from all_paths(item.children)


# ---------------------------------------------------------------------------------------------
# Answers: turning what a person typed into a value, and checking it with the validator's rules


def term_for(answer: str, terms: tuple[Term, ...]) -> Term | None:
    """The term whose id or name is `answer` (ignoring case, spaces and hyphens), if any."""
    folded = _fold(answer)
    for term in terms:
        if folded in (_fold(term.id), _fold(term.name)):
            return term
    return None


def _fold(text: str) -> str:
    return re.sub(r"[\s_-]+", "", text).casefold()


def did_you_mean(answer: str, names: list[str] | tuple[str, ...]) -> str | None:
    """The choice someone probably meant by a near miss, if any.

    'Southwest' or 'Southwest England' -> 'South West'; 'tender' -> 'Competitive tender':
    a choice whose words make up, or are part of, the answer (ignoring case, spaces and hyphens)
    comes first; then the closest spelling.
    """
    folded = _fold(answer)
    if not folded:
        return None
    inside = [name for name in names if _fold(name) in folded or folded in _fold(name)]
    if inside:
        return max(inside, key=lambda name: len(_fold(name)) if _fold(name) in folded else 0)
    by_fold = {_fold(name): name for name in names}
    close = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.6)
    return by_fold[close[0]] if close else None


def split_names(text: str, names: list[str]) -> list[str] | None:
    """Split 'A, B, C' into names, where a name may itself contain ', '; None if it cannot.

    GitHub writes a multiple-choice answer as the chosen names joined by ', ', and some of our
    names contain a comma ("Employment, education or transport"), so splitting on commas alone
    is not enough: this matches whole names, longest first.
    """
    text = text.strip()
    if not text:
        return []
    by_length = sorted(names, key=len, reverse=True)
    for name in by_length:
        if text.casefold().startswith(name.casefold()):
            rest = text[len(name) :]
            if not rest.strip():
                return [name]
            if rest.lstrip().startswith(","):
                tail = split_names(rest.lstrip()[1:], names)
                if tail is not None:
                    return [name, *tail]
    return None


_MONTHS = {
    name: number
    for number, month in enumerate((month.lower() for month in MONTHS), start=1)
    for name in (month, month[:3], "sept" if month == "september" else month)
}


def normalise_partial_date(text: str) -> str:
    """Turn 'April 2019', '04/2019' or '2019/04' into '2019-04'; anything else is left as typed."""
    text = " ".join(text.split())
    match = re.fullmatch(r"([A-Za-z]+)\.?,? (\d{4})", text)
    if match and match.group(1).lower() in _MONTHS:
        return f"{match.group(2)}-{_MONTHS[match.group(1).lower()]:02d}"
    for pattern in (r"(?P<m>\d{1,2})[/.-](?P<y>\d{4})", r"(?P<y>\d{4})[/.](?P<m>\d{1,2})"):
        match = re.fullmatch(pattern, text)
        if match and 1 <= int(match["m"]) <= 12:
            return f"{match['y']}-{int(match['m']):02d}"
    return text


def one_line(text: str) -> str:
    """Text for a one-line field: every run of whitespace (line breaks too) becomes one space."""
    cleaned = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    return " ".join(cleaned.split())


def parse_source(text: str) -> tuple[dict[str, Any], list[str]]:
    """One source written as 'Title | Publisher | https://… | 2014-09 | "A quote"'.

    The date and the quotes are optional. The parts may come in any order after the title: the
    web address and the date are recognised by their shape, and each part in double quotes is a
    passage quoted from the source. Returns the source and what is wrong with it, in plain words.
    """
    parts = [one_line(part) for part in _strip_bullet(text).split(SEPARATOR)]
    parts = [part for part in parts if part]
    source: dict[str, Any] = {}
    words: list[str] = []
    quotes: list[str] = []
    for number, part in enumerate(parts):
        quoted = _QUOTED.fullmatch(part)
        # A web address (or a dangerous one, such as javascript:…): a scheme and no spaces.
        if re.fullmatch(r"[a-z][a-z0-9+.-]*:\S+", part, re.IGNORECASE) and "url" not in source:
            source["url"] = part
        elif re.fullmatch(r"www\.\S+", part, re.IGNORECASE) and "url" not in source:
            source["url"] = f"https://{part}"
        elif re.fullmatch(r"\d{4}(-\d{2}){0,2}", part) and "date" not in source:
            source["date"] = part
        elif quoted and number > 0 and quoted.group(1).strip():
            quotes.append(quoted.group(1).strip())
        else:
            words.append(part)
    source.update(zip(("title", "publisher"), words, strict=False))  # the first two words
    if quotes:
        source["quotes"] = quotes
    problems = []
    missing = [name for name in ("title", "publisher", "url") if name not in source]
    if missing or len(words) > 2:
        problems.append(
            "each source needs its title, who published it and its web address, separated by "
            f"'{SEPARATOR}', like: Annual report 2019 {SEPARATOR} Exampleshire Council "
            f"{SEPARATOR} https://www.example.org/report"
        )
    order = ("title", "publisher", "date", "url", "quotes")
    ordered = {key: source[key] for key in order if key in source}
    return ordered, problems


def parse_commissioner(text: str, taxonomy: Taxonomy) -> tuple[dict[str, str], list[str]]:
    """One joint commissioner written as 'Name | kind', the kind as a name or id."""
    parts = [one_line(part) for part in _strip_bullet(text).split(SEPARATOR)]
    if len(parts) != 2 or not all(parts):
        return {"name": one_line(text)}, [
            f"write each commissioner as its name, '{SEPARATOR}', then what kind of body it is, "
            f"like: Exampleshire Council {SEPARATOR} Local authority"
        ]
    term = term_for(parts[1], taxonomy.commissioner_types)
    if term is None:
        return {"name": parts[0], "type": parts[1]}, [
            f"'{parts[1]}' is not a kind of commissioner we know; use one of: "
            + ", ".join(t.name for t in taxonomy.commissioner_types)
        ]
    return {"name": parts[0], "type": term.id}, []


def _strip_bullet(text: str) -> str:
    return re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text)


def interpret(item: Field, raw: str | list[str], taxonomy: Taxonomy) -> tuple[Any, list[str]]:
    """Turn what someone typed for a field into the value for the file, and what is wrong.

    Choices may be typed as ids or names; dates like 'April 2019' become '2019-04'; records are
    one per line (or one per item of a list). Anything still wrong is left for the validator's
    rules (`answer_problems`), which say what is allowed.
    """
    items = raw if isinstance(raw, list) else [raw]
    lines = [line for one in items for line in one.split("\n") if line.strip()]
    if item.kind in ("choice", "choices", "fixed"):
        terms = item.choices(taxonomy)
        ids = [(term.id if (term := term_for(one, terms)) else one_line(one)) for one in items]
        return (ids if item.kind == "choices" else ids[0]), []
    if item.kind == "texts":
        return [one_line(line) for line in lines], []
    if item.kind == "records":
        records, problems = [], []
        for text in lines:
            if item.name == "sources":
                record, messages = parse_source(text)
            else:
                record, messages = parse_commissioner(text, taxonomy)
            records.append(record)
            problems.extend(messages)
        return records, problems
    value = one_line(items[0])
    return (normalise_partial_date(value) if item.kind == "partial_date" else value), []


def _document(answers: dict[str, Any], leave_out: str) -> dict[str, Any]:
    """The answers given (by dotted path) as a document, leaving out one field."""
    document: dict[str, Any] = {}
    for name, answer in answers.items():
        if answer not in (None, "", []) and name != leave_out:
            set_path(document, tuple(name.split(".")), answer)
    return document


def answer_problems(
    item: Field,
    value: Any,
    rules: Rules,
    context: dict[str, Any] | None = None,
) -> list[str]:
    """What the validator would say about `value` for this field alone, as plain messages.

    The value is checked by the same schema and text rules as `kb validate`, so a person is told
    at once, in the same words, instead of after the file is written. `context` holds earlier
    answers by dotted path (such as consent, or period.end) that rules about this field depend
    on; only problems with this field are reported.
    """
    document = _document(context or {}, item.name)
    set_path(document, item.path, value)
    messages = []
    for path, message in rules.schema.problems(document):
        if tuple(path[: len(item.path)]) == item.path and not (
            path == item.path and message.startswith("is missing")
        ):
            inner = ""
            for part in path[len(item.path) :]:
                inner += f"[{part + 1}]" if isinstance(part, int) else f".{part}" if inner else part
            messages.append(f"{inner}: {message}" if inner else message)
    for _, text in strings(value):
        for _, _, message in check_personal_data(text, item.name, rules.allowed):
            messages.append(message)
        for _, _, message in check_placeholders(text, item.name):
            messages.append(message)
    return messages


def required_now(item: Field, rules: Rules, answers: dict[str, Any]) -> bool:
    """Whether the field must be given, after the answers so far (by dotted path).

    Some fields are needed only because of another answer: period.confirmed when period.end is
    "ongoing", caveats when consent is "published-sources". The schema says so, so ask it.
    """
    return item.required or any(
        tuple(path) == item.path and message.startswith("is missing")
        for path, message in rules.schema.problems(_document(answers, item.name))
    )


def set_path(document: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set `document[a][b] = value` for path (a, b), making the parent mappings."""
    for key in path[:-1]:
        document = document.setdefault(key, {})
    document[path[-1]] = value


# ---------------------------------------------------------------------------------------------
# Writing files


def slugify(title: str, limit: int = 70) -> str:
    """A file name from a title: lower-case ASCII words joined by hyphens, cut at a word."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "").replace("&", " and ")
    slug = "-".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())
    if len(slug) > limit:  # keep the words that fit
        slug = slug[: limit + 1].rpartition("-")[0]
    return slug or "case-study"


def build_meta(
    answers: dict[str, Any],
    *,
    today: dt.date,
    status: str = "draft",
    rules: Rules,
) -> dict[str, Any]:
    """The front matter, in the schema's order, from answers keyed by dotted path.

    Empty answers are left out; `published` and `reviewed` are today; `sources` is always
    present (the schema requires it, as [] when there are none).
    """
    automatic = {"published": today.isoformat(), "reviewed": today.isoformat(), "status": status}
    meta: dict[str, Any] = {}
    for item in leaves(fields(rules)):
        value = automatic.get(item.name, answers.get(item.name))
        if item.name == "sources" and value is None:
            value = []
        if value in (None, "") or (value == [] and item.name != "sources"):
            continue
        set_path(meta, item.path, value)
    return meta


def front_matter_text(meta: dict[str, Any]) -> str:
    """The front matter as YAML, every text value in double quotes.

    Quoting every value means no answer can change the structure: a title holding a line break
    and 'status: published' stays one quoted string, and 'NO' or '2019' stay text.
    """
    return strict_yaml.dump_quoted(meta)


def check_text(text: str, slug: str, rules: Rules, today: dt.date) -> list[Problem]:
    """What `kb validate` would say about a case study not yet written, as if saved as slug.md."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        return check_file(path, rules, shown=path.name, today=today).problems


def body_text(sections: dict[str, str], rules: Rules) -> str:
    """The five sections in order, each with its text, or its prompt as guidance to replace."""
    parts = []
    for section in rules.schema.body_sections:
        text = (sections.get(section["id"]) or "").strip("\n")
        parts.append(f"## {section['heading']}\n\n{text or guidance(section['prompt'])}\n")
    return "\n".join(parts)


def guidance(prompt: str) -> str:
    """A section's prompt as a placeholder line, which `kb validate` reports until replaced."""
    return f"{PLACEHOLDER} {prompt}"


def write_new(directory: Path, slug: str, text: str) -> Path:
    """Write a new case study as `directory/slug.md`; never overwrite (FileExistsError)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{slug}.md"
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


# ---------------------------------------------------------------------------------------------
# The template


def template_text(rules: Rules, taxonomy: Taxonomy) -> str:
    """case_studies/_template.md: every field with its help text, choices and a placeholder."""
    lines = [
        "---",
        "# The case-study template. This file is made by `kb generate` from",
        "# schema/case-study.schema.json and data/taxonomy.yml: change those, not this file.",
        "#",
        "# How to use it:",
        "# 1. Copy this file into case_studies/ and name the copy with lower-case words joined",
        "#    by hyphens, such as anyshire-forum-peer-support-planning.md.",
        f'# 2. Replace every value below: text starting "{PLACEHOLDER}", empty "" and [],',
        "#    and dates written YYYY or YYYY-MM-DD. Lines starting # are help: leave them or",
        "#    delete them. Keep the double quotes around text.",
        "# 3. Write the five sections after the second --- line.",
        "# 4. Run `kb validate`, or open a pull request and the checks run for you. Each",
        "#    message names the line and says what to change.",
        "",
    ]
    listed: dict[str, str] = {}
    for item in fields(rules):
        lines.extend(_template_field(item, taxonomy, "", listed))
    return "\n".join([*lines, "---", ""]) + "\n" + body_text({}, rules)


def _comment(text: str, indent: str) -> list[str]:
    """`text` as comment lines that fit the line length."""
    return textwrap.wrap(
        text, width=COMMENT_WIDTH, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}# "
    )


def _template_field(
    item: Field, taxonomy: Taxonomy, indent: str, listed: dict[str, str]
) -> list[str]:
    """The lines for one field: comments with its help text and choices, then the field.

    An optional field is commented out, with how to use it; `listed` remembers, by facet, the
    label under which a list of choices was already shown.
    """
    need = "required" if item.required else "optional"
    key = item.path[-1]
    lines = _comment(f"{item.label} ({need}). {item.description}".rstrip(), indent)
    if item.kind == "object":
        if item.required:
            lines.append(f"{indent}{key}:")
        else:  # all of it commented out, the key with its fields
            lines += [
                f'{indent}# To use it, delete the "# " before "{key}" and its fields.',
                f"{indent}# {key}:",
            ]
        for child in item.children:
            lines.extend(_template_field(child, taxonomy, indent + "  ", listed))
        return lines
    if item.kind == "texts":
        example = f'{indent}#   - "{_example_value(item)}"'
        if item.required:
            how = (
                f"To add some, delete the [] after '{key}:' and add one line for each under it, "
                "like this (without the # at the start):"
            )
            return [*lines, f"{indent}{key}: []", *_comment(how, indent), example]
        how = (
            f'To use it, delete the "# " before "{key}:" and the "#" before the line under '
            "it, and add a line like that for each one:"
        )
        return [*lines, *_comment(how, indent), f"{indent}# {key}:", example]
    if item.kind == "records":
        how = (
            f"To add one, delete the [] after '{key}:' and, for each one, add lines like "
            "these under it (without the # at the start):"
        )
        lines += [f"{indent}{key}: []", *_comment(how, indent)]
        for number, child in enumerate(item.children):
            start = f"{indent}#   {'  ' if number else '- '}{child.path[-1]}:"
            if child.kind == "texts":  # a list inside each record, such as a source's quotes
                lines += [start, f'{indent}#       - "{_example_value(child)}"']
            elif child.kind == "choice" and child.facet in listed:
                lines.append(f'{start} ""  # one of the ids listed under "{listed[child.facet]}"')
            else:
                lines.append(f'{start} "{_example_value(child)}"')
        return lines
    if item.facet:
        listed.setdefault(item.facet, item.label)
    choices = [  # a fixed choice with no words of its own is shown once
        f"{indent}#   {term.id}" + (f": {term.name}" if term.name != term.id else "")
        for term in item.choices(taxonomy)
    ]
    if item.kind == "choices":
        first = item.choices(taxonomy)[0].id
        how = f"{indent}# Choose one or more of these ids, like [{first}]:"
        return [*lines, how, *choices, f"{indent}{key}: []"]
    line = f'{indent}{key}: "{_example_value(item)}"'
    if item.kind in ("choice", "fixed"):
        lines += [f"{indent}# Choose one of these ids:", *choices]
        line = f'{indent}{key}: "{"draft" if item.name == "status" else ""}"'
    if item.required:
        return [*lines, line]
    return [
        *lines,
        f'{indent}# To use it, delete the "# " before "{key}".',
        f"{indent}# {line[len(indent) :]}",
    ]


def _example_value(item: Field) -> str:
    """The placeholder for a field: its shape for dates and addresses, else 'Replace this'."""
    if item.kind == "full_date":
        return "YYYY-MM-DD"
    if item.kind == "partial_date":
        return "YYYY"
    if item.kind == "date":
        return "YYYY-MM"
    if item.kind == "url":
        return f"{PLACEHOLDER} https://…"
    return f"{PLACEHOLDER} {item.description}".rstrip()

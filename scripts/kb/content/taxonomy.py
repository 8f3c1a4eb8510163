"""The taxonomy (data/taxonomy.yml): categories, regions, commissioner types and the other lists.

This module is the only reader of that file. Everything that needs a list of allowed values, or
the words the site uses for a list (its label, plural, address, search key, glossary heading),
asks here: the validator, the template, the issue form, the site's facets, the glossary and
coverage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.content import strict_yaml
from kb.content.project import display_path

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_FACET_FIELDS = ("label", "plural", "path", "search_key", "glossary_heading", "anchor")
#: A `see_also:` entry: a page in docs/, optionally with a heading's id ("glossary.md#term-tupe").
_SEE_ALSO = re.compile(r"^[a-z0-9][a-z0-9/_-]*\.md(#[a-z0-9][a-z0-9-]*)?$")
#: Written for a facet's path or search key when it has none.
_NONE = "none"


class TaxonomyError(Exception):
    """The taxonomy file itself is broken: a maintainer's mistakes, one per line, each located."""


@dataclass(frozen=True)
class Term:
    """One allowed value: a stable id, the name readers see and a plain-English description."""

    id: str
    name: str
    description: str
    #: Categories only: coordinators want these most.
    priority: bool = False
    #: Categories only: how many published case studies coordinators want.
    wanted_minimum: int = 0
    #: Pages in docs/ that explain the term (guides, glossary entries, law), as written in
    #: data/taxonomy.yml: "guides/reserved-contracts.md", "glossary.md#term-tupe".
    see_also: tuple[str, ...] = ()
    #: Other terms of the same list whose case studies come nearest, shown on this term's page
    #: while it has none of its own: "new-service-areas" for TUPE transfers.
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facet:
    """How the site shows one list: see the `facets:` block of data/taxonomy.yml."""

    name: str
    label: str
    plural: str
    #: The browse pages' address ("regions"), or None when the list has no browse pages.
    path: str | None
    #: The search filter's key ("region"), or None when search does not filter by it.
    search_key: str | None
    glossary_heading: str
    anchor: str

    @property
    def noun(self) -> str:
        """The label inside a sentence: "commissioner type"."""
        return self.label[0].lower() + self.label[1:]


@dataclass(frozen=True)
class Taxonomy:
    """Every list of terms, by facet name, and how the site shows each list."""

    facets: dict[str, Facet]
    lists: dict[str, tuple[Term, ...]]

    def facet(self, name: str) -> Facet:
        return self.facets[name]

    @property
    def browse_facets(self) -> list[Facet]:
        """The lists with browse pages, in order."""
        return [facet for facet in self.facets.values() if facet.path]

    @property
    def search_facets(self) -> list[Facet]:
        """The lists search filters by, in order."""
        return [facet for facet in self.facets.values() if facet.search_key]

    def terms(self, facet: str) -> tuple[Term, ...]:
        return self.lists[facet]

    def ids(self, facet: str) -> list[str]:
        return [term.id for term in self.lists[facet]]

    def term(self, facet: str, term_id: str) -> Term:
        for term in self.lists[facet]:
            if term.id == term_id:
                return term
        raise KeyError(f"{facet}: no term {term_id!r}")

    def name(self, facet: str, term_id: str) -> str:
        """The name readers see for `term_id`, or the id itself if it is not a term."""
        try:
            return self.term(facet, term_id).name
        except KeyError:
            return term_id

    @property
    def categories(self) -> tuple[Term, ...]:
        return self.lists["categories"]

    @property
    def regions(self) -> tuple[Term, ...]:
        return self.lists["regions"]

    @property
    def commissioner_types(self) -> tuple[Term, ...]:
        return self.lists["commissioner_types"]


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and check the taxonomy file; raise TaxonomyError listing every mistake with its line."""
    shown = display_path(path)
    try:
        loaded = strict_yaml.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise TaxonomyError(f"{shown}:1: cannot read the taxonomy: {error}") from None
    except strict_yaml.StrictYAMLError as error:
        raise TaxonomyError(f"{shown}:{error.line}: taxonomy {error.message}") from None
    problems = [f"{shown}:{line}: taxonomy {message}" for line, message in loaded.problems]
    data = loaded.value
    if not isinstance(data, dict) or not isinstance(data.get("facets"), dict):
        raise TaxonomyError(
            "\n".join([*problems, f"{shown}:1: the taxonomy must have 'facets:' then its lists"])
        )
    facets: dict[str, Facet] = {}
    for name, entry in data["facets"].items():
        facet = _facet(name, entry, f"{shown}:{loaded.line_of(('facets', name))}", problems)
        if facet is not None:
            facets[name] = facet
    lists: dict[str, tuple[Term, ...]] = {}
    for name in sorted(set(data) - {"facets"} - set(data["facets"])):
        problems.append(
            f"{shown}:{loaded.line_of((name,))}: list '{name}' has no entry under 'facets:'; "
            "add one, saying how the site shows it"
        )
    for name in data["facets"]:
        entries = data.get(name)
        if not isinstance(entries, list) or not entries:
            problems.append(f"{shown}:1: the taxonomy must have a non-empty list '{name}'")
            continue
        terms = []
        for index, entry in enumerate(entries):
            where = f"{shown}:{loaded.line_of((name, index))}: {name}"
            term = _term(name, entry, where, problems)
            if term is not None:
                terms.append(term)
        ids = [term.id for term in terms]
        for term_id in sorted({term_id for term_id in ids if ids.count(term_id) > 1}):
            problems.append(f"{shown}:1: {name}: the id '{term_id}' is used twice")
        for term in terms:
            for other in sorted(set(term.related) - set(ids)):
                problems.append(
                    f"{shown}:1: {name}: {term.id}: related names '{other}', which is not an "
                    f"id in '{name}'"
                )
        lists[name] = tuple(terms)
    if problems:
        raise TaxonomyError("\n".join(problems))
    return Taxonomy(facets=facets, lists=lists)


def _facet(name: str, entry: Any, where: str, problems: list[str]) -> Facet | None:
    if not isinstance(entry, dict) or set(entry) != set(_FACET_FIELDS):
        problems.append(f"{where}: facets: {name}: needs exactly the fields {list(_FACET_FIELDS)}")
        return None
    if not all(isinstance(entry[key], str) and entry[key].strip() for key in _FACET_FIELDS):
        problems.append(f"{where}: facets: {name}: every field must be text")
        return None
    none_allowed = ("path", "search_key")
    fields = {k: None if k in none_allowed and v == _NONE else v for k, v in entry.items()}
    return Facet(name=name, **fields)


def _term(facet: str, entry: Any, where: str, problems: list[str]) -> Term | None:
    required = {"id", "name", "description"}
    allowed = required | {"see_also", "related"}
    if facet == "categories":
        allowed |= {"priority", "wanted_minimum"}
    if not isinstance(entry, dict) or not required <= set(entry) or not set(entry) <= allowed:
        problems.append(f"{where}: each term needs exactly the fields {sorted(allowed)}")
        return None
    term_id = entry["id"]
    before = len(problems)
    if not isinstance(term_id, str) or not _ID.match(term_id):
        problems.append(f"{where}: id must be lower-case words joined by hyphens; got {term_id!r}")
    for key in ("name", "description"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            problems.append(f"{where}: {term_id}: {key} must be text")
    priority = entry.get("priority", "false")
    wanted = entry.get("wanted_minimum", "0")
    if priority not in ("true", "false"):
        problems.append(f"{where}: {term_id}: priority must be true or false")
    if not isinstance(wanted, str) or not wanted.isdigit():
        problems.append(f"{where}: {term_id}: wanted_minimum must be a whole number")
    see_also, related = entry.get("see_also", []), entry.get("related", [])
    if not _texts_matching(see_also, _SEE_ALSO):
        problems.append(
            f"{where}: {term_id}: see_also must be a list of pages in docs/, such as "
            "guides/reserved-contracts.md or glossary.md#term-tupe"
        )
    if not _texts_matching(related, _ID):
        problems.append(f"{where}: {term_id}: related must be a list of ids of the same list")
    if len(problems) > before:
        return None
    return Term(
        id=term_id,
        name=entry["name"].strip(),
        description=" ".join(entry["description"].split()),
        priority=priority == "true",
        wanted_minimum=int(wanted),
        see_also=tuple(see_also),
        related=tuple(related),
    )


def _texts_matching(value: Any, pattern: re.Pattern[str]) -> bool:
    return isinstance(value, list) and all(isinstance(i, str) and pattern.match(i) for i in value)

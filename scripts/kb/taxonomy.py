"""The taxonomy (data/taxonomy.yml): categories, regions, commissioner types and the other lists.

This module is the only reader of that file. Everything that needs a list of allowed values (the
validator, the template, the issue form, the site's facets, the glossary, coverage) asks here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb import paths, strict_yaml

#: The lists in the taxonomy file, in the order the site and the glossary show them.
FACETS = (
    "categories",
    "regions",
    "commissioner_types",
    "service_areas",
    "sourcing",
    "audiences",
    "resource_topics",
)

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class TaxonomyError(Exception):
    """The taxonomy file itself is broken: a maintainer's mistake, reported with its line."""


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


@dataclass(frozen=True)
class Taxonomy:
    """Every list of terms, by facet name (see FACETS)."""

    lists: dict[str, tuple[Term, ...]]

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


@functools.cache
def load_taxonomy(path: Path = paths.TAXONOMY_FILE) -> Taxonomy:
    """Read and check the taxonomy file; raise TaxonomyError naming the line of any mistake."""
    shown = paths.display_path(path)
    try:
        loaded = strict_yaml.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise TaxonomyError(f"{shown}:1: cannot read the taxonomy: {error}") from None
    except strict_yaml.StrictYAMLError as error:
        raise TaxonomyError(f"{shown}:{error.line}: taxonomy {error.message}") from None
    if loaded.problems:
        line, message = loaded.problems[0]
        raise TaxonomyError(f"{shown}:{line}: taxonomy {message}")
    data = loaded.value
    if not isinstance(data, dict):
        raise TaxonomyError(f"{shown}:1: the taxonomy must be a set of named lists")
    unknown = set(data) - set(FACETS)
    if unknown:
        raise TaxonomyError(f"{shown}:1: unknown lists {sorted(unknown)}; expected {FACETS}")
    lists = {}
    for facet in FACETS:
        entries = data.get(facet)
        if not isinstance(entries, list) or not entries:
            raise TaxonomyError(f"{shown}:1: the taxonomy must have a non-empty list '{facet}'")
        lists[facet] = tuple(
            _term(facet, index, entry, loaded, shown) for index, entry in enumerate(entries)
        )
        ids = [term.id for term in lists[facet]]
        duplicates = sorted({term_id for term_id in ids if ids.count(term_id) > 1})
        if duplicates:
            raise TaxonomyError(f"{shown}:1: {facet}: ids used twice: {duplicates}")
    return Taxonomy(lists=lists)


def _term(facet: str, index: int, entry: Any, loaded: strict_yaml.Loaded, shown: str) -> Term:
    line = loaded.line_of((facet, index))
    where = f"{shown}:{line}: {facet}"
    required = {"id", "name", "description"}
    allowed = required | ({"priority", "wanted_minimum"} if facet == "categories" else set())
    if not isinstance(entry, dict) or not required <= set(entry) or not set(entry) <= allowed:
        raise TaxonomyError(f"{where}: each term needs exactly the fields {sorted(allowed)}")
    if not isinstance(entry["id"], str) or not _ID.match(entry["id"]):
        raise TaxonomyError(f"{where}: id must be lower-case words joined by hyphens")
    for key in ("name", "description"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise TaxonomyError(f"{where}: {entry['id']}: {key} must be text")
    priority = entry.get("priority", "false")
    wanted = entry.get("wanted_minimum", "0")
    if priority not in ("true", "false"):
        raise TaxonomyError(f"{where}: {entry['id']}: priority must be true or false")
    if not isinstance(wanted, str) or not wanted.isdigit():
        raise TaxonomyError(f"{where}: {entry['id']}: wanted_minimum must be a whole number")
    return Term(
        id=entry["id"],
        name=entry["name"].strip(),
        description=" ".join(entry["description"].split()),
        priority=priority == "true",
        wanted_minimum=int(wanted),
    )

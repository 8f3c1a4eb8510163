"""Obviously fictional case studies for the benchmark and its tests. Never published.

Every organisation is invented ("Fictional Forum 17", "Exampleshire County Council 17"), so a
generated file can never be mistaken for a real case study. The files are valid for the schema
and taxonomy in the repository at run time: optional fields the schema knows (sourcing, outcome,
period.end, quotes on sources) are filled in when it has them, so the generator keeps working as
the schema gains fields.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from kb.content.casestudy import case_study_text
from kb.content.project import find_project
from kb.content.taxonomy import Taxonomy, load_taxonomy

_SEED_TEXT = (
    "disabled people planned the service with the council and agreed what good support would "
    "look like the forum ran peer support sessions reported each quarter and met the "
    "commissioner every month to review progress money contract grant staff volunteers advice"
)
_SYLLABLES = ["ba", "co", "di", "fe", "gu", "ho", "ja", "ki", "lo", "mu", "ne", "pi", "ro", "ta"]


def _vocabulary(size: int = 5000) -> tuple[list[str], list[float]]:
    """Words with cumulative Zipf weights: real words most often, made-up words in a long tail.

    Real prose follows Zipf's law (the n-th commonest word appears about 1/n as often as the
    commonest). A corpus repeating a few dozen words on every page would give a search index far
    smaller, or far larger, than real case studies do, and the benchmark would mislead.
    """
    words = list(dict.fromkeys(_SEED_TEXT.split()))
    rng = random.Random(1)
    while len(words) < size:
        made_up = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if made_up not in words:
            words.append(made_up)
    total, cumulative = 0.0, []
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


_WORDS, _WEIGHTS = _vocabulary()


def _pick(values: list[str], index: int) -> str:
    return values[index % len(values)]


def front_matter(index: int, schema: dict[str, Any], taxonomy: Taxonomy) -> dict[str, Any]:
    """Valid front matter for fictional case study number `index`, for this schema."""
    props = schema["properties"]
    year = 2005 + index % 15
    meta: dict[str, Any] = {
        "title": f"Fictional Forum {index} and Exampleshire County Council {index}",
        "summary": (
            f"Generated example number {index}: a fictional forum of disabled people worked "
            "with a fictional council. It is benchmark data and is never published."
        ),
        "dpulo": {"name": f"Fictional Forum {index}"},
        "commissioner": {
            "name": f"Exampleshire County Council {index}",
            "type": _pick(taxonomy.ids("commissioner_types"), index),
        },
        "region": _pick(taxonomy.ids("regions"), index),
        "categories": [_pick(taxonomy.ids("categories"), index)],
        "service_areas": [_pick(taxonomy.ids("service_areas"), index)],
        "period": {"start": str(year)},
        "published": f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "reviewed": "2025-12-31",
        "status": "published",
        "consent": "organisations-agreed",
        "sources": [
            {
                "title": f"Annual report of Fictional Forum {index}",
                "publisher": f"Fictional Forum {index}",
                "url": f"https://example.org/fictional-forum-{index}/report",
            }
        ],
    }
    # Fields the schema may or may not have yet: add each one it knows, with a valid value.
    for name in ("sourcing", "outcome"):
        if name in props:
            terms = taxonomy.ids(props[name]["x-taxonomy"])
            meta[name] = "not-known" if "not-known" in terms else _pick(terms, index)
    if "end" in props["period"]["properties"]:
        meta["period"]["end"] = str(year + 1 + index % 5)
    source_props = props["sources"]["items"]["properties"]
    if "quotes" in source_props:
        for source in meta["sources"]:
            source["quotes"] = ["The forum and the council met every month to review the work."]
    for name in schema.get("required", []):
        if name not in meta:
            raise ValueError(f"benchmarks/corpus.py does not know how to fill '{name}'")
    return meta


def body(sections: list[dict[str, str]], words: int, rng: random.Random) -> str:
    """The required sections, in order, each a paragraph of `words` Zipf-distributed words."""
    parts = []
    for section in sections:
        text = " ".join(rng.choices(_WORDS, cum_weights=_WEIGHTS, k=words))
        parts.append(f"## {section['heading']}\n\n{text.capitalize()}.\n")
    return "\n".join(parts)


def write_corpus(
    directory: Path, count: int, seed: int = 0, words_per_section: int = 120
) -> list[Path]:
    """Write `count` valid fictional case studies (about 600 words each) into `directory`."""
    project = find_project(Path(__file__).resolve().parent)
    taxonomy = load_taxonomy(project.taxonomy_file)
    schema = json.loads(project.case_study_schema_file.read_text(encoding="utf-8"))
    sections = schema["x-body-sections"]
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(1, count + 1):
        path = directory / f"fictional-case-study-{index:05d}.md"
        text = case_study_text(
            front_matter(index, schema, taxonomy), body(sections, words_per_section, rng)
        )
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

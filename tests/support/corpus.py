"""Obviously fictional case studies, for tests and the benchmarks. Never published.

Every organisation is invented ("Fictional Disabled People's Forum 17", "Exampleshire Council
17") so a generated file can never be mistaken for a real case study. Terms are chosen by
cycling through the taxonomy, so N case studies spread across every category, region,
commissioner type, service area and way of funding. The words of the body follow Zipf's law,
as real prose does, so search indexes built from a corpus are as large as real ones would be.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from kb.content.casestudy import case_study_text as file_text
from kb.content.taxonomy import Taxonomy
from tests.support.project import repo_rules, repo_taxonomy

_TEXT = (
    "disabled people planned the service with the council and agreed what good support "
    "would look like; the forum ran peer support sessions, reported each quarter and met the "
    "commissioner every month to review progress and money"
)


def _vocabulary(size: int = 4000) -> tuple[list[str], list[float]]:
    """Words and cumulative Zipf weights: real words most often, made-up words in a long tail."""
    words = list(dict.fromkeys(_TEXT.replace(";", "").split()))
    seen = set(words)
    syllables = ["ba", "co", "di", "fe", "gu", "ho", "ja", "ki", "lo", "mu", "ne", "pi", "ro"]
    rng = random.Random(1)
    while len(words) < size:
        made_up = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if made_up not in seen:
            seen.add(made_up)
            words.append(made_up)
    total, cumulative = 0.0, []
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


_WORDS, _CUMULATIVE_WEIGHTS = _vocabulary()


def front_matter(index: int = 1, taxonomy: Taxonomy | None = None, **overrides: Any) -> dict:
    """Valid front matter for fictional case study number `index`, with any fields overridden."""
    taxonomy = taxonomy or repo_taxonomy()

    def pick(facet: str) -> str:
        ids = taxonomy.ids(facet)
        return ids[index % len(ids)]

    meta: dict[str, Any] = {
        "title": f"Fictional case study {index}: a forum and a council working together",
        "summary": (
            f"Generated example number {index}. A fictional forum of disabled people worked "
            "with a fictional council. It is test data and is never published."
        ),
        "dpulo": {"name": f"Fictional Disabled People's Forum {index}"},
        "commissioner": {
            "name": f"Exampleshire Council {index}",
            "type": pick("commissioner_types"),
        },
        "region": pick("regions"),
        "categories": [pick("categories")],
        "service_areas": [pick("service_areas")],
        "sourcing": pick("sourcing"),
        "outcome": pick("outcomes"),
        "period": period(index, pick("outcomes")),
        "published": f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "reviewed": "2025-12-31",
        "status": "published",
        "consent": "organisations-agreed",
        "sources": [],
    }
    meta.update(overrides)
    return meta


def period(index: int, outcome: str) -> dict[str, str]:
    """When fictional case study `index` happened: still going on when its outcome says so."""
    start = 2010 + index % 15
    if outcome == "continuing":
        return {"start": str(start), "end": "ongoing", "confirmed": "2025-06"}
    if outcome == "not-known":
        return {"start": str(start), "end": "unknown"}
    return {"start": str(start), "end": str(min(start + 3, 2025))}


def body(words_per_section: int = 40, seed: int = 0) -> str:
    """A body with every section the schema requires, each of `words_per_section` words."""
    rng = random.Random(seed)
    parts = []
    for section in repo_rules().schema.body_sections:
        words = rng.choices(_WORDS, cum_weights=_CUMULATIVE_WEIGHTS, k=words_per_section)
        parts.append(f"## {section['heading']}\n\n{' '.join(words).capitalize()}.\n")
    return "\n".join(parts)


def case_study_text(meta: dict, body_text: str | None = None) -> str:
    """The whole file: the front matter (every value quoted) between '---' lines, then the body."""
    return file_text(meta, body_text if body_text is not None else body())


def write_corpus(
    directory: Path, count: int, seed: int = 0, *, words_per_section: int = 120
) -> list[Path]:
    """Write `count` valid fictional case studies into `directory`; return their paths.

    The same `seed` writes the same files; another seed changes the words of every body.
    """
    directory.mkdir(parents=True, exist_ok=True)
    taxonomy = repo_taxonomy()
    written = []
    for index in range(1, count + 1):
        path = directory / f"fictional-case-study-{index:05d}.md"
        text = case_study_text(
            front_matter(index, taxonomy), body(words_per_section, seed * 1_000_003 + index)
        )
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

"""Obviously fictional case studies, for tests and the benchmark. Never published.

Every organisation is invented ("Fictional ... Forum 17", "Exampleshire County Council") so a
generated file can never be mistaken for a real case study.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from kb import strict_yaml
from kb.content.schema import body_sections
from kb.content.taxonomy import Taxonomy, load_taxonomy

_TEXT = (
    "disabled people planned the service with the council and agreed what good support "
    "would look like; the forum ran peer support sessions, reported each quarter and met the "
    "commissioner every month to review progress and money"
)


def _vocabulary(size: int = 4000) -> tuple[list[str], list[float]]:
    """Words and cumulative Zipf weights: real words most often, made-up words in a long tail.

    Real prose follows Zipf's law (the n-th commonest word appears about 1/n as often as the
    commonest). A corpus that repeats a few dozen words on every page would make search indexes
    and downloads far larger than real case studies do, so the benchmark would mislead.
    """
    words = list(dict.fromkeys(_TEXT.replace(";", "").split()))
    syllables = ["ba", "co", "di", "fe", "gu", "ho", "ja", "ki", "lo", "mu", "ne", "pi", "ro"]
    rng = random.Random(1)
    while len(words) < size:
        made_up = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if made_up not in words:
            words.append(made_up)
    total, cumulative = 0.0, []
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


_WORDS, _CUMULATIVE_WEIGHTS = _vocabulary()


def front_matter(index: int = 1, taxonomy: Taxonomy | None = None, **overrides: Any) -> dict:
    """Valid front matter for fictional case study number `index`, with any fields overridden.

    Terms are chosen by cycling through the taxonomy, so a set of N case studies spreads across
    every category, region and commissioner type.
    """
    taxonomy = taxonomy or load_taxonomy()
    categories = taxonomy.ids("categories")
    regions = taxonomy.ids("regions")
    types = taxonomy.ids("commissioner_types")
    services = taxonomy.ids("service_areas")
    sourcing = taxonomy.ids("sourcing")
    year = 2010 + index % 15
    meta: dict[str, Any] = {
        "title": f"Fictional case study {index}: a forum and a council working together",
        "summary": (
            f"Generated example number {index}. A fictional forum of disabled people worked "
            "with a fictional council. It is test data and is never published."
        ),
        "dpulo": {"name": f"Fictional Disabled People's Forum {index}"},
        "commissioner": {
            "name": f"Exampleshire Council {index}",
            "type": types[index % len(types)],
        },
        "region": regions[index % len(regions)],
        "categories": [categories[index % len(categories)]],
        "service_areas": [services[index % len(services)]],
        "sourcing": sourcing[index % len(sourcing)],
        "period": {"start": str(year)},
        "published": f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "reviewed": "2025-12-31",
        "status": "published",
        "consent": "organisations-agreed",
        "sources": [],
    }
    meta.update(overrides)
    return meta


def body(words_per_section: int = 40, seed: int = 0) -> str:
    """A body with every required section, each holding `words_per_section` words."""
    rng = random.Random(seed)
    parts = []
    for section in body_sections():
        words = rng.choices(_WORDS, cum_weights=_CUMULATIVE_WEIGHTS, k=words_per_section)
        parts.append(f"## {section['heading']}\n\n{' '.join(words).capitalize()}.\n")
    return "\n".join(parts)


def case_study_text(meta: dict, body_text: str | None = None) -> str:
    """The full file text: `---`, the front matter as YAML with every value quoted, `---`, body."""
    dumped = strict_yaml.dump_quoted(meta)
    return f"---\n{dumped}---\n\n{body_text if body_text is not None else body()}"


def write_corpus(directory: Path, count: int, words_per_section: int = 120) -> list[Path]:
    """Write `count` valid fictional case studies into `directory`; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    taxonomy = load_taxonomy()
    written = []
    for index in range(1, count + 1):
        path = directory / f"fictional-case-study-{index:05d}.md"
        text = case_study_text(front_matter(index, taxonomy), body(words_per_section, index))
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

"""Markers in hand-written pages that the build replaces with generated lists.

A marker is an HTML comment on a line of its own: `<!-- kb:NAME -->` or `<!-- kb:NAME ARG ... -->`,
for example `<!-- kb:wanted-categories -->`, `<!-- kb:resources providers -->` or
`<!-- kb:resources providers co-production -->`. A renderer gets its arguments as one string,
words separated by single spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

MARKER = re.compile(
    r"^[ \t]*<!--[ \t]*kb:([a-z][a-z0-9-]*)((?:[ \t]+[a-z0-9-]+)*)[ \t]*-->[ \t]*$", re.M
)

#: name -> function taking the marker's arguments ("" when none) and returning Markdown.
Renderers = Mapping[str, Callable[[str], str]]


def expand_markers(markdown: str, renderers: Renderers) -> tuple[str, list[str]]:
    """Replace every known marker with its rendering, set off by blank lines.

    Returns the new text and a message for each marker that could not be expanded (an unknown
    name, or an argument its renderer refused with ValueError), left as it is, so the caller
    can warn: a misspelt marker must not silently show nothing.
    """
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        marker = match.group(0).strip()
        name, argument = match.group(1), " ".join(match.group(2).split())
        render = renderers.get(name)
        if render is None:
            known = ", ".join(f"<!-- kb:{known} -->" for known in renderers)
            problems.append(f"unknown marker {marker}; the markers are {known}")
            return match.group(0)
        try:
            return f"\n{render(argument)}\n"
        except ValueError as error:
            problems.append(f"marker {marker}: {error}")
            return match.group(0)

    return MARKER.sub(replace, markdown), problems

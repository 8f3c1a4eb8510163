"""Let Python-Markdown skip the inline patterns that cannot match the text in hand.

For every piece of text on a page (a paragraph, a heading, a list item, a table cell),
Python-Markdown tries each of its inline patterns in turn (code, escapes, links, images,
autolinks, raw HTML, entities, emphasis), scanning the text with each one's regular expression.
Most prose holds none of the characters those patterns need, so most scans find nothing; on a
case-study page they were a third of the time its Markdown took to convert.

`guard_inline_patterns(md)` puts a guard in front of each pattern whose regular expression is
listed in NEEDS: the guard lets the pattern scan only text holding at least one of the strings
the expression cannot match without, and finds nothing in any other text, which is what the
scan would have found. The expressions are listed whole, as Python-Markdown writes them: if a
release changes one, that pattern is left unguarded and scans as before. pyproject.toml pins
Python-Markdown to the release the list was written for, and a test fails when a pattern of
the site's Markdown is left unguarded, so an upgrade is the moment to check the list.

Tests check that each listed expression finds nothing in text without its strings, and that
documents convert the same with and without the guards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor

#: Each guarded regular expression (Python-Markdown 3.x's inline patterns, as it compiles
#: them), and the strings it needs: it can match only text holding at least one of them.
NEEDS: dict[str, tuple[str, ...]] = {
    # Code spans: a backtick, or backslashes before one (the lookahead needs it too).
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),
    # A backslash escape.
    r"\\(.)": ("\\",),
    # Links and references; images and image references.
    r"(?<!\!)\[": ("[",),
    r"\!\[": ("![",),
    # Autolinks, e-mail autolinks and raw HTML all start with "<".
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),
    r"<([^<> !]+@[^@<> ]+)>": ("<",),
    (
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'"""
        r"""|[^\s"'=<>]++))?+)*+\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]"""
        r"""|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"""
    ): ("<",),
    # A line break: two spaces before a new line.
    r"  \n": ("  \n",),
    # An HTML entity.
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),
    # Emphasis and strong emphasis.
    r"\*|_": ("*", "_"),
}


class Guard:
    """What a guarded pattern gives for its expression: scans only text that holds one of the
    strings the pattern's expression needs; otherwise it is the expression itself.

    The expression is looked up at each scan, not kept: a pattern's can change (an extension
    adding a delimiter to the emphasis pattern, say), and a changed one is no longer listed.
    """

    def __init__(self, pattern: InlineProcessor) -> None:
        self.pattern = pattern

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        """What the expression's `finditer` gives; nothing, without scanning, when it cannot
        match."""
        compiled = self.pattern.compiled_re
        needs = NEEDS.get(compiled.pattern)
        if needs is not None and not any(needed in text for needed in needs):
            return iter(())
        return compiled.finditer(text, pos)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern.compiled_re, name)


def is_guarded(pattern: object) -> bool:
    """Whether `guard_inline_patterns` has put a Guard in front of this pattern."""
    return "getCompiledRegExp" in vars(pattern)


def guard_inline_patterns(md: Markdown) -> list[InlineProcessor]:
    """Guard each of `md`'s inline patterns whose expression NEEDS lists; return those.

    Python-Markdown asks a pattern for its expression (`getCompiledRegExp`) each time it scans
    a text with it; a guarded pattern answers with its Guard.
    """
    guarded = []
    for pattern in md.inlinePatterns:
        if not isinstance(pattern, InlineProcessor) or is_guarded(pattern):
            continue  # old-style patterns scan differently (none is listed); or guarded already
        if pattern.compiled_re.pattern in NEEDS:
            guard = Guard(pattern)
            pattern.getCompiledRegExp = lambda guard=guard: guard  # type: ignore[method-assign]
            guarded.append(pattern)
    return guarded

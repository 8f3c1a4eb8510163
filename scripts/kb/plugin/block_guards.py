"""Let Python-Markdown's block processors skip the blocks their expressions cannot match.

Python-Markdown splits a page into blocks (at blank lines) and offers each block to its block
processors in turn: admonitions, headings, rules, definition lists, quotes, link references.
Most of them decide by searching the whole block with an expression that starts `(^|\n)`, which
Python's `re` tries at every position, and in prose most searches find nothing. Without them,
converting 1,000 case-study bodies took 1.4–1.65 s instead of 2.0–2.4 s.

`guard_block_processors(md)` puts a guard in front of each expression listed in NEEDS. The
guard searches only a block holding at least one of the strings the expression cannot match
without, and finds nothing in any other block, which is what the search would have found. Only
`search` is guarded; an expression's other methods are its own. As in kb.plugin.inline_guards,
the expressions are listed whole, so an expression a Python-Markdown release changes is left
unguarded, and a test then fails so that someone checks the list.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor

#: Each guarded regular expression (Python-Markdown 3.11's block processors and its admonition
#: and definition-list extensions, as they write them), and the strings it needs: it can match
#: only a block holding at least one of them.
NEEDS: dict[str, tuple[str, ...]] = {
    # An admonition: "!!! note".
    r'(?:^|\n)!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *(?:\n|$)': ("!!!",),
    # A heading written with hashes.
    r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)": ("#",),
    # A horizontal rule: three or more of one of these.
    (
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
        r"(?P=atomicgroup)[ ]*$"
    ): ("-", "_", "*"),
    # A definition: ": " after a term.
    r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)": (":",),
    # A quote.
    r"(^|\n)[ ]{0,3}>[ ]?(.*)": (">",),
    # A link reference definition: "[id]: address".
    (
        r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
        r"""((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$"""
    ): ("]:",),
}

#: The attributes block processors keep the expression they search with in.
_EXPRESSION_ATTRIBUTES = ("RE", "SEARCH_RE")


class GuardedSearch:
    """A compiled expression whose `search` finds nothing, without searching, in text that
    holds none of the strings the expression needs; everything else is the expression's."""

    def __init__(self, expression: re.Pattern[str], needs: tuple[str, ...]) -> None:
        self.expression = expression
        self.needs = needs

    def search(self, string: str, *args: Any) -> re.Match[str] | None:
        if not any(needed in string for needed in self.needs):
            return None
        return self.expression.search(string, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.expression, name)


def guarded_expressions(md: Markdown) -> list[str]:
    """The expressions of `md`'s block processors that have a guard in front of them."""
    return [
        expression.expression.pattern
        for processor in md.parser.blockprocessors
        for name in _EXPRESSION_ATTRIBUTES
        if isinstance(expression := getattr(processor, name, None), GuardedSearch)
    ]


def guard_block_processors(md: Markdown) -> list[BlockProcessor]:
    """Guard each of `md`'s block processors whose expression NEEDS lists; return those."""
    guarded = []
    for processor in md.parser.blockprocessors:
        for name in _EXPRESSION_ATTRIBUTES:
            expression = getattr(processor, name, None)
            if isinstance(expression, re.Pattern) and expression.pattern in NEEDS:
                # On the instance: the class's expression stays as it was for other instances.
                setattr(processor, name, GuardedSearch(expression, NEEDS[expression.pattern]))
                guarded.append(processor)
    return guarded

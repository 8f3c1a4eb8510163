"""The page `kb serve` shows while the content has problems, instead of the site.

While a contributor's files have problems the site cannot be built, but the preview must not
hang or go stale: every address shows this page, listing each problem as
`path:line: field: message` (the message says how to fix it). The page carries mkdocs' live
reload, so it turns back into the site as soon as a save fixes the last problem.
"""

from __future__ import annotations

from collections.abc import Iterable

from kb.content.problems import Problem
from kb.site.markup import esc

TITLE = "Fix these problems to see the site"


def problems_html(problems: Iterable[Problem], summary: str) -> str:
    """The problems as an ordered list, then the summary line: escaped HTML."""
    items = "\n".join(
        f"<li><strong>{esc(problem.path)}:{problem.line}: {esc(problem.field)}:</strong> "
        f"{esc(problem.message)}</li>"
        for problem in sorted(problems)
    )
    return (
        '<div class="kb-problems" lang="en">\n'
        "<p>The preview found problems in the content, so it cannot show the site. "
        "Fix each one as its message says, then save the file: this page turns back into "
        "the site by itself.</p>\n"
        f'<ol class="kb-problems__list">\n{items}\n</ol>\n'
        f"<p>{esc(summary)}</p>\n</div>"
    )


def problems_markdown(problems: Iterable[Problem], summary: str) -> str:
    """The problems page as Markdown for a generated page: a heading, then the HTML list."""
    return f"# {TITLE}\n\n{problems_html(problems, summary)}\n"


def failure_page(message: str) -> str:
    """A whole HTML page for when the preview could not be built at all (no theme to use)."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The preview could not be built</title>
<style>
body {{ font-family: system-ui, sans-serif; line-height: 1.5; max-width: 48rem;
       margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; }}
pre {{ white-space: pre-wrap; background: #f3f3f3; padding: 1rem; }}
</style>
</head>
<body>
<main>
<h1>The preview could not be built</h1>
<p>Fix the problem below, then save the file: this page turns back into the site by itself
(reload it if it does not).</p>
<pre>{esc(message)}</pre>
</main>
</body>
</html>
"""

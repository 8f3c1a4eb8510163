"""The link that opens the GitHub case-study form with a category or region already chosen.

GitHub fills in an issue form's questions from the new-issue address: `?template=` names the
form and each question's id takes its answer; a drop-down takes the choice's name, as the form
shows it. Empty category and region pages and the coverage page link here.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from kb.content.taxonomy import Term
from kb.contrib.issue_form import FORM_PATH, form_id

#: For each list of terms a page can choose in advance, the case study's field that takes one
#: of its terms, which the form asks as a drop-down of the same name.
FORM_FIELDS: dict[str, str] = {"categories": "categories", "regions": "region"}


def share_form_url(repo_url: str | None, facet: str, term: Term) -> str | None:
    """The address that opens the case-study form with `term` chosen, such as
    https://github.com/o/r/issues/new?template=case-study.yml&region=South%20West.

    None without a repository address (mkdocs.yml `repo_url`), or for a list the form does
    not ask about.
    """
    name = FORM_FIELDS.get(facet)
    if not repo_url or name is None:
        return None
    query = urlencode({"template": FORM_PATH.name, form_id(name): term.name}, quote_via=quote)
    return f"{repo_url.rstrip('/')}/issues/new?{query}"

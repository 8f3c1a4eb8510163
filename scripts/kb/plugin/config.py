"""Options of the `kb` plugin, as written under `plugins: - kb:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config


class KbConfig(Config):
    """Every option has a default, so `plugins: [kb]` alone works."""

    enabled = opt.Type(bool, default=True)

    #: The folder of case-study files, relative to mkdocs.yml. mkdocs.yml reads it from
    #: KB_CASE_STUDIES_DIR when set (`!ENV [KB_CASE_STUDIES_DIR, case_studies]`), which is how
    #: `kb build --case-studies DIR` and `kb serve --case-studies DIR` pass it in.
    case_studies = opt.Type(str, default="case_studies")

    #: Where "Propose a change" links point: this plus "<slug>.md". Default: repo_url +
    #: "edit/main/" + the case-studies folder's path in the repository.
    edit_url = opt.Optional(opt.Type(str))

    #: The case studies' folder as seen in the repository, for edit links.
    edit_path = opt.Type(str, default="case_studies")

    #: How many case studies the Atom feed holds (the newest).
    feed_limit = opt.Type(int, default=50)

    #: How many case studies the home page lists.
    latest_limit = opt.Type(int, default=5)

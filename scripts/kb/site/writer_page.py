"""The case-study writer on its page (docs/contribute/write.md, marker `<!-- kb:writer -->`).

The form itself is built in the browser by docs/javascripts/writer.js from
docs/contribute/writer-fields.json (made by `kb generate`, kb.contrib.writer). This writes the
element it is built in: where the description is, where new GitHub issues are opened, and the
coordinators' e-mail address (mkdocs.yml `extra: kb_contact_email`); while no address is set,
the e-mail choice is left out.
"""

from __future__ import annotations

from kb.site.markup import esc, relative_url

#: The description's and the script's places in the built site.
FIELDS_FILE = "contribute/writer-fields.json"
SCRIPT_FILE = "javascripts/writer.js"
STYLE_FILE = "stylesheets/writer.css"


def writer_mount(here: str, repo_url: str | None, contact_email: str | None) -> str:
    """The writer's element and script, with addresses relative to the page at `here`."""
    fields = relative_url(here, FIELDS_FILE).rstrip("/")
    script = relative_url(here, SCRIPT_FILE).rstrip("/")
    style = relative_url(here, STYLE_FILE).rstrip("/")
    issue = f"{repo_url.rstrip('/')}/issues/new" if repo_url else ""
    return (
        f'<div class="kb-writer-mount">\n<link rel="stylesheet" href="{esc(style)}">\n'
        f'<div id="kb-writer" data-fields="{esc(fields)}" data-issue="{esc(issue)}" '
        f'data-contact="{esc(contact_email or "")}"></div>\n'
        f'<script src="{esc(script)}" defer></script>\n</div>'
    )

"""The published site, as pure functions: data in, Markdown/HTML/XML text out.

The mkdocs plugin (kb.plugin) only wires these to mkdocs' hooks, and the tests call them
directly. Rules that hold in every module here:

- Every value from a contributed file (front matter, resources, glossary) is escaped with
  html.escape wherever it is rendered, whatever the validator let through.
- Links between generated pages are relative, made by `markup.relative_url`, so the site works
  under any prefix (/kb/ on GitHub Pages, / under `mkdocs serve`).
- Nothing here scans every case study per page: `catalogue.build_catalogue` indexes them once.
"""

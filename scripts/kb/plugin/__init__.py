"""The `kb` mkdocs plugin: builds the knowledge base's pages from case_studies/ and data/."""

"""Where the project's data lives. Every module asks here rather than building paths itself."""

from pathlib import Path

#: The repository root: scripts/kb/paths.py -> scripts/kb -> scripts -> root.
PROJECT_ROOT = Path(__file__).resolve().parents[2]

CASE_STUDIES_DIR = PROJECT_ROOT / "case_studies"
DATA_DIR = PROJECT_ROOT / "data"
SCHEMA_DIR = PROJECT_ROOT / "schema"

TAXONOMY_FILE = DATA_DIR / "taxonomy.yml"
RESOURCES_FILE = DATA_DIR / "resources.yml"
SOURCES_FILE = DATA_DIR / "sources.yml"
GLOSSARY_FILE = DATA_DIR / "glossary.yml"
ALLOWED_CONTACTS_FILE = DATA_DIR / "allowed-contacts.yml"

CASE_STUDY_SCHEMA_FILE = SCHEMA_DIR / "case-study.schema.json"
RESOURCE_SCHEMA_FILE = SCHEMA_DIR / "resource.schema.json"
SOURCE_SCHEMA_FILE = SCHEMA_DIR / "source.schema.json"

TEMPLATE_FILE = CASE_STUDIES_DIR / "_template.md"


def display_path(path: Path) -> str:
    """The path as a contributor would type it: relative to the working directory if inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()

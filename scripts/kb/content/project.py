"""Where a project's files are. `kb` finds the project as mkdocs finds its configuration.

A project is a folder with `mkdocs.yml`; its case studies, data and schemas sit beside it. The
command line looks for the nearest `mkdocs.yml` at or above the working directory (or takes
`--config`), so `kb` run inside any checkout works on that checkout, whichever one it was
installed from. Nothing here is cached: `kb serve` sees every edit to the taxonomy or schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONFIG_NAME = "mkdocs.yml"


class ProjectNotFound(Exception):
    """No mkdocs.yml at or above the folder, or the configuration named does not exist."""


@dataclass(frozen=True)
class Project:
    """A checkout of the knowledge base: its root folder and the files in it."""

    root: Path

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def case_studies_dir(self) -> Path:
        return self.root / "case_studies"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def taxonomy_file(self) -> Path:
        return self.data_dir / "taxonomy.yml"

    @property
    def allowed_contacts_file(self) -> Path:
        return self.data_dir / "allowed-contacts.yml"

    @property
    def case_study_schema_file(self) -> Path:
        return self.schema_dir / "case-study.schema.json"

    @property
    def template_file(self) -> Path:
        return self.case_studies_dir / "_template.md"


def find_project(start: Path | None = None, config: Path | None = None) -> Project:
    """The project of `config` (its folder), else of the nearest mkdocs.yml at or above `start`.

    `start` defaults to the working directory. Raises ProjectNotFound with a message to print.
    """
    if config is not None:
        if not config.is_file():
            raise ProjectNotFound(f"{config}: no such configuration file")
        return Project(config.resolve().parent)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return Project(folder)
    raise ProjectNotFound(
        f"no {CONFIG_NAME} in {here} or any folder above it; run kb inside the knowledge base's "
        "folder, or give --config PATH/mkdocs.yml"
    )


def display_path(path: Path) -> str:
    """The path as a contributor would type it: relative to the working directory if inside it."""
    try:
        # The folder resolved, not the file: a symbolic link (even a looping one) keeps its name.
        resolved = path.parent.resolve() / path.name
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return path.as_posix()

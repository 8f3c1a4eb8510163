"""The package's layers hold, and kb leans on no private part of mkdocs, Markdown or the theme.

Layers, top to bottom (a module may import only from layers below its own; modules on one
line, split by '|', may not import each other):

    kb.commands | kb.plugin
    kb.build
    kb.search
    kb.site
    kb.coverage | kb.contrib
    kb.content
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.project import ROOT

PACKAGE = ROOT / "scripts" / "kb"
LAYERS = [
    "kb.commands | kb.plugin",
    "kb.build",
    "kb.search",
    "kb.site",
    "kb.coverage | kb.contrib",
    "kb.content",
]
#: Libraries whose private names (starting '_') kb must not use: they change without notice.
LIBRARIES = {"mkdocs", "markdown", "material"}


def lint_imports(tmp_path: Path, layers: list[str]) -> subprocess.CompletedProcess:
    """Run import-linter with a layers contract written to a temporary configuration file."""
    listed = "".join(f"\n    {layer}" for layer in layers)
    config = tmp_path / "importlinter.ini"
    config.write_text(
        "[importlinter]\nroot_package = kb\n\n"
        "[importlinter:contract:layers]\nname = kb's layers\ntype = layers\n"
        f"layers ={listed}\n",
        encoding="utf-8",
    )
    command = Path(sys.executable).with_name("lint-imports")
    if not command.exists():
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    return subprocess.run(
        # The configuration file as the positional argument: `--config FILE` is deprecated.
        [str(command), str(config), "--no-cache", "--no-logo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")},
    )


def test_every_layer_imports_only_from_the_layers_below_it(tmp_path: Path) -> None:
    result = lint_imports(tmp_path, LAYERS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_the_layers_contract_notices_a_broken_layer(tmp_path: Path) -> None:
    """The same check with kb.content put on top must fail: the contract really is checked."""
    result = lint_imports(tmp_path, ["kb.content", *LAYERS[:-1]])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 1 broken." in result.stdout


def private_uses(path: Path) -> list[str]:
    """Where the module at `path` imports or reads a private name of mkdocs, markdown or material."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    bound: set[str] = set()  # local names bound to one of the libraries or their modules

    def private(dotted: str) -> bool:
        return any(part.startswith("_") for part in dotted.split("."))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in LIBRARIES:
                    bound.add(alias.asname or alias.name.split(".")[0])
                    if private(alias.name):
                        found.append(f"{path.name}:{node.lineno}: import {alias.name}")
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and node.module.split(".")[0] in LIBRARIES
        ):
            for alias in node.names:
                bound.add(alias.asname or alias.name)
                if private(node.module) or alias.name.startswith("_"):
                    found.append(
                        f"{path.name}:{node.lineno}: from {node.module} import {alias.name}"
                    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            root = node.value
            while isinstance(root, ast.Attribute | ast.Call | ast.Subscript):
                root = root.func if isinstance(root, ast.Call) else root.value
            if isinstance(root, ast.Name) and root.id in bound and not node.attr.startswith("__"):
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return sorted(found, key=lambda use: int(use.split(":")[1]))


def test_no_module_uses_a_private_name_of_mkdocs_markdown_or_material() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 30
    assert [use for path in modules for use in private_uses(path)] == []


def test_the_private_name_check_finds_each_kind_of_use(tmp_path: Path) -> None:
    module = tmp_path / "uses.py"
    module.write_text(
        "import markdown\n"
        "import mkdocs.structure._private\n"
        "from material.plugins import _helper\n"
        "from mkdocs.utils import _internal as public\n"
        "from mkdocs.commands.build import build\n"
        "markdown.Markdown()._reset()\n"
        "build._cache\n"
        "other._fine\n",
        encoding="utf-8",
    )
    assert private_uses(module) == [
        "uses.py:2: import mkdocs.structure._private",
        "uses.py:3: from material.plugins import _helper",
        "uses.py:4: from mkdocs.utils import _internal",
        "uses.py:6: markdown.Markdown()._reset",
        "uses.py:7: build._cache",
    ]

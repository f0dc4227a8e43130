"""dvc.yaml declares, for each stage, exactly the library modules its script runs.

A stage missing a module would not rerun when that module changes (stale results); an extra one
would rerun for nothing. Imports are followed transitively through the installed `alskit` package
(``src/alskit``). Package ``__init__`` files hold only their docstrings, so they are not dependencies.
"""
import ast
from pathlib import Path

import yaml

from conftest import REPO

SRC = REPO / "src"
PACKAGE = SRC / "alskit"


def module_file(dotted: str) -> Path | None:
    """``src/alskit/bdb/models.py`` for ``alskit.bdb.models``; None for a package or a name that is no module."""
    path = SRC.joinpath(*dotted.split(".")).with_suffix(".py")
    return path if path.exists() else None


def alskit_imports(path: Path) -> set[Path]:
    """Module files of `alskit` that the file at ``path`` imports directly."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "alskit":
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name.split(".")[0] == "alskit"]
        assert not (isinstance(node, ast.ImportFrom) and node.level), f"{path}: relative import; use alskit.<...>"
        found |= {file for file in map(module_file, names) if file is not None}
    return found


def closure(path: Path) -> set[Path]:
    todo, seen = list(alskit_imports(path)), set()
    while todo:
        file = todo.pop()
        if file not in seen:
            seen.add(file)
            todo.extend(alskit_imports(file))
    return seen


def test_every_stage_depends_on_the_modules_it_imports():
    stages = yaml.safe_load((REPO / "dvc.yaml").read_text())["stages"]
    assert stages
    for name, stage in stages.items():
        body = stage.get("do", stage)
        deps = body["deps"]
        scripts = [d for d in deps if d.startswith("stages/") and d.count("/") == 1]
        assert len(scripts) == 1, f"{name}: expected its script among deps"
        assert body["cmd"].startswith(f"python {scripts[0]} "), f"{name}: cmd does not run {scripts[0]}"
        declared = {REPO / d for d in deps if d.startswith("src/")}
        assert declared, f"{name}: no library deps"
        assert declared == closure(REPO / scripts[0]), f"{name}: library deps differ from its imports"


def test_package_inits_hold_only_docstrings():
    """An ``__init__`` runs on every import of its package but is no declared dependency: it must do nothing."""
    for init in PACKAGE.rglob("__init__.py"):
        body = ast.parse(init.read_text()).body
        assert len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant), init


def test_the_closure_follows_imports_through_the_study_packages():
    """A stage importing a study module depends on what that module imports from ``common``."""
    found = closure(REPO / "stages" / "bdb_spread.py")
    assert PACKAGE / "bdb" / "spread.py" in found
    assert PACKAGE / "bdb" / "synthetic.py" in found      # through alskit.bdb.spread
    assert PACKAGE / "common" / "cli.py" in found          # through almost everything
    assert not any(p.parts[-2] in ("voice", "prognosis") for p in found)

"""dvc.yaml declares, for each stage, exactly the library modules its script runs.

A stage missing a module would not rerun when that module changes (stale results); an extra one
would rerun for nothing. Imports are followed transitively through the `alskit` package.
"""
import ast
from pathlib import Path

import yaml

from conftest import REPO

PACKAGE = REPO / "stages" / "alskit"


def alskit_imports(path: Path) -> set[str]:
    """Modules of `alskit` that the file at ``path`` imports directly."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.module == "alskit" or (node.level == 1 and node.module is None):
                found |= {alias.name for alias in node.names}
            elif node.module and node.module.startswith("alskit."):
                found.add(node.module.split(".")[1])
            elif node.level == 1 and node.module:
                found.add(node.module)
    return {name for name in found if (PACKAGE / f"{name}.py").exists()}


def closure(path: Path) -> set[str]:
    todo, seen = list(alskit_imports(path)), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(alskit_imports(PACKAGE / f"{name}.py"))
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
        declared = {Path(d).stem for d in deps if d.startswith("stages/alskit/")}
        assert declared == closure(REPO / scripts[0]), f"{name}: library deps differ from its imports"

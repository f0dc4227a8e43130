"""Write what dvc.yaml reads from the code, so that nobody types it: each stage's library dependencies from its
script's imports, and the registries' variables (chart titles and axes, headline runs) in ``.dvc/registry.yaml``
(:mod:`alskit.registry`).

A stage depends on exactly the modules of ``src/alskit`` that its script imports, followed transitively (a stage
missing one would not rerun when it changes; an extra one would rerun for nothing; changing a voice module never
retrains the BDB network). This tool keeps the deps a person wrote (data, the stage script) in their order and
replaces every ``src/`` path with the script's import closure, sorted, from a new line of one flow list wrapped at
120 columns:

    deps: [data/bdb/clean.csv, stages/bdb_encode.py,
           src/alskit/bdb/cohort.py, src/alskit/common/cli.py, ...]

Package ``__init__`` files hold only their docstrings (a test checks), so they are no dependencies.

Usage: python tools/dvc_deps.py [--check] [FILE]   (make deps; FILE: dvc.yaml at the repository's root)
  (no option)  rewrite the deps of FILE and the registry variables beside it
  --check      change nothing; exit 1 naming the first stage whose deps differ from its imports, or a stale
               registry file
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from generated import write_or_check

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
WIDTH = 120
# A stage's `deps:` key and its value: a flow list (possibly wrapped) or the block list under it.
DEPS = re.compile(r"^(?P<indent> +)deps:(?: \[(?P<flow>[^\]]*)\]\n|\n(?P<block>(?:(?P=indent)  - .*\n)+))",
                  re.MULTILINE)
SCRIPT = re.compile(r"python (stages/\w+\.py) ")


def module_file(dotted: str) -> Path | None:
    """``src/alskit/bdb/models.py`` for ``alskit.bdb.models``; None for a package or a name that is no module."""
    path = SRC.joinpath(*dotted.split(".")).with_suffix(".py")
    return path if path.exists() else None


def alskit_imports(path: Path) -> set[Path]:
    """Module files of `alskit` that the file at ``path`` imports directly (absolute imports only)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "alskit":
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name.split(".")[0] == "alskit"]
        if isinstance(node, ast.ImportFrom) and node.level:
            raise SystemExit(f"{path}: relative import; use alskit.<...>")
        found |= {file for file in map(module_file, names) if file is not None}
    return found


def closure(path: Path) -> set[Path]:
    """Every `alskit` module file that running ``path`` imports, directly or through other modules."""
    todo, seen = list(alskit_imports(path)), set()
    while todo:
        file = todo.pop()
        if file not in seen:
            seen.add(file)
            todo.extend(alskit_imports(file))
    return seen


def items(match: re.Match) -> list[str]:
    """The deps a match holds, unquoted, in their order."""
    if match["flow"] is not None:
        return [item.strip().strip("'\"") for item in match["flow"].replace("\n", " ").split(",") if item.strip()]
    return [line.strip()[2:].strip("'\"") for line in match["block"].splitlines()]


def flow(indent: str, kept: list[str], library: list[str]) -> str:
    """``deps: [...]`` with the deps a person wrote on the first line(s) and the library from a new line, wrapped
    at WIDTH, continuation lines under the first item; ``${...}`` quoted for YAML."""
    lead = f"{indent}deps: ["
    quoted = [f"'{dep}'" if "{" in dep else dep for dep in kept + library]
    lines, line = [], lead
    for index, dep in enumerate(quoted):
        piece = dep + ("]" if index == len(quoted) - 1 else ",")
        if line != lead and (len(line) + 1 + len(piece) > WIDTH or index == len(kept)):
            lines.append(line)
            line = " " * len(lead) + piece
        else:
            line += ("" if line == lead else " ") + piece
    return "\n".join(lines + [line]) + "\n"


def rewritten(text: str) -> tuple[str, list[str]]:
    """dvc.yaml's text with every stage's library deps from its imports, and the stages that changed."""
    changed, pieces, end = [], [], 0
    for match in DEPS.finditer(text):
        script = SCRIPT.findall(text, text.rfind("cmd:", 0, match.start()), match.start())
        if len(script) != 1:
            raise SystemExit(f"dvc.yaml line {text.count(chr(10), 0, match.start()) + 1}: "
                             "expected one `python stages/<name>.py` command before these deps")
        old = items(match)
        kept = [dep for dep in old if not dep.startswith("src/")]
        library = sorted(str(file.relative_to(REPO)) for file in closure(REPO / script[0]))
        if set(old) - set(kept) != set(library):
            changed.append(script[0])
        pieces += [text[end:match.start()], flow(match["indent"], kept, library)]
        end = match.end()
    return "".join(pieces) + text[end:], changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    path = Path(next((arg for arg in argv if arg != "--check"), REPO / "dvc.yaml"))
    new, changed = rewritten(path.read_text())
    if not check:
        print(f"{path.name}: library deps written for every stage ({len(changed)} changed: "
              f"{', '.join(changed) or 'none'})")
    what = f"the deps of {changed[0]}'s stage differ from its imports" if changed else "deps not in the written form"
    stale = write_or_check(path, new, check, f"{path.name}: {what}; run `make deps`")
    from alskit import registry

    return stale or write_or_check(path.parent / registry.PATH, registry.render(), check,
                                   f"{registry.PATH}: differs from the registries (alskit.registry); run `make deps`")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Files the tools generate from the code (docs/architecture.md, dvc.yaml's library deps): written by the `make`
target, or, with ``--check`` (a test), compared with what the code would generate now."""
from __future__ import annotations

from pathlib import Path


def write_or_check(path: Path, text: str, check: bool, stale: str) -> int:
    """Write ``text`` to ``path``; with ``check`` change nothing and return 1 after printing ``stale`` (one line
    saying what differs and which `make` target rewrites it) when the file is not ``text``."""
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return 0
    if path.exists() and path.read_text() == text:
        return 0
    print(stale)
    return 1

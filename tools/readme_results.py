"""Copy sections of the generated report into README.md and the pages of docs/, so that every number and finding
they quote is the report's, generated from the metrics of the last `dvc repro` (never typed by hand).

Each document marks each copied block:

    <!-- report: Headline -->
    ...replaced by the body of the report section headed "## Headline"...
    <!-- /report -->

Usage: python tools/readme_results.py [--check]
  (no option)  rewrite the marked blocks of README.md and docs/*.md from reports/results.md
  --check      change nothing; exit 1 naming the first block that differs from the report
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"(<!-- report: (?P<heading>.+?) -->\n)(?P<body>.*?)(<!-- /report -->)", re.DOTALL)


def sections(report: str) -> dict[str, str]:
    """The report's ``## `` sections by heading, each body stripped of blank lines at both ends."""
    parts = re.split(r"^## (.+)\n", report, flags=re.MULTILINE)
    return {heading: body.strip("\n") for heading, body in zip(parts[1::2], parts[2::2])}


def documents() -> list[Path]:
    """The documents that may quote the report: README.md and the pages of docs/."""
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def link_prefix(path: str | Path) -> str:
    """Where ``reports/`` is, seen from the folder of the document at ``path`` (relative to the repository)."""
    depth = len(Path(path).relative_to(REPO).parts) - 1 if Path(path).is_absolute() else len(Path(path).parts) - 1
    return "../" * depth + "reports/"


def rendered(readme: str, report: str, reports: str = "reports/") -> str:
    """``readme`` with every marked block replaced by its report section; figure links made relative to the
    document (``reports``: the path of ``reports/`` from its folder; the report links them from ``reports/``)."""
    found = sections(report)

    def body(match: re.Match) -> str:
        heading = match["heading"]
        if heading not in found:
            raise SystemExit(f"README.md: block '{heading}' names no section of reports/results.md "
                             f"(sections: {', '.join(found)})")
        text = found[heading].replace("](figures/", f"]({reports}figures/")
        return f"{match.group(1)}{text}\n{match.group(4)}"

    return BLOCK.sub(body, readme)


def stale_block(readme: str, report: str, reports: str = "reports/") -> str | None:
    """The heading of the first marked block whose text differs from the report's, or None."""
    current = {m["heading"]: m["body"] for m in BLOCK.finditer(readme)}
    fresh = {m["heading"]: m["body"] for m in BLOCK.finditer(rendered(readme, report, reports))}
    return next((heading for heading in current if current[heading] != fresh[heading]), None)


def main(argv: list[str]) -> int:
    report = (REPO / "reports" / "results.md").read_text()
    if argv not in ([], ["--check"]):
        print(__doc__.split("\n\n")[-1])
        return 2
    for path in documents():
        text, prefix = path.read_text(), link_prefix(path)
        if argv == ["--check"]:
            stale = stale_block(text, report, prefix)
            if stale:
                print(f"{path.relative_to(REPO)}: block '{stale}' differs from reports/results.md; run make readme")
                return 1
        elif BLOCK.search(text):
            path.write_text(rendered(text, report, prefix))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

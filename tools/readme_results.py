"""Copy sections of the generated report into README.md, so that every number and finding the README quotes is
the report's, generated from the metrics of the last `dvc repro` (never typed by hand).

README.md marks each copied block:

    <!-- report: Headline -->
    ...replaced by the body of the report section headed "## Headline"...
    <!-- /report -->

Usage: python tools/readme_results.py [--check]
  (no option)  rewrite the marked blocks of README.md from reports/results.md
  --check      change nothing; exit 1 naming the first block that differs from the report (tests run this)
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


def rendered(readme: str, report: str) -> str:
    """``readme`` with every marked block replaced by its report section; figure links made relative to the
    repository root (the report links them from ``reports/``)."""
    found = sections(report)

    def body(match: re.Match) -> str:
        heading = match["heading"]
        if heading not in found:
            raise SystemExit(f"README.md: block '{heading}' names no section of reports/results.md "
                             f"(sections: {', '.join(found)})")
        text = found[heading].replace("](figures/", "](reports/figures/")
        return f"{match.group(1)}{text}\n{match.group(4)}"

    return BLOCK.sub(body, readme)


def stale_block(readme: str, report: str) -> str | None:
    """The heading of the first marked block whose text differs from the report's, or None."""
    current = {m["heading"]: m["body"] for m in BLOCK.finditer(readme)}
    fresh = {m["heading"]: m["body"] for m in BLOCK.finditer(rendered(readme, report))}
    return next((heading for heading in current if current[heading] != fresh[heading]), None)


def main(argv: list[str]) -> int:
    readme_path, report_path = REPO / "README.md", REPO / "reports" / "results.md"
    readme, report = readme_path.read_text(), report_path.read_text()
    if argv == ["--check"]:
        stale = stale_block(readme, report)
        if stale:
            print(f"README.md: block '{stale}' differs from reports/results.md; run python tools/readme_results.py")
            return 1
        return 0
    if argv:
        print(__doc__.split("\n\n")[-1])
        return 2
    readme_path.write_text(rendered(readme, report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

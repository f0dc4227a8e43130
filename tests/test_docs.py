"""README.md and docs/ say no result in numbers typed by hand: a metric value (a score, a rate, an interval, a
difference) is either inside a block the report generates (checked against the committed report by
tests/test_readme.py) or a link to the report, so it cannot go stale. Prose lines stay within 120 characters."""
import re
import sys

import pytest

from conftest import REPO

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
METRIC = (r"(?:AUROC|AUC|accuracy|F1|precision|recall|Brier(?: score)?|sensitivity|specificity|"
          r"average precision|log loss)")
NUMBER = r"(?:\d*\.\d+|\d+(?:\.\d+)?%)"
RESULT = [
    re.compile(rf"\b{METRIC}\b[^.;:()\n]{{0,25}}?(?:of |=|: |\s)\s*(?P<value>{NUMBER})", re.IGNORECASE),
    re.compile(rf"(?P<value>\[{NUMBER}, {NUMBER}\])"),                  # an interval
    re.compile(rf"(?P<value>{NUMBER} ± {NUMBER})"),                     # a CV mean and sd
    re.compile(r"(?<![\w.=/-])(?P<value>[01]\.\d{3})(?![\w.])"),          # a three-decimal score
]
# Values that are definitions, not results: chance AUROC and balanced accuracy, a perfect score, the intervals' level.
DEFINITIONS = {"0.5", "0.50", "1", "1.0", "95%"}
BLOCK = re.compile(r"<!-- report: .+? -->\n.*?<!-- /report -->", re.DOTALL)
FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
CODE = re.compile(r"`[^`\n]*`")


def prose(text: str) -> str:
    """``text`` without report blocks, fenced code and inline code, line numbers kept."""
    for pattern in (BLOCK, FENCE):
        text = pattern.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return CODE.sub("``", text)


def hand_typed_results(text: str) -> list[tuple[int, str]]:
    """``(line number, value)`` of every metric value in the prose of ``text``."""
    found = []
    for number, line in enumerate(prose(text).split("\n"), 1):
        for pattern in RESULT:
            for match in pattern.finditer(line):
                if match["value"] not in DEFINITIONS:
                    found.append((number, match["value"]))
    return found


@pytest.mark.parametrize("text", [
    "The fusion reaches 0.733 ± 0.045 per subject.",
    "per-subject AUROC of 0.87-0.90, not 1.0",
    "balanced accuracy 0.749 [0.612, 0.885]",
    "The paper's accuracy of 85.2% is not reached.",
    "BDB LightGBM x20 test AUROC 0.920 -> 0.902",
    "synthetic minus real: 0.394",
])
def test_a_hand_typed_result_is_found(text):
    assert hand_typed_results(text), text


@pytest.mark.parametrize("text", [
    "Chance is AUROC 0.5; a perfect model scores 1.0.",
    "Adam with learning rate 1e-4, dropout 0.3, patience 5 on 2 cores in 81 s.",
    "<!-- report: Headline -->\n| AUROC | 0.888 [0.750, 0.986] |\n<!-- /report -->",
    "Run `dvc exp run -S bdb.train.threshold=0.425` first.",
    "```bash\ndvc metrics diff | grep 0.888\n```",
])
def test_definitions_parameters_code_and_report_blocks_pass(text):
    assert not hand_typed_results(text), text


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_result_is_typed_by_hand(path):
    found = hand_typed_results(path.read_text())
    assert not found, (f"{path.relative_to(REPO)}: metric values typed by hand (line, value): {found[:8]}; "
                       "quote them through a report block or link to reports/results.md")


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_prose_lines_fit_120_columns(path):
    """Table rows copied from the report may be wider (their width follows the numbers)."""
    text = BLOCK.sub("", path.read_text())
    wide = [n for n, line in enumerate(text.split("\n"), 1) if len(line) > 120 and not line.startswith("|")]
    assert not wide, f"{path.relative_to(REPO)}: lines over 120 characters: {wide[:10]}"


def test_the_readme_is_short_and_links_every_docs_page():
    """At most about 250 lines, none over 120 characters, tables included, outside the blocks the report writes."""
    readme = (REPO / "README.md").read_text()
    assert len(readme.split("\n")) <= 250
    wide = [line[:40] for line in BLOCK.sub("", readme).split("\n") if len(line) > 120]
    assert not wide, f"README.md: lines over 120 characters outside the report's blocks: {wide}"
    for page in (REPO / "docs").glob("*.md"):
        assert f"docs/{page.name}" in readme, f"README.md does not link docs/{page.name}"


def test_relative_links_in_readme_and_docs_lead_to_files():
    for path in DOCUMENTS:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text()):
            if not re.match(r"[a-z]+://", target):
                assert (path.parent / target).exists(), f"{path.relative_to(REPO)}: broken link {target}"


def test_the_architecture_page_is_generated_from_the_code():
    """docs/architecture.md lists every module with its docstring's first sentence (tools/architecture.py)."""
    sys.path.insert(0, str(REPO / "tools"))
    import architecture
    page = (REPO / "docs" / "architecture.md").read_text()
    assert page == architecture.page(), "docs/architecture.md is stale: run `make architecture`"
    rows = set(re.findall(r"^\| `([^`]+)` \|", page, flags=re.MULTILINE))
    modules = {str(p.relative_to(REPO / "src" / "alskit")) for p in (REPO / "src" / "alskit").rglob("[!_]*.py")}
    assert modules | {p.name for p in (REPO / "stages").glob("*.py")} <= rows
    assert "| `voice/grid.py` | Seed 002, IV.D / Table 4: the grid of CNN scenarios x dropout rates" in page

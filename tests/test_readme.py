"""README.md quotes the report's numbers only through blocks copied by tools/readme_results.py."""
import sys

import pytest

from conftest import REPO, committed

sys.path.insert(0, str(REPO / "tools"))
import readme_results  # noqa: E402

REPORT = """# Results

## Headline

| a | b |
|---|---|
| 1 | 2 |

## Study 1

The synthesizer is fit on 16 real rows.

![ROC](figures/roc.png)
"""


def test_blocks_are_replaced_by_their_report_sections_with_links_from_the_repository_root():
    readme = "intro\n<!-- report: Study 1 -->\nold text\n<!-- /report -->\noutro\n"
    assert readme_results.rendered(readme, REPORT) == (
        "intro\n<!-- report: Study 1 -->\nThe synthesizer is fit on 16 real rows.\n\n"
        "![ROC](reports/figures/roc.png)\n<!-- /report -->\noutro\n")
    assert readme_results.stale_block(readme, REPORT) == "Study 1"
    fresh = readme_results.rendered(readme, REPORT)
    assert readme_results.stale_block(fresh, REPORT) is None


def test_a_block_naming_no_report_section_stops_with_its_name():
    with pytest.raises(SystemExit, match="block 'Study 9' names no section"):
        readme_results.rendered("<!-- report: Study 9 -->\n<!-- /report -->\n", REPORT)


def test_the_committed_readme_quotes_the_committed_report():
    readme, report = committed("README.md").decode(), committed("reports/results.md").decode()
    assert readme.count("<!-- report: ") >= 2
    assert readme_results.stale_block(readme, report) is None, "run `make readme` after `dvc repro`"

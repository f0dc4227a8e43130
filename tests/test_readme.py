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


def test_figure_links_are_relative_to_each_document():
    assert readme_results.link_prefix("README.md") == "reports/"
    assert readme_results.link_prefix("docs/bdb.md") == "../reports/"
    readme = "<!-- report: Study 1 -->\n<!-- /report -->\n"
    assert "](../reports/figures/roc.png)" in readme_results.rendered(readme, REPORT, "../reports/")


def test_the_committed_documents_quote_the_committed_report():
    """README.md and every page of docs/ as git holds them (a `dvc repro` on another CPU rewrites the report in
    the working tree; that must not fail this test): each marked block equals its committed report section."""
    report = committed("reports/results.md").decode()
    quoting = 0
    for path in readme_results.documents():
        name = str(path.relative_to(REPO))
        text = committed(name).decode()
        quoting += text.count("<!-- report: ")
        assert readme_results.stale_block(text, report, readme_results.link_prefix(name)) is None, \
            f"{name}: run `make readme` after `dvc repro`"
    assert quoting >= 4, "the README's headline and each study's page quote the report"

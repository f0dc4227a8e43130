"""The results report: for each study, the paper's numbers beside this pipeline's (with 95% bootstrap
intervals over subjects) and the audit findings, with ROC, confusion and training-curve figures.

Usage: python stages/results_report.py PAPER_NUMBERS_YAML METRICS_DIR PLOTS_DIR REPORT_DIR
Writes REPORT_DIR/results.md (figures linked from REPORT_DIR/figures/) and REPORT_DIR/results.html (figures
embedded, opens offline).
"""
import logging
from pathlib import Path

from alskit import results
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs

log = logging.getLogger("alskit")


def main(paper_path: str, metrics_dir: str, plots_dir: str, report_dir: str) -> None:
    papers, folder = results.read_papers(paper_path), Path(report_dir)
    with AtomicOutputs() as out:
        figures = out.directory(folder / "figures")
        doc = results.document(papers, Path(metrics_dir), Path(plots_dir), figures)
        out.text(doc.markdown(base=figures.parent).replace(f"{figures.name}/", "figures/"), folder / "results.md")
        out.text(doc.html(), folder / "results.html")
    log.info("wrote %s and %s", folder / "results.md", folder / "results.html")


if __name__ == "__main__":
    run(main)

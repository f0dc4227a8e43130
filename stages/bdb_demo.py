"""Write the demo BDB cohort in the Modena workbook layout (docs/data.md, study 1).

Usage: python stages/bdb_demo.py OUTPUT.xlsx
"""
import logging

from alskit.bdb import cohort as bdb, config, demo as demo_bdb
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs

log = logging.getLogger("alskit")


def main(output: str) -> None:
    cohort = demo_bdb.make_cohort(**config.load().demo.model_dump())
    with AtomicOutputs() as out:
        out.excel(cohort, output)
    log.info("wrote %d subjects (%s) to %s", len(cohort), bdb.class_counts(cohort[bdb.LABEL]), output)


if __name__ == "__main__":
    run(main)

"""Seed 001, II.C: read the workbook cell by cell (missing tokens, stray text, censored values, decimal commas),
keep the ID only as the row label, drop incomplete rows; count everything per column and per class.

Usage: python stages/bdb_clean.py RAW_TABLE CLEAN_CSV CLEANING_METRICS_JSON
"""
import logging

from alskit.bdb import cohort, config, records as bdb_records
from alskit.common import records, tables
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs

log = logging.getLogger("alskit")


def main(raw_path: str, clean_path: str, metrics_path: str) -> None:
    cfg = config.load()
    options = cfg.read.at("bdb.read")
    raw = tables.read_table(raw_path, options)
    log.info("read %d rows x %d columns from %s", *raw.shape, raw_path)
    clean, report = cohort.clean(raw, options, cfg.clean.min_rows_per_class, source=raw_path)
    for kind, columns in report["cells"].items():
        log.info("%s cells: %d (%s)", kind, sum(sum(c.values()) for c in columns.values()),
                 ", ".join(f"{column} {sum(c.values())}" for column, c in columns.items()))
    log.info("rows per class %s -> %s; dropped %s", report["class_counts_in"], report["class_counts_out"],
             report["rows_dropped"])
    if report["class_bias"]["flag"]:
        log.info("cleaning removed a larger share of one class (%s, Fisher p = %.2g): the cleaned table no "
                 "longer has the file's class mix", report["class_bias"]["dropped_share"],
                 report["class_bias"]["p_value"])
    with AtomicOutputs() as out:
        out.csv(clean, clean_path, index=True)
        out.json(records.checked(bdb_records.Cleaning, report), metrics_path)


if __name__ == "__main__":
    run(main)

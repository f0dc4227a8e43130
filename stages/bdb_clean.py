"""Seed 001, II.C: drop the ID as a feature, turn #!NULL / empty / stray text into missing, drop incomplete rows.

Usage: python stages/bdb_clean.py RAW_TABLE CLEAN_CSV CLEANING_METRICS_JSON
"""
import logging

from alskit import bdb
from alskit.cli import load_params, param, run
from alskit.io import AtomicOutputs, read_table

log = logging.getLogger("alskit")


def main(raw_path: str, clean_path: str, metrics_path: str) -> None:
    params = load_params()
    tokens = param(params, "bdb.clean.missing_tokens", list, expected="a list of strings")
    min_rows = param(params, "bdb.clean.min_rows_per_class", int, lambda v: v >= 2, "an integer >= 2")
    raw = read_table(raw_path)
    log.info("read %d rows x %d columns from %s", *raw.shape, raw_path)
    clean, report = bdb.clean(raw, tokens, min_rows, source=raw_path)
    log.info("missing tokens: %d cells, empty: %d, stray text coerced: %d",
             report["missing_token_cells"], report["empty_cells"], report["coerced_cells"])
    log.info("rows per class %s -> %s", report["class_counts_in"], report["class_counts_out"])
    with AtomicOutputs() as out:
        out.csv(clean, clean_path, index=True)
        out.json(report, metrics_path)


if __name__ == "__main__":
    run(main)

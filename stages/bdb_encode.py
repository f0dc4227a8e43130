"""Seed 001, II.C: encode Sesso (M=1, F=0) and Disease (ALS=1, HEALTHY=0).

Usage: python stages/bdb_encode.py CLEAN_CSV ENCODED_CSV
"""
import logging

from alskit.bdb import cohort
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(clean_path: str, encoded_path: str) -> None:
    clean = read_csv(clean_path, index_col=cohort.ID)
    encoded = cohort.encode(clean, source=clean_path)
    log.info("encoded %d rows: %s", len(encoded), cohort.coded_counts(encoded[cohort.LABEL]))
    with AtomicOutputs() as out:
        out.csv(encoded, encoded_path, index=True)


if __name__ == "__main__":
    run(main)

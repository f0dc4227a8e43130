"""Seed 000, section 3 (data cleaning): map the user's columns, parse every cell, remove duplicate rows, report
what was done per column and per outcome class, and missingness.

Usage: python stages/prognosis_clean.py RAW_TABLE CLEAN_CSV CLEANING_METRICS_JSON
Missing values stay missing here; they are imputed from training rows only, inside every model pipeline.
"""
import logging

from alskit.common import records, tables
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs
from alskit.prognosis import cohort, config, records as prognosis_records

log = logging.getLogger("alskit")


def main(raw_path: str, clean_path: str, metrics_path: str) -> None:
    cfg = config.load()
    options = cfg.read.at("prognosis.read")
    raw = tables.read_table(raw_path, options)
    clean, report = cohort.clean(raw, cohort.schema_from_config(cfg), raw_path, options, cfg.recode)
    log.info("%d rows in; %d duplicate rows and %d without an outcome removed; %d patients (%s)",
             report["rows_in"], report["duplicate_rows_removed"], report["no_outcome_removed"],
             report["patients"], report["outcome"])
    log.info("missing cells by modality: %s", {m: f"{v:.1%}" for m, v in report["missing_share_by_modality"].items()})
    with AtomicOutputs() as out:
        out.csv(clean, clean_path, index=True)
        out.json(records.checked(prognosis_records.Cleaning, report), metrics_path)


if __name__ == "__main__":
    run(main)

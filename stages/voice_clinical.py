"""Seed 002, IV.B (clinical part): read the VOC-ALS clinical workbook into a tidy table, every cell accounted for.

Usage: python stages/voice_clinical.py VOC_ALS_ROOT CLINICAL_CSV CLINICAL_METRICS_JSON
Imputation, one-hot encoding and scaling are fitted later, inside each CV training fold.
"""
import logging
from pathlib import Path

from alskit.common import records
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs
from alskit.voice import config, records as voice_records, workbook

log = logging.getLogger("alskit")


def main(root: str, clinical_path: str, metrics_path: str) -> None:
    settings = config.load().clinical
    read = settings.read.at("voice.clinical.read")
    table, report = workbook.read_clinical(Path(root) / settings.workbook, settings.id_column, settings.label_column,
                                           settings.categorical, options=read)
    columns = [c for c in table.columns if c != "label"]
    controls, patients = table[table["label"] == 0], table[table["label"] == 1]
    blank_for_controls = [c for c in columns if controls[c].isna().all() and patients[c].notna().any()]
    report["blank_for_every_control"] = len(blank_for_controls)
    log.info("%d subjects %s, %d numeric + %d categorical columns", report["subjects"], report["class_counts"],
             report["numeric_columns"], report["categorical_columns"])
    for kind, per_column in report["cells"].items():
        log.info("%s cells: %d", kind, sum(sum(c.values()) for c in per_column.values()))
    log.info("%d columns are blank for every control (missing by design): %s", len(blank_for_controls),
             ", ".join(blank_for_controls))
    with AtomicOutputs() as out:
        out.csv(table, clinical_path, index=True)
        out.json(records.checked(voice_records.Clinical, report), metrics_path)


if __name__ == "__main__":
    run(main)

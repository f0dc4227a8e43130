"""Seed 002, IV.B (clinical part): read the VOC-ALS clinical workbook into a tidy table.

Usage: python stages/voice_clinical.py VOC_ALS_ROOT CLINICAL_CSV
Imputation, one-hot encoding and scaling are fitted later, inside each CV training fold.
"""
import logging
from pathlib import Path

import pandas as pd

from alskit import voice
from alskit.cli import UserError, load_params, param, run
from alskit.io import AtomicOutputs

log = logging.getLogger("alskit")


def main(root: str, clinical_path: str) -> None:
    params = load_params()
    workbook = Path(root) / param(params, "voice.clinical.workbook", str)
    label_column = param(params, "voice.clinical.label_column", str)
    clinical = voice.read_clinical(workbook, param(params, "voice.clinical.id_column", str), label_column)
    categorical = param(params, "voice.clinical.categorical", list)
    missing = [c for c in categorical if c not in clinical.columns]
    if missing:
        raise UserError(f"{workbook}: categorical column(s) {', '.join(map(repr, missing))} named in "
                        "voice.clinical.categorical are not on the header row")
    numeric = [c for c in clinical.columns if c not in categorical and c != label_column]
    before = clinical[numeric].isna()
    clinical[numeric] = clinical[numeric].apply(pd.to_numeric, errors="coerce")
    coerced = int((clinical[numeric].isna() & ~before).to_numpy().sum())
    table = pd.DataFrame({"label": clinical[label_column].map(voice.LABELS)}, index=clinical.index)
    table = table.join(clinical[numeric + categorical])
    table.index.name = "subject"
    by_class = clinical[label_column].value_counts().to_dict()
    blank_for_controls = [c for c in numeric + categorical
                          if table.loc[table["label"] == 0, c].isna().all() and table.loc[table["label"] == 1, c].notna().any()]
    log.info("%d subjects %s, %d numeric + %d categorical columns, %d text cells coerced to missing",
             len(table), by_class, len(numeric), len(categorical), coerced)
    log.info("%d columns are blank for every control (missing by design): %s", len(blank_for_controls),
             ", ".join(blank_for_controls))
    with AtomicOutputs() as out:
        out.csv(table, clinical_path, index=True)


if __name__ == "__main__":
    run(main)

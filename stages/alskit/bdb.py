"""The blood-derived biomarker (BDB) table: contract, cleaning, encoding, splitting.

Layout: ``../shared/DATA_CONTRACTS.md`` section 1 (the Modena workbook,
``Database_Features_ML.xlsx``). Methods: seed 001, section II.C-D.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from .cli import UserError

log = logging.getLogger("alskit")

ID = "ID Paziente"
SEX = "Sesso"
LABEL = "Disease"
AGE = "Età"
CYTOKINES = ["GCSF", "IFNgamma", "IL10", "IL15", "IL17A", "IL1beta", "IL2", "IL4", "IL6", "IL8",
             "MCP1", "MIP1alfa", "TNFalfa", "VEGF"]
TTV = ["TTVlog", "TTVcopies"]
FATTY_ACIDS = ["acetic", "Propionic", "Butyric", "isoButyric", "isoValeric", "@MethylButyric", "valeric",
               "Hexanoic", "Heptanoic", "Nonanoic", "@EthylHexanoic", "Octanoic", "Decanoic", "Benzoic",
               "Dodecanoic", "Tetradecanoic", "Hexadecanoic", "Octadecanoic"]
COLUMNS = [ID, SEX, LABEL, AGE, *CYTOKINES, *TTV, *FATTY_ACIDS]
NUMERIC = [AGE, *CYTOKINES, *TTV, *FATTY_ACIDS]
LABELS = {"ALS": 1, "HEALTHY": 0}
SEXES = {"M": 1, "F": 0}


def check_columns(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Return ``frame`` with exactly the contract's 38 columns in order; name any that are missing."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise UserError(f"{source}: missing column(s) {', '.join(repr(c) for c in missing)} "
                        f"(expected the 38 columns of DATA_CONTRACTS.md section 1)")
    extra = [str(c) for c in frame.columns if c not in COLUMNS]
    if extra:
        log.info("ignoring %d column(s) not in the contract: %s", len(extra), ", ".join(extra))
    return frame[COLUMNS]


def class_counts(labels: pd.Series) -> dict[str, int]:
    """Rows per class label, in a stable (sorted) order."""
    return {str(k): int(v) for k, v in sorted(labels.value_counts().items())}


def mark_missing(raw: pd.DataFrame, missing_tokens: list[str], source: str) -> tuple[pd.DataFrame, dict]:
    """The contract's columns with missing tokens, empty cells and stray text in numeric columns as NaN,
    and counts of each; one row per subject (a repeated ID is an error)."""
    frame = check_columns(raw, source).copy()
    frame[ID] = frame[ID].astype(str).str.strip()
    for column in (SEX, LABEL):
        frame[column] = frame[column].where(frame[column].isna(), frame[column].astype(str).str.strip())
    duplicated = frame[ID][frame[ID].duplicated()].unique()
    if len(duplicated):
        raise UserError(f"{source}: column '{ID}' repeats subject(s) {', '.join(duplicated[:5])}; "
                        "one row per subject is expected")
    empty = frame.isna()
    tokens = {t.strip() for t in missing_tokens}
    is_token = frame.apply(lambda col: col.map(lambda v: isinstance(v, str) and v.strip() in tokens))
    frame = frame.mask(is_token)
    before_na = frame[NUMERIC].isna()
    frame[NUMERIC] = frame[NUMERIC].apply(pd.to_numeric, errors="coerce")
    coerced = frame[NUMERIC].isna() & ~before_na
    report = {
        "rows_in": len(frame),
        "class_counts_in": class_counts(frame[LABEL].dropna()),
        "missing_token_cells": int(is_token.to_numpy().sum()),
        "empty_cells": int(empty.to_numpy().sum()),
        "coerced_cells": int(coerced.to_numpy().sum()),
        "coerced_by_column": {c: int(n) for c, n in coerced.sum().items() if n},
    }
    return frame, report


def clean(raw: pd.DataFrame, missing_tokens: list[str], min_rows_per_class: int,
          source: str) -> tuple[pd.DataFrame, dict]:
    """Seed 001's cleaning: missing tokens and stray text to NaN (:func:`mark_missing`), drop incomplete rows.

    Returns the complete rows indexed by subject ID (the ID is kept as the row
    label for audits, never as a feature) and a report of what was done.
    """
    frame, report = mark_missing(raw, missing_tokens, source)
    complete = frame.dropna().set_index(ID)
    report.update(rows_out=len(complete), rows_dropped=len(frame) - len(complete),
                  class_counts_out=class_counts(complete[LABEL]))
    for label in LABELS:
        kept = report["class_counts_out"].get(label, 0)
        if kept < min_rows_per_class:
            raise UserError(f"{source}: class '{label}' has {kept} complete row(s) after cleaning; "
                            f"at least {min_rows_per_class} are needed (bdb.clean.min_rows_per_class)")
    return complete, report


def encode(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """``Sesso`` M/F to 1/0 and ``Disease`` ALS/HEALTHY to 1/0; any other value is an error naming it."""
    encoded = frame.copy()
    for column, mapping in ((SEX, SEXES), (LABEL, LABELS)):
        values = encoded[column].astype(str).str.strip()
        unknown = sorted(set(values) - set(mapping))
        if unknown:
            raise UserError(f"{source}: column '{column}' has unknown value(s) {', '.join(map(repr, unknown))}; "
                            f"expected {' or '.join(mapping)}")
        encoded[column] = values.map(mapping).astype(int)
    return encoded


def split_per_class(frame: pd.DataFrame, train_fraction: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Send ``floor(n * train_fraction)`` rows of each class to train, the rest to test.

    With 97 ALS + 21 HEALTHY and 0.5 this gives 48 + 10 train and 49 + 11 test,
    as in the paper. Rows are subjects, so no subject is on both sides.
    """
    rng = np.random.default_rng(seed)
    train_ids: list = []
    for _, group in frame.groupby(LABEL, sort=True):
        n_train = int(np.floor(len(group) * train_fraction))
        train_ids.extend(rng.permutation(group.index.to_numpy())[:n_train])
    is_train = frame.index.isin(train_ids)
    return frame[is_train], frame[~is_train]


def undersample(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Randomly drop rows of the larger classes until every class has the smallest class's count."""
    rng = np.random.default_rng(seed)
    smallest = frame[LABEL].value_counts().min()
    keep = [rng.choice(group.index.to_numpy(), size=smallest, replace=False)
            for _, group in frame.groupby(LABEL, sort=True)]
    return frame.loc[frame.index.isin(np.concatenate(keep))]


def features_and_labels(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Split an encoded frame into the 36 feature columns and the 0/1 label vector."""
    return frame.drop(columns=[LABEL]), frame[LABEL].to_numpy(dtype=int)

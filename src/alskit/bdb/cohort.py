"""The blood-derived biomarker (BDB) table: contract, cleaning, encoding, splitting.

Layout: ``docs/data.md`` (study 1) (the Modena workbook,
``Database_Features_ML.xlsx``). Methods: seed 001, section II.C-D.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from alskit.common import tables
from alskit.common.errors import UserError
from alskit.common.config import Read

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
NON_NEGATIVE = set(NUMERIC) - {"TTVlog"}     # ages and concentrations; a log viral load may be below 0
LABELS = {"ALS": 1, "HEALTHY": 0}          # the workbook's Disease words and their codes (positive first)
CLASS_NAMES = {code: name for name, code in LABELS.items()}
SEXES = {"M": 1, "F": 0}


def check_columns(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Return ``frame`` with exactly the contract's 38 columns in order; name any that are missing."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise UserError(f"{source}: missing column(s) {', '.join(repr(c) for c in missing)} "
                        f"(expected the 38 columns of docs/data.md, study 1)")
    extra = [str(c) for c in frame.columns if c not in COLUMNS]
    if extra:
        log.info("ignoring %d column(s) not in the contract: %s", len(extra), ", ".join(extra))
    return frame[COLUMNS]


def class_counts(labels: pd.Series) -> dict[str, int]:
    """Rows per class label, in a stable (sorted) order."""
    return {str(k): int(v) for k, v in sorted(labels.value_counts().items())}


def coded_counts(codes: pd.Series) -> dict[str, int]:
    """Rows per class of an encoded label column (1/0), by class name, the positive class first."""
    return {name: int((codes == code).sum()) for name, code in LABELS.items()}


def mark_missing(raw: pd.DataFrame, options: Read, source: str) -> tuple[pd.DataFrame, dict]:
    """The contract's columns, one row per subject, every numeric cell a number or NaN, and what was done.

    Blank and footnote rows and rows without an ID are dropped (:func:`tables.drop_rows_without_data`); IDs are
    normalised (case, spaces) and must not repeat; ``Disease`` and ``Sesso`` are matched ignoring case and
    spaces (any other value is an error naming it); numeric cells are parsed under the ``bdb.read`` policies
    (:func:`tables.parse_numeric`: missing tokens, decimal commas, censored values, stray text). Concentrations
    cannot be negative. The report counts every substitution per column and per class.
    """
    frame = check_columns(raw, source).copy()
    ledger = tables.Ledger(frame[LABEL].map(lambda v: v if pd.isna(v) else str(v).strip().upper()))
    frame = tables.drop_rows_without_data(frame, ID, ledger, source)
    frame[ID] = tables.normalise_ids(frame[ID], ID, source)
    tables.repeated_ids(frame[ID], ID, source)
    for column in (LABEL, SEX):
        token = frame[column].map(lambda v: isinstance(v, str) and v.strip() in options.missing_tokens)
        ledger.cells("missing_token", column, token)
        ledger.cells("empty", column, frame[column].isna())
        frame[column] = frame[column].mask(token)
    frame[LABEL] = tables.normalise_labels(frame[LABEL], list(LABELS), LABEL, source, ledger)
    ledger.set_classes(frame[LABEL])
    frame[SEX] = tables.normalise_labels(frame[SEX], list(SEXES), SEX, source, ledger)
    frame[NUMERIC] = tables.parse_numeric(frame, NUMERIC, options, ledger, source, non_negative=NON_NEGATIVE)
    labelled = frame[LABEL].notna()
    ledger.rows("without_label", ~labelled)
    report = {"rows_in": len(raw), "class_counts_in": class_counts(frame[LABEL].dropna()), **ledger.report()}
    return frame, report


def clean(raw: pd.DataFrame, options: Read, min_rows_per_class: int,
          source: str) -> tuple[pd.DataFrame, dict]:
    """Seed 001's cleaning: every cell parsed (:func:`mark_missing`), then incomplete rows dropped.

    Returns the complete rows indexed by subject ID (the ID is kept as the row label for audits, never as a
    feature) and a report of what was done, per column and per class, with a flag when cleaning removed a
    larger share of one class than of the other (:func:`tables.class_bias`).
    """
    frame, report = mark_missing(raw, options, source)
    incomplete = frame.isna().any(axis=1)
    complete = frame[~incomplete].set_index(ID)
    ledger_rows = report["rows_dropped"]
    dropped = class_counts(frame.loc[incomplete & frame[LABEL].notna(), LABEL])
    if dropped:
        ledger_rows["incomplete"] = dropped
    report["rows_dropped"] = dict(sorted(ledger_rows.items()))
    report.update(rows_out=len(complete), class_counts_out=class_counts(complete[LABEL]))
    report["class_bias"] = tables.class_bias(report["class_counts_in"], report["class_counts_out"])
    for label in LABELS:
        kept = report["class_counts_out"].get(label, 0)
        if kept < min_rows_per_class:
            rows = frame[frame[LABEL] == label]
            cause = _incompleteness(rows)
            raise UserError(f"{source}: class '{label}' has {kept} complete row(s) after cleaning "
                            f"({len(rows)} in the file{cause}); at least {min_rows_per_class} are needed "
                            "(bdb.clean.min_rows_per_class)")
    return complete, report


def _incompleteness(rows: pd.DataFrame) -> str:
    """Why rows are incomplete: the column missing most often among them."""
    missing = rows.isna().sum()
    if not len(rows) or missing.max() == 0:
        return ""
    return f"; {int(rows.isna().any(axis=1).sum())} have a missing cell, most often in '{missing.idxmax()}' " \
           f"({int(missing.max())} rows)"


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


def without_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """A training set without its subject IDs: real rows carry the ID (kept for audits, never a feature),
    synthetic rows have none."""
    return frame.drop(columns=[ID], errors="ignore")


def features_and_labels(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Split an encoded frame into the 36 feature columns and the 0/1 label vector."""
    return frame.drop(columns=[LABEL]), frame[LABEL].to_numpy(dtype=int)


def matching_features(test: pd.DataFrame, train_features: pd.DataFrame, test_path: str,
                      train_path: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The test half's features and labels, refused unless its feature columns are the training set's, in
    the same order (a model would otherwise score shifted columns)."""
    X_test, y_test = features_and_labels(test)
    if list(X_test.columns) != list(train_features.columns):
        raise UserError(f"{test_path}: feature columns differ from those of {train_path}")
    return X_test, y_test

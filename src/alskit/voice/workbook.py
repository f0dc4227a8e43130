"""The VOC-ALS clinical workbook (docs/data.md, study 2): ``<root>/VOC-ALS.xlsx``, whose first row is a title and
second row the column names, read into a tidy table per subject with every cell accounted for; and the
preprocessing the multimodal network fits on each fold's training subjects.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from alskit.common import tables
from alskit.common.errors import UserError
from alskit.common.config import Read
from alskit.voice import config

log = logging.getLogger("alskit")


def read_clinical(path: str | Path, id_column: str, label_column: str, categorical: list[str] = (),
                  *, options: Read) -> tuple[pd.DataFrame, dict]:
    """The clinical workbook as a tidy table indexed by ``subject``: ``label`` (ALS 1, HC 0), then the numeric
    columns (every cell parsed under ``voice.clinical.read``), then the ``categorical`` ones; and a report of
    what was done, per column and per class.

    Rows without data (footnotes, blank rows) or without an ID are dropped and logged; IDs are normalised (case,
    spaces); ``Category`` is matched ignoring case. A column empty for every subject carries nothing: it is
    dropped, logged and counted (an audio-only cohort's sheet may hold only ID, Category, Sex and Age).
    """
    source = str(path)
    frame = tables.read_table(path, options)
    missing = [c for c in (id_column, label_column, *categorical) if c not in frame.columns]
    if missing:
        raise UserError(f"{path}: column(s) {', '.join(map(repr, missing))} named in params.yaml (voice.clinical) "
                        f"are not on the header row (row {options.header_row + 1})")
    ledger = tables.Ledger(frame[label_column].map(lambda v: v if pd.isna(v) else str(v).strip().upper()))
    frame = tables.drop_rows_without_data(frame, id_column, ledger, source)
    frame[id_column] = tables.normalise_ids(frame[id_column], id_column, source)
    tables.repeated_ids(frame[id_column], id_column, source)
    frame[label_column] = tables.normalise_labels(frame[label_column], list(config.CLASSES), label_column, source,
                                                  ledger)
    if frame[label_column].isna().any():
        raise UserError(f"{path}: column '{label_column}' is blank on row {frame.index[frame[label_column].isna()][0]}"
                        f"; expected {' or '.join(config.CLASSES)} for every subject")
    ledger.set_classes(frame[label_column])
    empty = [c for c in frame.columns if c not in (id_column, label_column) and frame[c].isna().all()]
    if empty:
        log.info("%s: dropped %d column(s) empty for every subject: %s", path, len(empty), ", ".join(empty))
        frame = frame.drop(columns=empty)
    categorical = [c for c in categorical if c not in empty]
    for column in categorical:
        frame[column] = tables.harmonise_categories(frame[column], column, source, ledger)
    numeric = [c for c in frame.columns if c not in (id_column, label_column, *categorical)]
    frame[numeric] = tables.parse_numeric(frame, numeric, options, ledger, source,
                                          hint="list the column in voice.clinical.categorical if it is a category, ")
    table = pd.DataFrame({"label": frame[label_column].map(config.CLASSES).to_numpy()},
                         index=pd.Index(frame[id_column], name="subject"))
    table = table.join(frame.set_index(id_column)[numeric + categorical].rename_axis("subject"))
    report = {"rows_in": len(frame), "subjects": len(table),
              "class_counts": {name: int((table["label"] == code).sum()) for name, code in config.CLASSES.items()},
              "numeric_columns": len(numeric), "categorical_columns": len(categorical),
              "empty_columns_dropped": len(empty), **ledger.report()}
    return table, report


def clinical_preprocessor(numeric: list[str], categorical: list[str], strategy: str, fill_value: float):
    """Seed 002, IV.B: impute numeric columns (constant 0 in the paper), one-hot the categories (a blank
    is its own category), then MinMax-scale everything. Unfitted: fit it on training rows only."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

    numeric_imputer = SimpleImputer(strategy=strategy, fill_value=fill_value if strategy == "constant" else None)
    categories = make_pipeline(SimpleImputer(strategy="constant", fill_value="blank"),
                               OneHotEncoder(handle_unknown="ignore", sparse_output=False))
    columns = ColumnTransformer([("numeric", numeric_imputer, numeric), ("categorical", categories, categorical)])
    return make_pipeline(columns, MinMaxScaler())

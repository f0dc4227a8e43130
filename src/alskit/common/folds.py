"""Cross-validation folds shared by the studies: stratified k-fold splits checked against the data, the held-out
fold of every row (the form in which out-of-fold predictions and the leakage audit record folds), and the
out-of-fold prediction table every study writes."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from alskit.common.errors import UserError


def check_fold_count(n_folds: int, labels: np.ndarray, param: str, data: str, subjects: np.ndarray | None = None,
                     each_class: bool = True) -> None:
    """The one check of a fold count against the data, for every study and split: a count the data cannot fill
    is an error naming ``param`` (where the count came from) and ``data`` (what is split), not sklearn's message.

    With ``each_class`` (the scored folds of a binary study), every fold must hold out at least one row of each
    class, or its AUROC cannot be computed: at most the smallest class. Without (a validation share, or severity
    levels of which one may be rarer than the folds), sklearn's own limit: at most the larger class and, for folds
    grouped by ``subjects``, at most the number of subjects."""
    counts = np.bincount(np.asarray(labels, dtype=int), minlength=2)
    if each_class:
        limit, within = int(counts.min()), f"the smallest class size of the {data} ({counts.min()})"
    else:
        limit, within = int(counts.max()), f"the larger class size of the {data} ({counts.max()})"
        if subjects is not None:
            limit = min(limit, len(set(subjects)))
            within += f" and its number of subjects ({len(set(subjects))})"
    if not 2 <= n_folds <= limit:
        raise UserError(f"params.yaml: {param} must be between 2 and {within}, got {n_folds}")


def stratified_splits(y: np.ndarray, n_folds: int, seed: int, param: str,
                      data: str = "training data") -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffled stratified k-fold splits (training rows, held-out rows) of labels ``y``, every fold holding out
    each class (:func:`check_fold_count`)."""
    check_fold_count(n_folds, y, param, data)
    return list(StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))


def fold_of_row(splits, n_rows: int) -> np.ndarray:
    """The fold (0..k-1) that holds out each of ``n_rows`` rows, for k splits (training rows, held-out rows);
    -1 for a row that no fold holds out."""
    folds = np.full(n_rows, -1)
    for k, (_, held_out) in enumerate(splits):
        folds[held_out] = k
    return folds


def predictions(fold, rows: np.ndarray, y_true: np.ndarray, p: np.ndarray) -> pd.DataFrame:
    """Out-of-fold predictions as every study keeps them: one row per held-out row, ``fold`` (from 0, or one
    number for a single fold's rows), ``row`` (the position in the input table), ``y_true`` and ``p`` (the
    probability of the positive class)."""
    return pd.DataFrame({"fold": fold, "row": rows, "y_true": y_true, "p": np.asarray(p, dtype=float)})

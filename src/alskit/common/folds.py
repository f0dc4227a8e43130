"""Cross-validation folds shared by the studies: stratified k-fold splits checked against the data, and the
held-out fold of every row (the form in which out-of-fold predictions and the leakage audit record folds)."""
from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedKFold

from alskit.common.cli import UserError


def stratified_splits(y: np.ndarray, n_folds: int, seed: int, param: str,
                      data: str = "training data") -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffled stratified k-fold splits (training rows, held-out rows) of labels ``y``.

    Every fold must hold out at least one row of each class, so ``n_folds`` may not exceed the smallest class:
    otherwise a fold's AUROC cannot be computed. The error names ``param`` (where ``n_folds`` came from) and
    ``data`` (what is being split) rather than sklearn's message."""
    smallest = int(np.bincount(y, minlength=2).min())
    if not 2 <= n_folds <= smallest:
        raise UserError(f"params.yaml: {param} must be between 2 and the smallest class size of the {data} "
                        f"({smallest}), got {n_folds}")
    return list(StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))


def fold_of_row(splits, n_rows: int) -> np.ndarray:
    """The fold (0..k-1) that holds out each of ``n_rows`` rows, for k splits (training rows, held-out rows);
    -1 for a row that no fold holds out."""
    folds = np.full(n_rows, -1)
    for k, (_, held_out) in enumerate(splits):
        folds[held_out] = k
    return folds

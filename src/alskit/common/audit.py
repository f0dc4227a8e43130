"""Leakage audits: is a reported number measuring the disease, or something the protocol let slip through?

Three questions, asked of every study:

1. Is any subject on both sides of a split or of two CV folds? (Must be none under the default protocols.)
2. Is any feature missing by design for one class (clinical scores left blank for every control)? Then "this
   cell is blank" is itself a label: how well does the missingness mask alone predict the class?
3. Was any fitted preprocessing step (imputer, scaler, encoder) fit on rows that include test rows? Checked by
   refitting a fresh copy on the training rows alone: same fit, same outputs; test rows in the fit would move
   medians, minima and maxima. (Test rows that moved nothing would have had no effect, and pass.)
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def subject_key(subject) -> str:
    """A subject ID as the readers normalise it (text, stripped, upper case), so that ``mo050 `` in one table
    and ``MO050`` in another count as one subject here even if a table skipped the readers."""
    return str(subject).strip().upper()


def subjects_on_both_sides(first: Iterable, second: Iterable) -> list[str]:
    """Subjects present in both collections (e.g. the training and test split), IDs normalised."""
    return sorted(set(map(subject_key, first)) & set(map(subject_key, second)))


def subjects_in_several_folds(subjects: Iterable, folds: Iterable) -> list[str]:
    """Subjects whose rows (recordings) fall in more than one CV fold."""
    frame = pd.DataFrame({"subject": list(map(subject_key, subjects)), "fold": list(folds)})
    spread = frame.groupby("subject")["fold"].nunique()
    return sorted(spread.index[spread > 1])


def missing_by_design(features: pd.DataFrame, labels: pd.Series, share: float) -> dict[str, str]:
    """Columns missing in at least ``share`` of one class's rows and in less than ``share`` of the other's:
    ``{column: the class it is missing for}``."""
    missing = features.isna().groupby(labels.to_numpy()).mean()
    found = {}
    for column in features.columns:
        blank = missing[column]
        if (blank >= share).sum() == 1:
            found[column] = str(blank.idxmax())
    return found


def missingness_auroc(features: pd.DataFrame, labels: np.ndarray, folds: int, seed: int,
                      groups: np.ndarray | None = None) -> float | None:
    """Out-of-fold AUROC of a logistic regression that sees only which cells are missing (each column's
    mask, and how many cells of the row are missing -- incomplete rows dropped more often in one class leak too).

    0.5 means missingness carries no information about the class; near 1 means the mask alone names it.
    Folds are stratified (and grouped by subject when ``groups`` is given). ``None`` when no cell is missing.
    """
    missing = features.isna().to_numpy(dtype=float)
    mask = np.column_stack([missing, missing.sum(axis=1), missing.any(axis=1)])
    mask = mask[:, mask.std(axis=0) > 0]
    if mask.shape[1] == 0:
        return None
    groups = np.arange(len(labels)) if groups is None else np.asarray(groups)
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    p = cross_val_predict(model, mask, labels, cv=splitter, groups=groups, method="predict_proba")[:, 1]
    return float(roc_auc_score(labels, p))


def fit_on_training_rows_only(fitted, train: pd.DataFrame, probe: pd.DataFrame) -> bool:
    """Whether ``fitted`` (a fitted transformer) behaves exactly like a fresh copy fit on ``train`` alone,
    judged on ``probe`` rows (training and test rows together, so that every fitted statistic is exercised)."""
    fresh = clone(fitted).fit(train)
    return bool(np.allclose(np.asarray(fitted.transform(probe), dtype=float),
                            np.asarray(fresh.transform(probe), dtype=float), equal_nan=True))


def folds_fit_on_held_out_rows(fitted_per_fold: list, fold_of_row: pd.Series, frame: pd.DataFrame) -> list[str]:
    """The CV folds whose fitted preprocessing saw rows of the fold it scored.

    ``fitted_per_fold[k]`` is the transformer fold ``k`` used, ``fold_of_row`` the fold of each row of ``frame``
    (indexed like it). Fold ``k`` is clean if its transformer equals one fit on the rows of the other folds;
    a transformer count other than the fold count is a finding too.
    """
    found = [] if len(fitted_per_fold) == fold_of_row.nunique() else [
        f"{len(fitted_per_fold)} fitted preprocessors for {fold_of_row.nunique()} folds"]
    for k, fitted in enumerate(fitted_per_fold):
        if not fit_on_training_rows_only(fitted, frame.loc[fold_of_row.index[fold_of_row != k]], frame):
            found.append(f"fold {k}")
    return found


def without_by_design(columns: list[str], by_design: dict) -> tuple[list[str], str]:
    """The columns left when those missing by design are removed, and why a model on them would not be worth
    running ("" when it is): with none missing by design it would repeat the model on every column; with all of
    them, it would have no column."""
    if not by_design:
        return list(columns), "no clinical column is missing by design for one class"
    kept = [c for c in columns if c not in by_design]
    return kept, "" if kept else "every clinical column is missing by design for one class"


def missingness_findings(features: pd.DataFrame, classes: pd.Series, positive: str, share: float, folds: int,
                         seed: int) -> dict:
    """Columns missing by design for one class (named by ``classes``), and the missingness-only AUROC: the
    audit's three entries on missingness, the same for every study."""
    by_design = missing_by_design(features, classes, share)
    y = (classes == positive).to_numpy(dtype=int)
    return {"missing_by_design": len(by_design), "missing_by_design_columns": by_design,
            "missingness_only_auroc": missingness_auroc(features, y, folds, seed)}


def run_folders(folder: Path) -> list[Path]:
    """The per-model (or per-configuration) output folders of a training stage."""
    return sorted(p for p in folder.iterdir() if p.is_dir())


def named(found: list[str]) -> dict:
    """A count (diffable by ``dvc metrics diff``) and the first names found."""
    return {"count": len(found), "examples": found[:10]}

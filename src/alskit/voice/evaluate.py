"""How far to trust a voice model (seed 002): clinical metrics beside the trivial answer, per recording and per
subject, per task, and the CV folds that never learned.

Seed 002 reports accuracy and class-weighted precision, recall and F1 per recording. On a cohort where one class
dominates, these reward a model that always gives the majority answer, and eight recordings of one voice are not
eight patients. So every voice result also carries:

- AUROC, balanced accuracy, sensitivity and specificity, each with a bootstrap interval over subjects, beside the
  majority-class rate (the accuracy of always giving the majority answer), judged in two separate statements
  (:mod:`alskit.common.verdict`): does it carry information (AUROC and balanced-accuracy intervals above 0.5),
  and is its accuracy at the threshold above the majority rate;
- the same per subject: a person is diagnosed from all their recordings, by the mean of their out-of-fold
  probabilities over tasks (the study's clinical headline);
- per task, which recording task separates the classes best;
- per fold, whether it collapsed: one class predicted for every scored recording, or (networks) a validation
  loss never better than after the first epoch, so the restored "best" weights are those of epoch 1.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from alskit.common import metrics, uncertainty, verdict
from alskit.common.errors import UserError
from alskit.voice import config



def subject_predictions(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per subject: its label, the mean out-of-fold probability over its recordings, how many there were,
    and its fold (-1 when the paper's recording-level folds spread a subject over several)."""
    grouped = frame.groupby("subject", sort=True)
    labels = grouped["y_true"].nunique()
    if (labels > 1).any():
        raise UserError(f"subject {labels.index[labels > 1][0]} has recordings with both labels; expected one "
                        "diagnosis per subject")
    folds = grouped["fold"].agg(lambda f: int(f.iloc[0]) if f.nunique() == 1 else -1)
    return pd.DataFrame({"subject": labels.index, "y_true": grouped["y_true"].first().to_numpy(),
                         "p": grouped["p"].mean().to_numpy(), "recordings": grouped.size().to_numpy(),
                         "fold": folds.to_numpy()})


def trust(y_true: np.ndarray, p: np.ndarray, subjects: np.ndarray, bootstrap: dict,
          threshold: float = 0.5) -> dict:
    """Clinical metrics (:func:`metrics.clinical_metrics`) with intervals resampling ``subjects``, the majority
    class and its rate, and the verdict against the trivial answer (:func:`alskit.common.verdict.judge`:
    ``informative``, ``ranks_above_chance``, ``beats_majority``)."""
    y_true, p = np.asarray(y_true, dtype=int), np.asarray(p, dtype=float)
    point = metrics.clinical_metrics(y_true, p, threshold)
    intervals = uncertainty.bootstrap_intervals(y_true, p, metrics.clinical_scores, subjects=subjects,
                                                threshold=threshold, **bootstrap)
    majority, rate = metrics.majority_rate(y_true)
    scored = uncertainty.with_intervals(point, intervals)
    return {**scored, "majority_class": config.CLASS_NAMES[majority], "majority_rate": rate, "n": len(y_true),
            "subjects": len(set(subjects)), **verdict.judge(scored, rate)}


def fold_health(frame: pd.DataFrame, histories: list[dict] | None = None) -> dict:
    """Per CV fold: ``one_class`` (every scored recording got the same answer), ``never_improved`` (a network's
    validation loss never fell below its first epoch's, so early stopping restored epoch 1; judged only when it
    trained for more than one epoch) and ``collapsed`` (either); and how many folds collapsed."""
    folds = []
    for k, group in frame.groupby("fold", sort=True):
        called = (group["p"] >= 0.5).to_numpy()
        entry = {"fold": int(k) + 1, "predicted_als_share": float(called.mean()),
                 "one_class": bool(called.all() or not called.any())}
        if histories is not None:
            loss = histories[int(k)].get("val_loss", [])
            entry["epochs"] = len(loss)
            entry["best_epoch"] = int(np.argmin(loss)) + 1 if loss else None
            entry["never_improved"] = len(loss) > 1 and min(loss[1:]) >= loss[0]
        entry["collapsed"] = entry["one_class"] or entry.get("never_improved", False)
        folds.append(entry)
    return {"collapsed": sum(f["collapsed"] for f in folds), "of": len(folds), "folds": folds}


def per_task(frame: pd.DataFrame, bootstrap: dict) -> dict:
    """AUROC and balanced accuracy (with intervals over subjects) of each task's recordings on their own."""
    results = {}
    for task, group in frame.groupby("task", sort=False):
        scored = trust(group["y_true"], group["p"], group["subject"].to_numpy(), bootstrap)
        results[task] = {f"{metric}{suffix}": scored[f"{metric}{suffix}"] for metric in metrics.PART_METRICS
                         for suffix in ("", "_ci_low", "_ci_high")}
        results[task].update(n=scored["n"], informative=scored["informative"])
    return results


def evaluate(frame: pd.DataFrame, bootstrap: dict, histories: list[dict] | None = None) -> dict:
    """Everything above for one model's out-of-fold predictions ``frame`` (one row per recording, columns
    ``subject``, ``task``, ``fold``, ``y_true``, ``p``) and, for a network, its per-fold training curves."""
    people = subject_predictions(frame)
    return {"per_recording": trust(frame["y_true"], frame["p"], frame["subject"].to_numpy(), bootstrap),
            "per_subject": trust(people["y_true"], people["p"], people["subject"].to_numpy(), bootstrap),
            "folds": fold_health(frame, histories),
            "per_task": per_task(frame, bootstrap)}


def summarise(frame: pd.DataFrame, bootstrap: dict, histories: list[dict] | None = None) -> dict:
    """Seed 002's own metrics (accuracy and weighted precision, recall and F1 as mean and sd over folds, each with
    an interval over subjects, for the comparison with its Tables 4-5), then :func:`evaluate`'s."""
    summary = metrics.fold_summary(frame, 0.5, scorer=metrics.weighted_metrics)
    intervals = uncertainty.bootstrap_intervals(frame["y_true"], frame["p"], metrics.weighted_scores,
                                                subjects=frame["subject"].to_numpy(), **bootstrap)
    return {**uncertainty.with_intervals(summary, intervals), **evaluate(frame, bootstrap, histories)}

"""Bulbar severity from the voice alone (beyond both papers): each subject's ALSFRS-R speech item (0-4), healthy
controls as a class of their own, as the SAND challenge (ICASSP 2026) frames it.

- Classes: the speech item levels of the patients, then ``HC``. A level held by fewer subjects than the CV has
  folds cannot be stratified; it is merged with its neighbour (the smaller one; on a tie the milder), logged and
  counted, and named by its items (``0-1``). A patient without the item is left out of this task and counted.
- Model: the acoustic candidates of the nested CV (:mod:`alskit.voice.nested`), chosen on per-subject macro-F1;
  a subject's class is the most probable one of its probabilities averaged over recordings and fold seeds. No
  clinical column enters: the inputs are the acoustic measures and the task indicators only
  (:func:`clinical_inputs` checks it).
- Scores: macro-F1 (SAND's metric) and balanced accuracy over all classes; over the patients only, the mean
  absolute error in item points (a merged level counts as the mean of its items; a patient called healthy as
  item 4, normal speech) and the quadratic-weighted kappa over the patient levels (called healthy: the mildest
  level). Each with a 95% bootstrap interval over subjects, beside the trivial answers: the majority class
  (macro-F1 and balanced accuracy), the patients' most common level (their macro-F1) and median item (MAE;
  kappa 0).

The interval scorer is vectorised over the resamples (weighted confusion matrices): sklearn per resample costs
about 4 ms x 4 metrics x 2000 resamples; tests check the point values against sklearn's.
"""
from __future__ import annotations

import functools
import logging

import numpy as np
import pandas as pd

from alskit.common import uncertainty
from alskit.voice import config

log = logging.getLogger("alskit")

HEALTHY = config.CLASS_NAMES[0]
NORMAL_SPEECH = 4  # the item a healthy speaker scores


def merge_levels(items: pd.Series, min_subjects: int) -> dict[float, str]:
    """Each item value of the patients mapped to its class name, levels with fewer than ``min_subjects`` subjects
    merged with a neighbour (the smaller one; on a tie the milder), until every class has enough or one is
    left. Names join the merged items (``0-1``)."""
    groups = [[v] for v in sorted(items.dropna().unique())]
    count = items.value_counts()
    size = lambda g: int(sum(count[v] for v in g))  # noqa: E731
    while len(groups) > 1 and min(size(g) for g in groups) < min_subjects:
        i = min(range(len(groups)), key=lambda j: (size(groups[j]), j))
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(groups)]
        j = min(neighbours, key=lambda n: (size(groups[n]), -n))
        a, b = sorted((i, j))
        groups[a:b + 1] = [groups[a] + groups[b]]
    return {v: "-".join(f"{x:g}" for x in (g[0], g[-1])) if len(g) > 1 else f"{g[0]:g}" for g in groups for v in g}


def classes(clinical: pd.DataFrame, target: str, min_subjects: int) -> tuple[pd.DataFrame, dict]:
    """Per subject with a class (``subject``, ``item``, ``level``, ``code``), and the class table: names in order
    (item levels, then :data:`HEALTHY`), each level's item value (the mean of its items; healthy:
    :data:`NORMAL_SPEECH`), merges and subjects left out."""
    patients = clinical["label"] == 1
    missing = int(clinical.loc[patients, target].isna().sum())
    if missing:
        log.info("%d patient(s) without %s: left out of the severity task", missing, target)
    mapping = merge_levels(clinical.loc[patients, target], min_subjects)
    levels = list(dict.fromkeys(mapping[v] for v in sorted(mapping)))
    merged = {name: sorted(v for v, n in mapping.items() if n == name) for name in levels}
    for name, items in merged.items():
        if len(items) > 1:
            log.info("speech items %s held too few subjects to stratify %d folds: merged as level %s",
                     ", ".join(f"{v:g}" for v in items), min_subjects, name)
    names = levels + [HEALTHY]
    frame = clinical.loc[~patients | clinical[target].notna(), ["subject", "label", target]]
    level = np.where(frame["label"] == 1, frame[target].map(mapping), HEALTHY)
    items = frame[target].where(frame["label"] == 1)   # a control's item, if recorded, is not a patient's score
    people = pd.DataFrame({"subject": frame["subject"].to_numpy(), "item": items.to_numpy(dtype=float),
                           "level": level, "code": [names.index(x) for x in level]})
    values = {name: float(np.mean(items)) for name, items in merged.items()} | {HEALTHY: float(NORMAL_SPEECH)}
    table = {"names": names, "values": values, "merged": {n: len(v) for n, v in merged.items() if len(v) > 1},
             "patients_without_item": missing,
             "subjects": {name: int((people["level"] == name).sum()) for name in names}}
    return people, table


def clinical_inputs(feature_columns: list[str], clinical_columns: list[str]) -> list[str]:
    """The clinical columns among a model's inputs (must be none: the severity model reads the voice only)."""
    return sorted(set(feature_columns) & (set(clinical_columns) - {"subject", "label"}))


def scores(truth: np.ndarray, called: np.ndarray, weights: np.ndarray, threshold: float = 0.5, *,
           n_classes: int, values: np.ndarray, items: np.ndarray) -> dict[str, np.ndarray]:
    """Macro-F1, balanced accuracy (all subjects), and over the patients only (``items`` not nan; a patient called
    healthy counts as the mildest level) macro-F1 among the levels, MAE and quadratic-weighted kappa of class codes ``called`` against ``truth``, for every row of ``weights`` at once (see
    :func:`alskit.common.uncertainty.bootstrap_intervals`; ``threshold`` is unused). ``values``: each class's
    item value; classes are averaged over those present in the truth or the calls, as sklearn does."""
    W = np.atleast_2d(weights)
    macro_f1, balanced = _macro_f1_and_balanced(truth.astype(int), called.astype(int), W, n_classes)
    patient = ~np.isnan(items)
    Wp, levels = W[:, patient], n_classes - 1
    truth_p, called_p = truth[patient].astype(int), np.minimum(called[patient].astype(int), levels - 1)
    errors = np.abs(items[patient] - values[called[patient].astype(int)])
    with np.errstate(divide="ignore", invalid="ignore"):
        mae = Wp @ errors / Wp.sum(axis=1)
    return {"macro_f1": macro_f1, "balanced_accuracy": balanced,
            "patients_macro_f1": _macro_f1_and_balanced(truth_p, called_p, Wp, levels)[0], "mae": mae,
            "kappa": _kappa(truth_p, called_p, Wp, levels)}


def _macro_f1_and_balanced(truth: np.ndarray, called: np.ndarray, W: np.ndarray,
                           k: int) -> tuple[np.ndarray, np.ndarray]:
    """Macro-F1 (over the classes present in the truth or the calls) and balanced accuracy (mean recall over the
    classes present in the truth), per row of weights."""
    T, C = np.eye(k)[truth], np.eye(k)[called]
    tp, support, predicted = W @ (T * C), W @ T, W @ C
    present = (support + predicted) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(present, 2 * tp / (support + predicted), 0.0)
        recall = np.where(support > 0, tp / support, np.nan)
        return f1.sum(axis=1) / present.sum(axis=1), np.nanmean(recall, axis=1)


def _kappa(truth: np.ndarray, called: np.ndarray, W: np.ndarray, k: int) -> np.ndarray:
    """Quadratic-weighted kappa over ``k`` ordered levels, per row of weights (sklearn's formula)."""
    O = np.einsum("bn,ni,nj->bij", W, np.eye(k)[truth], np.eye(k)[called])
    total = O.sum(axis=(1, 2), keepdims=True)
    E = O.sum(axis=2, keepdims=True) * O.sum(axis=1, keepdims=True) / total
    penalty = (np.arange(k)[:, None] - np.arange(k)[None, :]) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 - (penalty * O).sum(axis=(1, 2)) / (penalty * E).sum(axis=(1, 2))


def point(truth: np.ndarray, called: np.ndarray, n_classes: int, values: np.ndarray,
          items: np.ndarray) -> dict[str, float | None]:
    """:func:`scores` of the subjects as they are (every weight 1); nan becomes None (missing)."""
    out = scores(truth, called, np.ones(len(truth)), n_classes=n_classes, values=values, items=items)
    return {k: None if np.isnan(v[0]) else float(v[0]) for k, v in out.items()}


def summary(people: pd.DataFrame, probabilities: np.ndarray, table: dict, bootstrap: dict) -> dict:
    """The severity metrics of the subjects' averaged class ``probabilities`` (rows aligned with ``people``),
    with intervals over subjects, beside the trivial answers, and the subjects per class."""
    names = table["names"]
    n, values = len(names), np.array([table["values"][c] for c in names])
    truth, called = people["code"].to_numpy(), probabilities.argmax(axis=1)
    items = people["item"].to_numpy(dtype=float)
    scorer = functools.partial(scores, n_classes=n, values=values, items=items)
    measured = uncertainty.with_intervals(
        point(truth, called, n, values, items),
        uncertainty.bootstrap_intervals(truth, called, scorer, subjects=people["subject"].to_numpy(), **bootstrap))
    return {**measured, **trivial(truth, items, n, values), "subjects": len(people),
            "patients": int((~np.isnan(items)).sum()), "classes": table["subjects"], "merged": table["merged"],
            "patients_without_item": table["patients_without_item"]}


def trivial(truth: np.ndarray, items: np.ndarray, n_classes: int, values: np.ndarray) -> dict:
    """The trivial answers: always the majority class (its macro-F1 and balanced accuracy), and for the patients
    always the median item (its MAE; the kappa of a constant answer is 0)."""
    majority = np.full(len(truth), np.bincount(truth, minlength=n_classes).argmax())
    constant = point(truth, majority, n_classes, values, items)
    patient_items = items[~np.isnan(items)]
    among_patients = np.full(len(truth), np.bincount(truth[~np.isnan(items)], minlength=n_classes).argmax())
    return {"majority_macro_f1": constant["macro_f1"], "majority_balanced_accuracy": constant["balanced_accuracy"],
            "majority_level_patients_macro_f1": point(truth, among_patients, n_classes, values,
                                                      items)["patients_macro_f1"],
            "median_item": float(np.median(patient_items)),
            "median_item_mae": float(np.mean(np.abs(patient_items - np.median(patient_items))))}


def confusion_rows(people: pd.DataFrame, called: np.ndarray, names: list[str], model: str) -> list[dict]:
    """Confusion counts between the classes (every pair, zeros included) for the DVC confusion template."""
    actual = people["level"].to_numpy()
    return [{"panel": "per subject, nested CV", "model": model, "order": 0, "actual": a, "predicted": p,
             "count": int(((actual == a) & (np.asarray(names)[called] == p)).sum())}
            for a in names for p in names]

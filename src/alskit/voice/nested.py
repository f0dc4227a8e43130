"""Nested, repeated, subject-grouped cross-validation: the voice study's headline, and its severity task.

Picking the best of several models after seeing their CV scores on the same subjects flatters the winner: on a
cohort of a few dozen speakers, one fold split alone moves a per-subject AUROC by several hundredths, and the
highest of N such numbers is high partly by luck. Here the choice is part of the procedure being scored:

- outer folds: stratified, grouped by subject, ``voice.cv.folds`` of them, repeated over ``voice.nested.repeats``
  fold seeds (``voice.cv.seed``, ``voice.cv.seed + 1``, ...);
- inside each outer training part, every candidate (model x feature set x window) is scored by an inner
  subject-grouped ``voice.nested.inner_folds``-fold CV on a per-subject score (AUROC for the diagnosis, macro-F1
  for the severity); the best is refitted on the whole outer training part and predicts the outer fold;
- the outer predictions are pooled whichever candidate each fold chose: the estimate is of the whole procedure,
  as nested CV intends, and no scored subject took part in any choice.

Every candidate is also fitted on every outer training part and scored on its fold: the table of candidates
beside the estimate, and the best-of-N number (the highest candidate, chosen after seeing them) that the nested
estimate replaces. A subject's probability is the mean over its recordings (:mod:`alskit.voice.evaluate`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, roc_auc_score

from alskit.common import compute
from alskit.voice import cv

log = logging.getLogger("alskit")

PARALLEL_FROM = 200  # recordings; below this the worker start-up costs more than the fits


@dataclass(frozen=True)
class Candidate:
    """One choice the inner CV can make: its name (``model/features/window``), its input matrix (rows aligned with
    the labels) and a function returning its unfitted estimator (an sklearn pipeline)."""

    name: str
    X: np.ndarray
    make: Callable


def subject_score(y: np.ndarray, P: np.ndarray, subjects: np.ndarray, score: str) -> float:
    """``score`` of the subjects' mean probabilities: ``auroc`` (binary, of the last class) or ``macro_f1`` (of
    the most probable class); nan where undefined (one class only)."""
    frame = pd.DataFrame(P).assign(subject=subjects, y=y).groupby("subject", sort=True).mean()
    truth, probs = frame.pop("y").to_numpy().astype(int), frame.to_numpy()
    if score == "auroc":
        return float(roc_auc_score(truth, probs[:, -1])) if len(set(truth)) == 2 else float("nan")
    return float(f1_score(truth, probs.argmax(axis=1), average="macro", labels=np.arange(P.shape[1]),
                          zero_division=0))


def fit_predict(candidate: Candidate, y: np.ndarray, train: np.ndarray, test: np.ndarray, n_classes: int,
                balanced: bool) -> np.ndarray:
    """``candidate`` fitted on the ``train`` rows (each class weighing the inverse of its share there with
    ``balanced``), its class probabilities (n_test x n_classes) on the ``test`` rows; a class absent from the
    training rows gets probability 0."""
    from sklearn.utils.class_weight import compute_sample_weight

    model = candidate.make()
    weights = compute_sample_weight("balanced", y[train]) if balanced else None
    model.fit(candidate.X[train], y[train], **{f"{model.steps[-1][0]}__sample_weight": weights})
    P = np.zeros((len(test), n_classes))
    P[:, model.classes_.astype(int)] = model.predict_proba(candidate.X[test])
    return P


def inner_score(candidate: Candidate, y: np.ndarray, subjects: np.ndarray, train: np.ndarray, inner_folds: int,
                seed: int, score: str, n_classes: int, balanced: bool) -> float:
    """``candidate``'s per-subject ``score`` in a subject-grouped ``inner_folds``-fold CV of the ``train`` rows
    only (the outer fold's subjects take no part)."""
    folds = cv.assign_folds(y[train], subjects[train], inner_folds, seed, group_by_subject=True,
                            params="voice.nested.inner_folds")
    P = np.zeros((len(train), n_classes))
    for k in range(inner_folds):
        inner_train, inner_test = train[folds != k], train[folds == k]
        P[folds == k] = fit_predict(candidate, y, inner_train, inner_test, n_classes, balanced)
    return subject_score(y[train], P, subjects[train], score)


def outer_fold(candidates: list[Candidate], y: np.ndarray, subjects: np.ndarray, train: np.ndarray,
               test: np.ndarray, inner_folds: int, seed: int, score: str, n_classes: int, balanced: bool) -> dict:
    """One outer fold: every candidate's inner score and its predictions on the fold, and the chosen candidate
    (the highest inner score; the first listed on a tie)."""
    scores = [inner_score(c, y, subjects, train, inner_folds, seed, score, n_classes, balanced) for c in candidates]
    predictions = [fit_predict(c, y, train, test, n_classes, balanced) for c in candidates]
    return {"inner": scores, "predictions": predictions, "chosen": int(np.nanargmax(scores))}


@dataclass
class Nested:
    """What :func:`nested_cv` found. ``predictions``: one row per recording and repeat (``repeat``, ``seed``,
    ``fold``, ``row``, ``chosen``, ``p0``..``p<k-1>``) of the chosen candidates; ``candidates``: each candidate's
    per-subject score over its own pooled outer predictions, per repeat (``repeat``, ``candidate``, ``score``);
    ``choices``: per repeat and outer fold, every candidate's inner score and whether it was chosen."""

    predictions: pd.DataFrame
    candidates: pd.DataFrame
    choices: pd.DataFrame


def nested_cv(candidates: list[Candidate], y: np.ndarray, subjects: np.ndarray, outer_folds: int,
              inner_folds: int, seeds: list[int], score: str, balanced: bool) -> Nested:
    """Nested CV of ``candidates`` (see the module) over the fold seeds ``seeds``; ``y`` holds class codes
    0..k-1 per recording. Outer folds run in parallel on all cores (from :data:`PARALLEL_FROM` recordings)."""
    y, subjects = np.asarray(y, dtype=int), np.asarray(subjects)
    n_classes = int(y.max()) + 1
    tasks = [(r, seed, k, train, test) for r, seed in enumerate(seeds)
             for k, (train, test) in enumerate(cv.splits(outer_folds, seed, True, y, subjects, "voice.cv.folds"))]
    done = compute.run(outer_fold, [(candidates, y, subjects, train, test, inner_folds, seed, score, n_classes,
                                     balanced) for _, seed, _, train, test in tasks],
                       [f"seed {seed} outer fold {k + 1}" for _, seed, k, _, _ in tasks], desc=f"nested CV ({score})",
                       unit="outer fold", workers=-1 if len(y) >= PARALLEL_FROM else 1)
    rows, choices = [], []
    pooled = {(r, i): np.zeros((len(y), n_classes)) for r in range(len(seeds)) for i in range(len(candidates))}
    for (r, seed, k, _, test), fold in zip(tasks, done):
        chosen = fold["predictions"][fold["chosen"]]
        rows.append(pd.DataFrame({"repeat": r, "seed": seed, "fold": k, "row": test,
                                  "chosen": candidates[fold["chosen"]].name,
                                  **{f"p{c}": chosen[:, c] for c in range(n_classes)}}))
        for i, (candidate, inner, P) in enumerate(zip(candidates, fold["inner"], fold["predictions"])):
            pooled[r, i][test] = P
            choices.append({"repeat": r, "seed": seed, "fold": k, "candidate": candidate.name, "inner_score": inner,
                            "chosen": i == fold["chosen"]})
    scored = [{"repeat": r, "candidate": candidates[i].name, "score": subject_score(y, P, subjects, score)}
              for (r, i), P in pooled.items()]
    predictions = pd.concat(rows, ignore_index=True).sort_values(["repeat", "row"], ignore_index=True)
    return Nested(predictions, pd.DataFrame(scored), pd.DataFrame(choices))


def seeds_of(first: int, repeats: int) -> list[int]:
    """The outer fold seeds: ``first``, ``first + 1``, ... (``voice.cv.seed`` and ``voice.nested.repeats``)."""
    return [first + r for r in range(repeats)]


def candidate_table(result: Nested) -> pd.DataFrame:
    """Per candidate: its per-subject score over its own outer predictions, mean, sd and range over the repeats,
    and how many outer folds chose it (in the candidates' order)."""
    by = result.candidates.groupby("candidate", sort=False)["score"]
    chosen = result.choices.groupby("candidate", sort=False)["chosen"].sum()
    return pd.DataFrame({"mean": by.mean(), "sd": by.std(ddof=0), "min": by.min(), "max": by.max(),
                         "chosen": chosen.astype(int)})


def best_of_candidates(result: Nested) -> tuple[str, float]:
    """The best-of-N number the nested estimate replaces: the candidate with the highest mean score over the
    repeats, chosen after seeing every candidate's score on the same subjects (optimistic by construction)."""
    table = candidate_table(result)
    return str(table["mean"].idxmax()), float(table["mean"].max())


# --- the voice study's candidates and summaries ------------------------------------------------------------------

def feature_columns(table: pd.DataFrame, feature_set: str) -> list[str]:
    """The measures of one feature set: ``egemaps`` (openSMILE's eGeMAPSv02 functionals), ``praat`` (the Praat
    measures and the syllable rate), ``both``."""
    from alskit.voice import acoustic

    egemaps = [c for c in table.columns if c.startswith("egemaps_")]
    praat = [c for c in (*acoustic.PRAAT, *acoustic.DDK) if c in table.columns]
    return {"egemaps": egemaps, "praat": praat, "both": praat + egemaps}[feature_set]


def recordings_of(table: pd.DataFrame) -> pd.DataFrame:
    """One row per recording (subject, task, label) of the long measures table, in its order; every window
    must hold the same recordings in the same order (they are written so)."""
    windows = [part.reset_index(drop=True) for _, part in table.groupby("window", sort=False)]
    first = windows[0][["subject", "task", "label"]]
    if any(not part[["subject", "task", "label"]].equals(first) for part in windows[1:]):
        raise ValueError("the measures table's windows do not hold the same recordings in the same order")
    return first


def candidates_of(table: pd.DataFrame, models: list[str], model_settings: dict, feature_sets: list[str],
                  tasks: list[str], seed: int) -> list[Candidate]:
    """Every model x feature set x window of the long measures ``table`` (:mod:`alskit.voice.acoustic`), named
    ``model/features/window``; each reads its measures plus the task indicators."""
    import functools

    from alskit.voice import acoustic

    out = []
    for window, part in table.groupby("window", sort=False):
        part = part.reset_index(drop=True)
        indicators = acoustic.design_matrix(part[["subject", "task", "label"]], tasks)
        for features in feature_sets:
            X = pd.concat([part[feature_columns(part, features)], indicators], axis=1).to_numpy(dtype=float)
            out += [Candidate(f"{model}/{features}/{window}", X,
                              functools.partial(acoustic.make_model, model, model_settings[model], seed))
                    for model in models]
    return out


def subject_means(predictions: pd.DataFrame, recordings: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per subject: its label and the mean of ``columns`` over its recordings and every repeat (each recording
    scored out of fold in every repeat), sorted by subject."""
    frame = predictions.assign(subject=recordings["subject"].to_numpy()[predictions["row"]],
                               label=recordings["label"].to_numpy()[predictions["row"]])
    return frame.groupby("subject", sort=True).agg(label=("label", "first"),
                                                   **{c: (c, "mean") for c in columns}).reset_index()


def spread_of(values: pd.Series, name: str) -> dict[str, float]:
    """``<name>_mean``, ``_sd`` (population), ``_min`` and ``_max`` of one score over the fold seeds."""
    return {f"{name}_mean": float(values.mean()), f"{name}_sd": float(values.std(ddof=0)),
            f"{name}_min": float(values.min()), f"{name}_max": float(values.max())}


def diagnosis_summary(result: Nested, recordings: pd.DataFrame, bootstrap: dict, outer_folds: int,
                      inner_folds: int) -> dict:
    """The voice headline's metrics: per subject, each subject's ALS probability averaged over its recordings and
    the repeats, scored against the trivial answer with intervals over subjects
    (:func:`alskit.voice.evaluate.trust`); the per-subject AUROC and balanced accuracy of each fold seed, with
    their mean, sd and range; each candidate's own outer-fold AUROC (mean and sd over the seeds) and how many
    outer folds chose it; and the best-of-candidates number the nested estimate replaces."""
    from alskit.common import metrics
    from alskit.voice import evaluate

    people = subject_means(result.predictions, recordings, ["p1"])
    headline = evaluate.trust(people["label"], people["p1"], people["subject"].to_numpy(), bootstrap)
    per_seed = {}
    for seed, part in result.predictions.groupby("seed", sort=True):
        one = subject_means(part, recordings, ["p1"])
        scored = metrics.clinical_metrics(one["label"].to_numpy(), one["p1"].to_numpy())
        per_seed[str(seed)] = {k: scored[k] for k in metrics.PART_METRICS}
    spread = pd.DataFrame(per_seed).T.astype(float)
    table = candidate_table(result)
    best, best_score = best_of_candidates(result)
    return {"per_subject": headline,
            "over_seeds": {"repeats": len(per_seed),
                           **{k: v for name in metrics.PART_METRICS for k, v in spread_of(spread[name], name).items()}},
            "per_seed": per_seed,
            "candidates": {name: {"auroc_mean": float(row["mean"]), "auroc_sd": float(row["sd"]),
                                  "chosen": int(row["chosen"])} for name, row in table.iterrows()},
            "best_of_candidates": {"candidate": best, "auroc_mean": best_score, "of": len(table)},
            "settings": {"outer_folds": outer_folds, "inner_folds": inner_folds, "candidates": len(table)}}

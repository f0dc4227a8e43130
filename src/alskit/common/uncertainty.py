"""How far to trust a number: percentile bootstrap intervals that resample subjects, not rows.

A subject with several rows (the voice study's eight recordings) is drawn whole, so an interval never
pretends that eight recordings of one voice are eight independent observations.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd


def bootstrap_intervals(y_true: np.ndarray, p_positive: np.ndarray, scorer: Callable[..., dict],
                        iterations: int, seed: int, subjects: np.ndarray | None = None, level: float = 0.95,
                        threshold: float = 0.5) -> dict[str, list[float] | None]:
    """``{metric: [low, high]}``: the central ``level`` share of ``scorer``'s values over ``iterations``
    resamples of the subjects (rows, if ``subjects`` is None), drawn with replacement.

    ``scorer`` is a batch scorer such as :func:`metrics.binary_scores`: each resample is passed as row
    weights (how often each row was drawn, a subject's rows all together). A resample where a metric is
    undefined (one class only, no positive call) is left out of that metric's interval; a metric undefined
    in more than half of the resamples gets ``None`` (missing), not a guess.
    """
    scores = scorer(y_true, p_positive, _resample_weights(len(y_true), subjects, iterations, seed), threshold)
    return {name: _percentiles(values, level) for name, values in scores.items()}


def paired_difference(y_true: np.ndarray, p_a: np.ndarray, p_b: np.ndarray, scorer: Callable[..., dict],
                      metric: str, iterations: int, seed: int, subjects: np.ndarray | None = None,
                      level: float = 0.95, threshold: float = 0.5) -> dict:
    """``metric`` of prediction set ``a`` minus that of ``b`` on the same test subjects, with a paired bootstrap
    interval: each resample of the subjects scores both sets, so the interval measures how much the difference
    itself varies, not the (much larger) spread of either score alone.

    Returns ``{"difference": d, "difference_ci_low": low, "difference_ci_high": high, "share_above_zero": s}``;
    the interval is ``None`` when the metric is undefined in most resamples (as in :func:`bootstrap_intervals`).
    """
    weights = _resample_weights(len(y_true), subjects, iterations, seed)
    full = np.ones((1, len(y_true)))
    point = scorer(y_true, p_a, full, threshold)[metric][0] - scorer(y_true, p_b, full, threshold)[metric][0]
    resampled = scorer(y_true, p_a, weights, threshold)[metric] - scorer(y_true, p_b, weights, threshold)[metric]
    defined = resampled[~np.isnan(resampled)]
    return {"difference": None if np.isnan(point) else float(point),
            **interval_fields("difference", _percentiles(resampled, level)),
            "share_above_zero": float(np.mean(defined > 0)) if len(defined) else None}


def _resample_weights(n_rows: int, subjects: np.ndarray | None, iterations: int, seed: int) -> np.ndarray:
    """(iterations x rows) counts: how often each row is drawn when the subjects are resampled with
    replacement; a subject's rows are drawn together."""
    subjects = np.arange(n_rows) if subjects is None else np.asarray(subjects)
    codes, unique = pd.factorize(subjects)
    draws = np.random.default_rng(seed).integers(0, len(unique), (iterations, len(unique)))
    times_drawn = np.zeros((iterations, len(unique)))
    np.add.at(times_drawn, (np.arange(iterations)[:, None], draws), 1)
    return times_drawn[:, codes]


def _percentiles(values: np.ndarray, level: float) -> list[float] | None:
    """The central ``level`` share of ``values`` (nan left out); ``None`` when more than half are nan."""
    if np.isnan(values).mean() > 0.5:
        return None
    tail = (1 - level) / 2
    return [float(np.nanquantile(values, tail)), float(np.nanquantile(values, 1 - tail))]


def with_intervals(scores: dict, intervals: dict) -> dict:
    """``scores`` with each metric's interval beside it (see :func:`interval_fields`)."""
    merged = {}
    for name, value in scores.items():
        merged[name] = value
        if name in intervals:
            merged.update(interval_fields(name, intervals[name]))
    return merged


def interval_fields(name: str, bounds: list[float] | None) -> dict[str, float | None]:
    """``{<name>_ci_low, <name>_ci_high}``, both ``None`` for a missing interval: two scalars, because
    ``dvc metrics show`` and ``dvc metrics diff`` skip lists, and an interval nobody sees is no interval."""
    low, high = bounds if bounds is not None else (None, None)
    return {f"{name}_ci_low": low, f"{name}_ci_high": high}


def interval(result: dict, name: str) -> list[float] | None:
    """The ``[low, high]`` interval of ``name`` in ``result`` (as :func:`interval_fields` wrote it), or
    ``None`` where it is missing."""
    low, high = result.get(f"{name}_ci_low"), result.get(f"{name}_ci_high")
    return None if low is None or high is None else [low, high]

"""How far to trust a number: percentile bootstrap intervals that resample subjects, not rows.

A subject with several rows (the voice study's eight recordings) is drawn whole, so an interval never
pretends that eight recordings of one voice are eight independent observations.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from .cli import param


def bootstrap_settings(params: dict) -> dict:
    """``iterations``, ``seed`` and ``level`` of the intervals, from ``params.yaml`` (``audit.bootstrap``)."""
    return {"iterations": param(params, "audit.bootstrap.iterations", int, lambda v: v >= 100, "an integer >= 100"),
            "seed": param(params, "audit.bootstrap.seed", int),
            "level": param(params, "audit.bootstrap.level", float, lambda v: 0.5 <= v < 1, "a number in [0.5, 1)")}


def bootstrap_intervals(y_true: np.ndarray, p_positive: np.ndarray, scorer: Callable[..., dict],
                        iterations: int, seed: int, subjects: np.ndarray | None = None, level: float = 0.95,
                        threshold: float = 0.5) -> dict[str, list[float] | None]:
    """``{metric: [low, high]}``: the central ``level`` share of ``scorer``'s values over ``iterations``
    resamples of the subjects (rows, if ``subjects`` is None), drawn with replacement.

    A resample where a metric is undefined (one class only, no positive call) is left out of that metric's
    interval; a metric undefined in more than half of the resamples gets ``None`` (missing), not a guess.
    """
    y_true, p_positive = np.asarray(y_true, dtype=int), np.asarray(p_positive, dtype=float)
    subjects = np.arange(len(y_true)) if subjects is None else np.asarray(subjects)
    codes, unique = pd.factorize(subjects)
    rows_of = [np.flatnonzero(codes == k) for k in range(len(unique))]
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(iterations):
        rows = np.concatenate([rows_of[k] for k in rng.integers(0, len(unique), len(unique))])
        draws.append(scorer(y_true[rows], p_positive[rows], threshold))
    values = pd.DataFrame(draws, dtype=float)
    tail = (1 - level) / 2
    return {name: (None if column.isna().mean() > 0.5
                   else [float(column.quantile(tail)), float(column.quantile(1 - tail))])
            for name, column in values.items()}


def with_intervals(scores: dict, intervals: dict) -> dict:
    """``scores`` with each metric's interval beside it as ``<metric>_ci``."""
    merged = {}
    for name, value in scores.items():
        merged[name] = value
        if name in intervals:
            merged[f"{name}_ci"] = intervals[name]
    return merged

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

    ``scorer`` is a batch scorer such as :func:`metrics.binary_scores`: each resample is passed as row
    weights (how often each row was drawn, a subject's rows all together). A resample where a metric is
    undefined (one class only, no positive call) is left out of that metric's interval; a metric undefined
    in more than half of the resamples gets ``None`` (missing), not a guess.
    """
    subjects = np.arange(len(y_true)) if subjects is None else np.asarray(subjects)
    codes, unique = pd.factorize(subjects)
    draws = np.random.default_rng(seed).integers(0, len(unique), (iterations, len(unique)))
    times_drawn = np.zeros((iterations, len(unique)))
    np.add.at(times_drawn, (np.arange(iterations)[:, None], draws), 1)
    scores = scorer(y_true, p_positive, times_drawn[:, codes], threshold)
    tail = (1 - level) / 2
    return {name: (None if np.isnan(values).mean() > 0.5
                   else [float(np.nanquantile(values, tail)), float(np.nanquantile(values, 1 - tail))])
            for name, values in scores.items()}


def with_intervals(scores: dict, intervals: dict) -> dict:
    """``scores`` with each metric's interval beside it as ``<metric>_ci``."""
    merged = {}
    for name, value in scores.items():
        merged[name] = value
        if name in intervals:
            merged[f"{name}_ci"] = intervals[name]
    return merged

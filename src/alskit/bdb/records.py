"""Study 1's metrics files as typed records (:mod:`alskit.common.records`): what the BDB stages write and the
report reads. Training sets (``x10``, ``real-all``, ...) and models are keys set by params."""
from __future__ import annotations

from typing_extensions import NotRequired, TypedDict

from alskit.bdb.baselines import REAL_SETS
from alskit.common.records import ClassBias, Ledger, MeanSd, Score, TestScores, closed, with_intervals


@closed
class Run(TypedDict):
    """One model trained on one set: its test metrics on the real held-out half and its CV on the training set."""
    test: TestScores
    cv: dict[str, MeanSd]
    constant_predictions: bool


Results = dict[str, dict[str, Run]]
"""``metrics/bdb.json``: per training set and model (:func:`alskit.bdb.evaluate.score_runs`)."""

Versus = with_intervals("Versus", ("auroc_difference",), {"share_synthetic_higher": Score, "verdict": str | None})
"""Synthetic minus real test AUROC of one model, paired over test subjects."""

Comparison = dict[str, dict[str, dict[str, Versus]]]
"""``metrics/bdb_synthetic_vs_real.json``: per synthetic set, model and real set."""


@closed
class Diagnostic(TypedDict):
    data_validity: Score
    data_structure: Score
    overall: Score


@closed
class Quality(TypedDict):
    """SDV's quality report of one synthetic set against the real rows it was fit on, and its diagnostic."""
    column_shapes: Score
    column_pair_trends: Score
    overall: Score
    diagnostic: Diagnostic


Qualities = dict[str, Quality]
"""``metrics/bdb_synthetic_quality.json``: per synthetic set."""


@closed
class Distances(TypedDict):
    min: float
    p05: float
    median: float


@closed
class Protection(TypedDict):
    score: float
    closer_to_training: float
    closer_to_holdout: float


Attack = with_intervals("Attack", ("auroc",), {"members": int, "non_members": int, "detectable": bool})


@closed
class Privacy(TypedDict):
    """The privacy measurements of one synthetic set (:func:`alskit.bdb.privacy.measure`)."""
    synthetic_rows: int
    exact_copies: int
    dcr_synthetic_to_train: Distances
    dcr_holdout_to_train: Distances
    share_closer_than_any_holdout: float
    overfitting_protection: Protection
    membership_inference: Attack


Privacies = dict[str, Privacy]
"""``metrics/bdb_privacy.json``: per synthetic set."""


@closed
class Split(TypedDict):
    """``metrics/bdb_split.json``: subjects per class in each part of the split."""
    train_half: dict[str, int]
    train_balanced: dict[str, int]
    test: dict[str, int]


SpreadCell = closed(TypedDict("SpreadCell", {
    **dict.fromkeys(("median", "low", "high", "min", "max", "sd"), float),
    **{f"share_above_{real}": NotRequired[float] for real in REAL_SETS}}))
"""One model and training set over split seeds; the shares above each real baseline for synthetic sets."""


class Spread(TypedDict, extra_items=dict[str, SpreadCell]):
    """``metrics/bdb_spread.json``: how many splits, the central range's level, then per training set and
    model (:func:`alskit.bdb.spread.summarise`)."""
    splits: int
    level: float


@closed
class Cleaning(Ledger):
    """``metrics/bdb_cleaning.json``: rows and classes in and out of cleaning, and whether it was biased."""
    rows_in: int
    class_counts_in: dict[str, int]
    rows_out: int
    class_counts_out: dict[str, int]
    class_bias: ClassBias

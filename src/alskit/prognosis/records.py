"""Study 3's metrics files as typed records (:mod:`alskit.common.records`): what the prognosis stages write and
the report reads. Models and explanation methods are keys set by params."""
from __future__ import annotations

from typing import Any

from typing_extensions import NotRequired, TypedDict

from alskit.common.records import ClassBias, Ledger, MeanSd, Score, TestScores, closed


@closed
class Run(TypedDict):
    """One model's test metrics, its CV on the training split and (tuned models) the grid search's choice."""
    test: TestScores
    cv: dict[str, MeanSd]
    best_params: NotRequired[dict[str, Any]]


Results = dict[str, Run]
"""``metrics/prognosis.json``: per model (:func:`alskit.prognosis.evaluate.score_models`)."""


@closed
class Part(TypedDict):
    patients: int
    positive: int


@closed
class Split(TypedDict):
    """``metrics/prognosis_split.json``: patients (and fast progressors) per side, and test cells whose category
    the training split never had."""
    train: Part
    test: Part
    test_cells_with_unseen_category: int


@closed
class Explanation(TypedDict):
    """One model and method's importance summed per modality (shares of the total)."""
    modality_share: dict[str, float]


Explanations = dict[str, dict[str, Explanation]]
"""``metrics/prognosis_explain.json``: per model and method."""


@closed
class Cleaning(Ledger):
    """``metrics/prognosis_cleaning.json``: rows in, duplicates and rows without outcome removed, patients per
    outcome, the share of missing cells per column and modality, and whether cleaning was biased."""
    rows_in: int
    duplicate_rows_removed: int
    no_outcome_removed: int
    patients: int
    outcome: dict[str, int]
    missing_share: dict[str, Score]
    missing_share_by_modality: dict[str, Score]
    class_bias: ClassBias


Pca = closed(TypedDict("Pca", {"enabled": bool, "components": int, "variance_kept": float,
                               **{f"components_for_{share}pct": int for share in (80, 90, 95)}}))
"""``metrics/prognosis_pca.json``: the optional PCA and how many components keep 80, 90 and 95% of the variance
(:func:`alskit.prognosis.cohort.explained_variance`)."""

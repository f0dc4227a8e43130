"""Does training on synthetic data help? Seed 001 trains only on SDV synthetic rows; the question a reader asks
first is how the same models do when trained on the real rows the synthesizer was fit on.

Training sets, by the name used in metrics and model folders (``<model>_<set>``):

- ``x<factor>``: a synthetic set of ``factor`` x the balanced real subsample (the paper's protocol);
- ``real-balanced``: that balanced real subsample itself, the only real rows the synthesizer saw;
- ``real-all``: the whole real training half, imbalanced, class-weighted (``bdb.train.class_weight``).

Every model is scored on the same real test half, so synthetic-minus-real differences are paired: one bootstrap
resample of the test subjects scores both prediction sets (:func:`uncertainty.paired_difference`).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from alskit.common import metrics, uncertainty
from alskit.common.errors import UserError

REAL_SETS = ("real-balanced", "real-all")
VERDICTS = ("helped", "hurt", "indistinguishable")


def synthetic_sets(factors: list[int]) -> list[str]:
    """The synthetic training sets' names, ``x<factor>``, in params order."""
    return [f"x{factor}" for factor in factors]


def describe(name: str) -> str:
    """A training set in words, for chart panels: ``x10`` is "trained on x10 synthetic rows"."""
    words = {"real-balanced": "the balanced real subsample", "real-all": "every real training row"}
    return f"trained on {words.get(name, f'{name} synthetic rows')}"


def training_set_path(folder: Path, name: str) -> Path:
    """Where the split and synthesis stages write training set ``name`` under the study's data folder."""
    if name in REAL_SETS:
        return folder / f"train_{name.removeprefix('real-')}.csv"
    return folder / "synthetic" / f"{name}.csv"


def verdict(interval: list[float] | None) -> str | None:
    """``helped`` when the whole interval of synthetic-minus-real is above 0, ``hurt`` when it is below,
    ``indistinguishable`` when it straddles 0; ``None`` (missing) without an interval."""
    if interval is None:
        return None
    low, high = interval
    return "helped" if low > 0 else "hurt" if high < 0 else "indistinguishable"


def aligned(predictions: dict[str, pd.DataFrame], id_column: str) -> None:
    """Check that every prediction set scores the same test subjects in the same order (a paired comparison
    of different subjects would be no comparison)."""
    reference_name, reference = next(iter(predictions.items()))
    for name, frame in predictions.items():
        if not frame[id_column].astype(str).equals(reference[id_column].astype(str)):
            raise UserError(f"test predictions of {name} are not for the same subjects, in the same order, as those "
                            f"of {reference_name}; rerun both training stages")


def synthetic_vs_real(predictions: dict[str, pd.DataFrame], synthetic: list[str], id_column: str,
                      bootstrap: dict, threshold: float) -> dict:
    """Per synthetic set, AUROC (trained on it) minus AUROC (trained on each real set), with its paired bootstrap
    interval, the share of resamples where synthetic training scored higher, and the :func:`verdict`.

    ``predictions`` maps training-set names (synthetic and :data:`REAL_SETS`) to one model's test predictions
    (columns ``id_column``, ``y_true``, ``p``).
    """
    aligned(predictions, id_column)
    found = {}
    for size in synthetic:
        test = predictions[size]
        found[size] = {}
        for real in REAL_SETS:
            difference = uncertainty.paired_difference(
                test["y_true"], test["p"], predictions[real]["p"], metrics.binary_scores, "auroc",
                subjects=test[id_column].to_numpy(), threshold=threshold, **bootstrap)
            found[size][real] = {"auroc_difference": difference["difference"],
                                 **uncertainty.interval_fields(
                                     "auroc_difference", uncertainty.interval(difference, "difference")),
                                 "share_synthetic_higher": difference["share_above_zero"],
                                 "verdict": verdict(uncertainty.interval(difference, "difference"))}
    return found

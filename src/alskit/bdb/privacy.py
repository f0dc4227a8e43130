"""Does a synthetic set give away the real patients it was fit on? (Seed 001 claims privacy by design.)

Four measurements per synthetic set, all on the feature columns:

- exact copies: synthetic rows identical to a real training row;
- distance to closest record (DCR): how far each synthetic row is from its nearest real training row, beside
  how far each real held-out row (a patient the synthesizer never saw) is from its nearest training row.
  Synthetic rows much closer than unseen patients are memorised patients, not new ones;
- SDMetrics' ``DCROverfittingProtection``: the share of synthetic rows closer to the training rows than to
  the held-out rows (about 50% when nothing is memorised; score 1.0 = no sign of overfitting);
- a membership-inference attack (:func:`membership_inference`), because distance checks can pass while attacks
  still recover records (Ganev & De Cristofaro, 2023, "On the inadequacy of similarity-based privacy metrics"):
  can someone holding only the synthetic set tell the patients it was fit on from patients it never saw?

The held-out rows are a seeded sample of the real test half with the training rows' size and class mix, so
that "closer to training" is not decided by one set simply being larger. Distances are Euclidean after
min-max scaling fit on the training rows, so every marker weighs the same.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import MinMaxScaler

from alskit.common import metrics, uncertainty


def exact_copies(synthetic: pd.DataFrame, train: pd.DataFrame) -> int:
    """Synthetic rows equal, in every column, to some real training row."""
    seen = set(map(tuple, train.to_numpy()))
    return int(sum(tuple(row) in seen for row in synthetic.to_numpy()))


def closest_distances(reference: pd.DataFrame, *row_sets: pd.DataFrame) -> list[np.ndarray]:
    """For each set of rows, each row's Euclidean distance to its nearest ``reference`` row, on min-max scales
    fit on the reference rows."""
    scaler = MinMaxScaler().fit(reference)
    neighbours = NearestNeighbors(n_neighbors=1).fit(scaler.transform(reference))
    return [neighbours.kneighbors(np.clip(scaler.transform(rows[reference.columns]), -1, 2))[0][:, 0]
            for rows in row_sets]


def membership_inference(synthetic: pd.DataFrame, members: pd.DataFrame, non_members: pd.DataFrame,
                         bootstrap: dict) -> dict:
    """A distance-to-closest-record membership attack (the black-box attack of Chen et al., GAN-Leaks, 2020):
    the attacker holds only the synthetic set and calls a real record a member of the synthesizer's training
    rows the closer it lies to some synthetic row (scales fit on the synthetic set, all the attacker has).

    ``members`` are the training rows, ``non_members`` real patients the synthesizer never saw (the control set).
    The attack's AUROC is 0.5 when membership cannot be told and 1.0 when every training patient can be picked
    out; its interval resamples the records (``bootstrap``: ``audit.bootstrap``). ``detectable`` is true when the
    whole interval lies above 0.5: the synthetic set then gives away who was in the cohort it was fit on.
    """
    member_distance, non_member_distance = closest_distances(synthetic[members.columns], members, non_members)
    is_member = np.r_[np.ones(len(members), dtype=int), np.zeros(len(non_members), dtype=int)]
    closeness = 1 / (1 + np.r_[member_distance, non_member_distance])  # in (0, 1], higher = more likely a member
    auroc = metrics.binary_metrics(is_member, closeness)["auroc"]
    interval = uncertainty.bootstrap_intervals(is_member, closeness, metrics.binary_scores, **bootstrap)["auroc"]
    return {"members": len(members), "non_members": len(non_members), "auroc": auroc,
            **uncertainty.interval_fields("auroc", interval),
            "detectable": bool(interval is not None and interval[0] > 0.5)}


def dcr_report(synthetic: pd.DataFrame, train: pd.DataFrame, holdout: pd.DataFrame) -> dict:
    """Exact copies, and the DCR of synthetic rows beside that of unseen real rows (both to the training rows)."""
    synthetic_dcr, holdout_dcr = closest_distances(train, synthetic, holdout)
    return {
        "synthetic_rows": len(synthetic),
        "exact_copies": exact_copies(synthetic[train.columns], train),
        "dcr_synthetic_to_train": _quantiles(synthetic_dcr),
        "dcr_holdout_to_train": _quantiles(holdout_dcr),
        # synthetic rows nearer a training patient than the nearest unseen patient ever comes
        "share_closer_than_any_holdout": float(np.mean(synthetic_dcr < holdout_dcr.min())),
    }


def _quantiles(values: np.ndarray) -> dict[str, float]:
    return {"min": float(values.min()), "p05": float(np.quantile(values, 0.05)),
            "median": float(np.median(values))}


def matched_holdout(test: pd.DataFrame, train: pd.DataFrame, label: str, seed: int) -> pd.DataFrame:
    """A sample of ``test`` with as many rows of each class as ``train`` has (fewer if ``test`` lacks them)."""
    counts = train[label].value_counts()
    parts = [rows.sample(min(len(rows), int(counts.get(value, 0))), random_state=seed)
             for value, rows in test.groupby(label, sort=True)]
    return pd.concat(parts)


def overfitting_protection(train: pd.DataFrame, synthetic: pd.DataFrame, holdout: pd.DataFrame,
                           categorical: list[str]) -> dict:
    """SDMetrics' ``DCROverfittingProtection``: its score and the shares of synthetic rows closer to the
    training rows and to the held-out rows."""
    from sdmetrics.single_table import DCROverfittingProtection

    metadata = {"columns": {c: {"sdtype": "categorical" if c in categorical else "numerical"} for c in train}}
    result = DCROverfittingProtection.compute_breakdown(
        train.reset_index(drop=True), synthetic[train.columns].reset_index(drop=True),
        holdout[train.columns].reset_index(drop=True), metadata, "table")
    shares = result["synthetic_data_percentages"]
    return {"score": float(result["score"]), "closer_to_training": float(shares["closer_to_training"]),
            "closer_to_holdout": float(shares["closer_to_holdout"])}


def measure(synthetic: pd.DataFrame, train: pd.DataFrame, holdout: pd.DataFrame, categorical: list[str],
            bootstrap: dict) -> dict:
    """The four measurements of one synthetic set against the real training rows it was fit on and the
    matched held-out rows (:func:`matched_holdout`); ``categorical`` names the columns SDMetrics treats so."""
    return {**dcr_report(synthetic, train, holdout),
            "overfitting_protection": overfitting_protection(train, synthetic, holdout, categorical),
            "membership_inference": membership_inference(synthetic, train, holdout, bootstrap)}


def summary_line(found: dict) -> str:
    """One synthetic set's measurements in one line, for the log."""
    return (f"{found['exact_copies']} exact copies of {found['synthetic_rows']} rows; median DCR "
            f"{found['dcr_synthetic_to_train']['median']:.3f} (unseen patients "
            f"{found['dcr_holdout_to_train']['median']:.3f}); "
            f"{100 * found['overfitting_protection']['closer_to_training']:.0f}% closer to training than to "
            f"held-out rows; membership attack AUROC {found['membership_inference']['auroc']:.3f}")

"""Does a synthetic set give away the real patients it was fit on? (Seed 001 claims privacy by design.)

Three measurements per synthetic set, all on the feature columns:

- exact copies: synthetic rows identical to a real training row;
- distance to closest record (DCR): how far each synthetic row is from its nearest real training row, beside
  how far each real held-out row (a patient the synthesizer never saw) is from its nearest training row.
  Synthetic rows much closer than unseen patients are memorised patients, not new ones;
- SDMetrics' ``DCROverfittingProtection``: the share of synthetic rows closer to the training rows than to
  the held-out rows (about 50% when nothing is memorised; score 1.0 = no sign of overfitting).

The held-out rows are a seeded sample of the real test half with the training rows' size and class mix, so
that "closer to training" is not decided by one set simply being larger. Distances are Euclidean after
min-max scaling fit on the training rows, so every marker weighs the same.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import MinMaxScaler


def exact_copies(synthetic: pd.DataFrame, train: pd.DataFrame) -> int:
    """Synthetic rows equal, in every column, to some real training row."""
    seen = set(map(tuple, train.to_numpy()))
    return int(sum(tuple(row) in seen for row in synthetic.to_numpy()))


def closest_distances(train: pd.DataFrame, *row_sets: pd.DataFrame) -> list[np.ndarray]:
    """For each set of rows, each row's Euclidean distance to its nearest training row, on training-fit
    min-max scales."""
    scaler = MinMaxScaler().fit(train)
    neighbours = NearestNeighbors(n_neighbors=1).fit(scaler.transform(train))
    return [neighbours.kneighbors(np.clip(scaler.transform(rows[train.columns]), -1, 2))[0][:, 0]
            for rows in row_sets]


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

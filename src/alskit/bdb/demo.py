"""A demo cohort in the Modena BDB layout (docs/data.md, study 1).

Each marker is log-normal around a plausible serum median, with a shared
latent factor per marker family (cytokines, short-chain and long-chain fatty
acids) so that markers correlate as in real panels, and a detection floor
below which the assay reports its floor value. ALS subjects carry a latent
"disease activity" drawn from Beta(2, 2) x 2: it shifts inflammatory
cytokines and TTV up and some fatty acids, by marker-specific effects scaled
by ``effect_scale``. Mildly active patients look like controls, so the classes
overlap. Incomplete rows hold ``#!NULL``, empty cells or stray text, as the
real export does.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from alskit.bdb import cohort

# name: (median, log-sd, share of healthy values at the detection floor, ALS shift in log-sd, family)
MARKERS: dict[str, tuple[float, float, float, float, str]] = {
    "GCSF": (22.0, 0.6, 0.10, 0.30, "cytokine"),
    "IFNgamma": (4.5, 0.8, 0.20, 0.30, "cytokine"),
    "IL10": (2.8, 0.7, 0.25, 0.15, "cytokine"),
    "IL15": (3.2, 0.5, 0.10, 0.30, "cytokine"),
    "IL17A": (4.0, 0.9, 0.35, 0.35, "cytokine"),
    "IL1beta": (0.9, 0.9, 0.40, 0.40, "cytokine"),
    "IL2": (1.6, 0.8, 0.40, 0.00, "cytokine"),
    "IL4": (1.9, 0.7, 0.35, 0.00, "cytokine"),
    "IL6": (2.6, 0.8, 0.15, 0.75, "cytokine"),
    "IL8": (9.5, 0.7, 0.05, 0.45, "cytokine"),
    "MCP1": (310.0, 0.45, 0.00, 0.55, "cytokine"),
    "MIP1alfa": (5.2, 0.7, 0.25, 0.20, "cytokine"),
    "TNFalfa": (7.8, 0.6, 0.10, 0.65, "cytokine"),
    "VEGF": (160.0, 0.7, 0.05, -0.30, "cytokine"),
    "acetic": (48.0, 0.5, 0.00, 0.40, "scfa"),
    "Propionic": (3.1, 0.6, 0.05, -0.40, "scfa"),
    "Butyric": (1.5, 0.7, 0.10, -0.50, "scfa"),
    "isoButyric": (0.8, 0.6, 0.15, 0.30, "scfa"),
    "isoValeric": (0.6, 0.6, 0.20, 0.15, "scfa"),
    "@MethylButyric": (0.4, 0.6, 0.25, 0.00, "scfa"),
    "valeric": (0.3, 0.7, 0.30, -0.20, "scfa"),
    "Hexanoic": (0.5, 0.6, 0.20, 0.00, "mcfa"),
    "Heptanoic": (0.1, 0.7, 0.45, 0.00, "mcfa"),
    "Nonanoic": (0.2, 0.6, 0.35, 0.10, "mcfa"),
    "@EthylHexanoic": (0.1, 0.8, 0.50, 0.00, "mcfa"),
    "Octanoic": (0.6, 0.6, 0.20, 0.15, "mcfa"),
    "Decanoic": (0.4, 0.6, 0.25, 0.00, "mcfa"),
    "Benzoic": (0.8, 0.8, 0.20, 0.00, "mcfa"),
    "Dodecanoic": (2.0, 0.6, 0.10, 0.10, "lcfa"),
    "Tetradecanoic": (15.0, 0.5, 0.00, 0.20, "lcfa"),
    "Hexadecanoic": (150.0, 0.4, 0.00, 0.35, "lcfa"),
    "Octadecanoic": (60.0, 0.4, 0.00, 0.25, "lcfa"),
}
FAMILY_LOADING = {"cytokine": 0.55, "scfa": 0.45, "mcfa": 0.5, "lcfa": 0.65}
ALS, HEALTHY = cohort.CLASS_NAMES[1], cohort.CLASS_NAMES[0]   # the workbook's Disease words
# Torque Teno Virus: share of detectable viremia and log10 copies/mL when detected.
TTV_POSITIVE = {ALS: 0.78, HEALTHY: 0.55}
TTV_LOG_MEAN = {ALS: 3.6, HEALTHY: 2.9}
TTV_LOG_SD = 0.9
AGE = {ALS: (64.0, 10.0), HEALTHY: (59.0, 12.0)}
MALE_SHARE = {ALS: 0.58, HEALTHY: 0.45}


def make_cohort(n_als: int, n_healthy: int, incomplete_als: int, incomplete_healthy: int,
                effect_scale: float, seed: int) -> pd.DataFrame:
    """Return the demo workbook as a frame with the contract's 38 columns, rows shuffled."""
    rng = np.random.default_rng(seed)
    labels = np.array([ALS] * n_als + [HEALTHY] * n_healthy)
    is_als = labels == ALS
    activity = np.where(is_als, 2.0 * rng.beta(2.0, 2.0, size=len(labels)), 0.0)
    frame = pd.DataFrame({cohort.ID: [f"MO{i:03d}" for i in range(1, len(labels) + 1)]})
    frame[cohort.SEX] = np.where(rng.random(len(labels)) < np.vectorize(MALE_SHARE.get)(labels), "M", "F")
    frame[cohort.LABEL] = labels
    age_mean, age_sd = np.vectorize(lambda l: AGE[l][0])(labels), np.vectorize(lambda l: AGE[l][1])(labels)
    frame[cohort.AGE] = np.clip(np.round(rng.normal(age_mean, age_sd)), 25, 89).astype(int)
    families = {f: rng.normal(size=len(labels)) for f in FAMILY_LOADING}
    for name, (median, sd, floor_share, shift, family) in MARKERS.items():
        if name in cohort.FATTY_ACIDS:
            continue
        frame[name] = _marker(rng, families[family], FAMILY_LOADING[family], median, sd, floor_share,
                              shift * effect_scale * activity)
    ttv_log = _ttv(rng, labels, activity, effect_scale)
    frame["TTVlog"] = np.round(ttv_log, 2)
    frame["TTVcopies"] = np.where(ttv_log > 0, np.round(10.0 ** ttv_log), 0.0)
    for name in cohort.FATTY_ACIDS:
        median, sd, floor_share, shift, family = MARKERS[name]
        frame[name] = _marker(rng, families[family], FAMILY_LOADING[family], median, sd, floor_share,
                              shift * effect_scale * activity)
    frame = frame[cohort.COLUMNS].astype(object)
    _blank_cells(rng, frame, np.flatnonzero(is_als), incomplete_als)
    _blank_cells(rng, frame, np.flatnonzero(~is_als), incomplete_healthy)
    order = rng.permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True)


def _marker(rng: np.random.Generator, factor: np.ndarray, loading: float, median: float, sd: float,
            floor_share: float, shift: np.ndarray) -> np.ndarray:
    """Log-normal values with a family factor, a per-subject shift and a detection floor."""
    z = loading * factor + np.sqrt(1.0 - loading ** 2) * rng.normal(size=len(factor)) + shift
    values = median * np.exp(sd * z)
    if floor_share > 0:
        floor = median * np.exp(sd * norm.ppf(floor_share))
        values = np.maximum(values, floor)
    return np.round(values, 3)


def _ttv(rng: np.random.Generator, labels: np.ndarray, activity: np.ndarray, effect_scale: float) -> np.ndarray:
    """log10 TTV copies/mL, 0 where viremia is undetectable; ALS more often and more viremic."""
    healthy_p, als_p = TTV_POSITIVE[HEALTHY], TTV_POSITIVE[ALS]
    positive_p = np.where(labels == ALS, healthy_p + (als_p - healthy_p) * activity, healthy_p)
    positive = rng.random(len(labels)) < np.clip(positive_p, 0, 1)
    delta = (TTV_LOG_MEAN[ALS] - TTV_LOG_MEAN[HEALTHY]) * effect_scale * activity
    level = rng.normal(TTV_LOG_MEAN[HEALTHY] + delta, TTV_LOG_SD)
    return np.where(positive, np.clip(level, 1.0, None), 0.0)


def _blank_cells(rng: np.random.Generator, frame: pd.DataFrame, rows: np.ndarray, n_rows: int) -> None:
    """Make ``n_rows`` of ``rows`` incomplete: 1-3 numeric cells become ``#!NULL``, empty or stray text."""
    for row in rng.choice(rows, size=min(n_rows, len(rows)), replace=False):
        columns = rng.choice(cohort.NUMERIC[1:], size=rng.integers(1, 4), replace=False)
        for column in columns:
            frame.loc[row, column] = rng.choice(["#!NULL", "#!NULL", "#!NULL", None, "n.d."])

"""A demo prognosis cohort (docs/data.md, study 3): clinical, imaging and genetic features at diagnosis
and whether the patient turned out to be a fast progressor.

Each patient has a latent progression rate r (ALSFRS-R points lost per month), log-normal around
``median_rate``, made faster by the factors the ALS literature reports: bulbar onset, older age at onset,
C9orf72 and FUS repeat/mutation carriers; riluzole slows it a little. The rate before diagnosis drifts from r,
so the baseline ALSFRS-R (48 minus what was lost over the diagnostic delay) is a strong but imperfect clue.
Fast progressors reach diagnosis sooner (short diagnostic delay), lose weight (low BMI) and breathing capacity
(low FVC%); their corticospinal tracts (fractional anisotropy), precentral cortex (thickness) and motor units
(CMAP amplitude, MUNE) show more damage and they fasciculate more. Every measurement is noisy.

The outcome is the standard progression rate dFS = (48 - ALSFRS-R) / months since onset, measured at a
follow-up visit 18 months after diagnosis; ``progression`` is "fast" above ``fast_threshold`` points/month.
Imaging and EMG cells are missing at random (5-15 % per column by default), a few clinical and genetic
cells too, and a few rows are exported twice, so cleaning has real work to do.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

ID = "patient_id"
OUTCOME = "progression"
CLINICAL = ["age_at_onset", "sex", "onset_region", "diagnostic_delay_months", "alsfrs_r_total", "fvc_percent",
            "bmi", "riluzole"]
IMAGING = ["cst_fa", "precentral_thickness_mm", "cmap_amplitude_mv", "mune", "fasciculation_score"]
GENETIC = ["C9orf72", "SOD1", "FUS", "TARDBP"]
CARRIER_RATES = {"C9orf72": 0.07, "SOD1": 0.025, "FUS": 0.01, "TARDBP": 0.015}
FOLLOW_UP_MONTHS = 18


def _carriers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Independent carrier status per gene (a few percent positive each)."""
    return pd.DataFrame({gene: rng.random(n) < rate for gene, rate in CARRIER_RATES.items()})


def make_cohort(n_patients: int, fast_threshold: float, median_rate: float, missing_imaging: tuple[float, float],
                missing_other: float, duplicates: int, seed: int) -> pd.DataFrame:
    """The demo table: ``patient_id``, the clinical, imaging and genetic columns, ``progression``."""
    rng = np.random.default_rng(seed)
    n = n_patients
    genes = _carriers(rng, n)
    male = rng.random(n) < 0.6
    bulbar = rng.random(n) < np.where(male, 0.25, 0.40) + 0.15 * genes["C9orf72"]
    age = rng.normal(60, 11, n) + 4 * bulbar - 18 * genes["FUS"] - 3 * genes["C9orf72"]
    age = np.clip(age, 22, 88)
    riluzole = rng.random(n) < 0.75
    log_rate = (np.log(median_rate) + 0.35 * bulbar + 0.015 * (age - 60) + 0.35 * genes["C9orf72"]
                + 0.6 * genes["FUS"] + rng.choice([-0.3, 0.4], n) * genes["SOD1"] - 0.2 * genes["TARDBP"]
                - 0.1 * riluzole + rng.normal(0, 0.5, n))
    rate = np.exp(log_rate)
    speed = log_rate - np.log(median_rate)                       # > 0: faster than the typical patient
    delay = np.clip(np.exp(np.log(11) - 0.45 * speed + rng.normal(0, 0.4, n)), 2, 72)
    rate_before = rate * np.exp(rng.normal(0, 0.6, n))           # the pre-diagnosis slope drifts from r
    alsfrs = np.clip(np.round(48 - rate_before * delay + rng.normal(0, 2.5, n)), 6, 48)
    burden = (48 - alsfrs) / 48
    alsfrs_follow_up = np.clip(alsfrs - rate * FOLLOW_UP_MONTHS * np.exp(rng.normal(0, 0.45, n))
                               + rng.normal(0, 2, n), 0, 48)
    dfs = (48 - alsfrs_follow_up) / (delay + FOLLOW_UP_MONTHS)
    table = pd.DataFrame({
        ID: [f"ALS-{i:04d}" for i in range(1, n + 1)],
        "age_at_onset": np.round(age, 1),
        "sex": np.where(male, "M", "F"),
        "onset_region": np.where(bulbar, "bulbar", "spinal"),
        "diagnostic_delay_months": np.round(delay, 1),
        "alsfrs_r_total": alsfrs.astype(int),
        "fvc_percent": np.round(np.clip(98 - 55 * burden - 6 * bulbar - 7 * speed + rng.normal(0, 14, n), 25, 140)),
        "bmi": np.round(np.clip(25 - 1.3 * speed - 3 * burden + rng.normal(0, 3.6, n), 15, 42), 1),
        "riluzole": np.where(riluzole, "yes", "no"),
        "cst_fa": np.round(0.50 - 0.02 * speed - 0.05 * burden + rng.normal(0, 0.035, n), 3),
        "precentral_thickness_mm": np.round(2.55 - 0.006 * (age - 60) - 0.06 * speed - 0.1 * genes["C9orf72"]
                                            + rng.normal(0, 0.15, n), 2),
        "cmap_amplitude_mv": np.round(6.0 * np.exp(-0.2 * speed - 1.0 * burden + rng.normal(0, 0.35, n)), 2),
        "mune": np.round(110 * np.exp(-0.25 * speed - 1.2 * burden + rng.normal(0, 0.4, n))),
        "fasciculation_score": np.clip(np.round(1.6 + 0.5 * speed + rng.normal(0, 0.9, n)), 0, 4),
        **{gene: np.where(genes[gene], "positive", "negative") for gene in GENETIC},
        OUTCOME: np.where(dfs > fast_threshold, "fast", "slow"),
    })
    for column in IMAGING:
        table.loc[rng.random(n) < rng.uniform(*missing_imaging), column] = np.nan
    for column in ["fvc_percent", "bmi", *GENETIC]:
        table.loc[rng.random(n) < missing_other, column] = np.nan
    repeated = table.iloc[np.sort(rng.choice(n, size=duplicates, replace=False))]
    return pd.concat([table, repeated]).sample(frac=1, random_state=seed).reset_index(drop=True)

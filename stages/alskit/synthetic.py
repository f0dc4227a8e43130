"""Synthetic training data with SDV's Gaussian copula (seed 001, section II.D and III.A).

SDV 2.x API: metadata from ``Metadata.detect_from_dataframes({name: frame})``,
synthesizers fit and sample ``{name: frame}`` dictionaries, and
``evaluate_quality`` / ``run_diagnostic`` live in ``sdv.evaluation``.
"""
from __future__ import annotations

import logging
import warnings

import pandas as pd

log = logging.getLogger("alskit")
TABLE = "bdb"


def _metadata(frame: pd.DataFrame, categorical: list[str]):
    from sdv.metadata import Metadata

    metadata = Metadata.detect_from_dataframes({TABLE: frame})
    for column in categorical:
        metadata.update_column(column, sdtype="categorical", table_name=TABLE)
    return metadata


def synthesize(real: pd.DataFrame, n_rows: int, categorical: list[str], default_distribution: str,
               enforce_min_max_values: bool, enforce_rounding: bool, seed: int) -> pd.DataFrame:
    """Fit a Gaussian copula on ``real`` and sample ``n_rows`` synthetic rows, reproducibly.

    SDV samples from a fixed internal seed unless told otherwise; we set it from
    params through the synthesizer's ``_set_random_state`` (the hook SDV's own
    ``reset_sampling`` uses), so a seed change gives a new, reproducible sample.
    """
    from sdv.single_table import GaussianCopulaSynthesizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SDV's advice to save metadata as JSON; we rebuild it each run
        synthesizer = GaussianCopulaSynthesizer(
            _metadata(real, categorical), enforce_min_max_values=enforce_min_max_values,
            enforce_rounding=enforce_rounding, default_distribution=default_distribution)
        synthesizer.fit({TABLE: real})
        synthesizer._set_random_state(seed)
        sampled = synthesizer.sample(n_rows)
    synthetic = sampled[TABLE] if isinstance(sampled, dict) else sampled
    return synthetic[real.columns].reset_index(drop=True)


def quality(real: pd.DataFrame, synthetic: pd.DataFrame, categorical: list[str]) -> dict[str, float]:
    """SDV's quality report: column shapes, column pair trends and their overall score, in [0, 1]."""
    from sdv.evaluation import evaluate_quality

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = evaluate_quality({TABLE: real}, {TABLE: synthetic}, _metadata(real, categorical), verbose=False)
    properties = report.get_properties().set_index("Property")["Score"]
    return {"column_shapes": float(properties["Column Shapes"]),
            "column_pair_trends": float(properties["Column Pair Trends"]),
            "overall": float(report.get_score())}


def diagnostic(real: pd.DataFrame, synthetic: pd.DataFrame, categorical: list[str]) -> dict[str, float]:
    """SDV's diagnostic report: data validity (values of the right type and range), data structure (the same
    columns) and their overall score, in [0, 1]; anything below 1 is a synthesizer defect, not a trade-off."""
    from sdv.evaluation import run_diagnostic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = run_diagnostic({TABLE: real}, {TABLE: synthetic}, _metadata(real, categorical), verbose=False)
    properties = report.get_properties().set_index("Property")["Score"]
    return {"data_validity": float(properties["Data Validity"]), "data_structure": float(properties["Data Structure"]),
            "overall": float(report.get_score())}

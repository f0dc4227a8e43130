"""Synthetic training data with SDV's Gaussian copula (seed 001, section II.D and III.A).

SDV 2.x API: metadata from ``Metadata.detect_from_dataframes({name: frame})``,
synthesizers fit and sample ``{name: frame}`` dictionaries, and
``evaluate_quality`` / ``run_diagnostic`` live in ``sdv.evaluation``.
"""
from __future__ import annotations

import logging
import types
import warnings

import numpy as np
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
        model = synthesizer._model  # copulas GaussianMultivariate
        model._get_normal_samples = types.MethodType(_cholesky_normal_samples, model)
        synthesizer._set_random_state(seed)
        sampled = synthesizer.sample(n_rows)
    synthetic = sampled[TABLE] if isinstance(sampled, dict) else sampled
    return synthetic[real.columns].reset_index(drop=True)


def _cholesky_normal_samples(model, num_rows: int, conditions):
    """Rows from N(0, model.correlation) through its Cholesky factor.

    copulas calls ``np.random.multivariate_normal``, which factors the correlation matrix by SVD. Fit on fewer
    rows than columns (20 rows, 37 columns here) the matrix is singular and copulas adds 1.2e-7 x identity,
    so 18 eigenvalues are equal: their eigenvectors are any basis of that subspace, and which one LAPACK
    returns depends on the BLAS kernels of the CPU (AVX-512 vs AVX2). The samples then differ by up to 1e-3,
    and so did every synthetic set and model after it. The Cholesky factor is unique, so rounding-level
    differences in the matrix stay rounding-level in the samples (and vanish in the 3-decimal output). Same
    normal draws (one ``standard_normal((num_rows, d))`` from the seeded global stream), same distribution.
    """
    if conditions is not None:
        return type(model)._get_normal_samples(model, num_rows, conditions)
    correlation = model.correlation.to_numpy(dtype=float)
    try:
        factor = np.linalg.cholesky(correlation)
    except np.linalg.LinAlgError:  # not numerically positive definite: copulas' own SVD sampling
        log.warning("synthetic: correlation matrix not positive definite; sampling through its SVD")
        return type(model)._get_normal_samples(model, num_rows, conditions)
    normal = np.random.standard_normal((num_rows, len(model.columns)))
    return pd.DataFrame(normal @ factor.T, columns=model.columns)


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

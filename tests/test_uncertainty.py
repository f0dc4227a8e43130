"""Bootstrap intervals: resampling subjects, not rows; missing when undefined; seeded."""
import numpy as np
import pytest

from alskit.common import metrics, uncertainty
from alskit.common.cli import UserError
from alskit.common.config import load_audit
from conftest import params_with


def _cohort(n_subjects: int, recordings: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n_subjects)
    p = np.clip(0.5 + (y - 0.5) * 0.4 + rng.normal(0, 0.25, n_subjects), 0, 1)   # one score per subject
    return np.repeat(y, recordings), np.repeat(p, recordings), np.repeat(np.arange(n_subjects), recordings)


def test_interval_brackets_the_point_value_and_shrinks_with_more_subjects():
    widths = []
    for n in (40, 400):
        y, p, _ = _cohort(n, 1)
        point = metrics.binary_metrics(y, p)["auroc"]
        low, high = uncertainty.bootstrap_intervals(y, p, metrics.binary_scores, iterations=400, seed=1)["auroc"]
        assert low < point < high
        widths.append(high - low)
    assert widths[1] < 0.75 * widths[0]


def test_recordings_of_one_subject_are_drawn_together():
    y, p, subjects = _cohort(30, 8)
    by_subject = uncertainty.bootstrap_intervals(y, p, metrics.weighted_scores, 400, 1, subjects=subjects)
    by_row = uncertainty.bootstrap_intervals(y, p, metrics.weighted_scores, 400, 1)
    width = lambda ci: ci[1] - ci[0]  # noqa: E731
    assert width(by_subject["accuracy"]) > 2 * width(by_row["accuracy"]), "8 copies of a voice are not 8 subjects"


def test_undefined_metrics_are_missing_and_results_are_seeded():
    y, p = np.ones(20, dtype=int), np.linspace(0.1, 0.9, 20)
    intervals = uncertainty.bootstrap_intervals(y, p, metrics.binary_scores, 200, seed=3)
    assert intervals["auroc"] is None and intervals["specificity"] is None
    assert intervals == uncertainty.bootstrap_intervals(y, p, metrics.binary_scores, 200, seed=3)
    assert list(uncertainty.with_intervals({"a": 1, "b": 2}, {"a": [0, 2]})) == ["a", "a_ci_low", "a_ci_high", "b"]
    assert uncertainty.with_intervals({"a": 1}, {"a": None}) == {"a": 1, "a_ci_low": None, "a_ci_high": None}
    assert uncertainty.interval(uncertainty.with_intervals({"a": 1}, {"a": [0, 2]}), "a") == [0, 2]
    assert uncertainty.interval({"a": 1, "a_ci_low": None, "a_ci_high": None}, "a") is None


def test_bootstrap_settings_are_checked():
    with pytest.raises(UserError, match="audit.bootstrap.iterations must be an integer >= 100, got 5"):
        load_audit(params_with(audit={"bootstrap": {"iterations": 5}}))

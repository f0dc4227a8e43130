"""Bootstrap intervals: resampling subjects, not rows; missing when undefined; seeded."""
import numpy as np
import pytest

from alskit.common import metrics, uncertainty
from alskit.common.errors import UserError
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


def test_a_metric_undefined_in_exactly_half_the_resamples_keeps_its_interval():
    """"More than half" undefined is missing; half is not (the boundary of the rule in the docstring)."""
    assert uncertainty._percentiles(np.array([0.2, 0.4, np.nan, np.nan]), 0.5) == pytest.approx([0.25, 0.35])
    assert uncertainty._percentiles(np.array([0.2, np.nan, np.nan, np.nan]), 0.5) is None


def test_each_resample_draws_every_subject_and_as_many_subjects_as_there_are():
    subjects = np.repeat(np.arange(5), 3)                      # 5 subjects, 3 rows each
    weights = uncertainty._resample_weights(15, subjects, iterations=400, seed=0)
    assert weights.shape == (400, 15) and (weights.sum(axis=1) == 15).all()
    assert (weights[:, ::3].sum(axis=0) > 0).all(), "each subject, the first included, is drawn in some resample"
    assert (weights.reshape(400, 5, 3) == weights[:, ::3, None]).all(), "a subject's rows are drawn together"
    assert np.allclose(weights.mean(axis=0), 1, atol=0.15)


def test_the_threshold_reaches_the_scorer_and_defaults_to_one_half():
    y, p, _ = _cohort(60, 1)
    default = uncertainty.bootstrap_intervals(y, p, metrics.binary_scores, 200, seed=1)
    assert default == uncertainty.bootstrap_intervals(y, p, metrics.binary_scores, 200, seed=1, threshold=0.5)
    assert default["recall"] != uncertainty.bootstrap_intervals(y, p, metrics.binary_scores, 200, seed=1,
                                                                     threshold=0.7)["recall"]
    paired = lambda **kw: uncertainty.paired_difference(y, p, np.full(len(y), 0.6), metrics.binary_scores,  # noqa
                                                        "recall", 200, seed=1, **kw)
    assert paired() == paired(threshold=0.5)
    moved = paired(threshold=0.7)      # b calls everyone negative at 0.7, positive at 0.5
    assert moved["difference"] == pytest.approx(metrics.binary_metrics(y, p, threshold=0.7)["recall"])
    alone = uncertainty.bootstrap_intervals(y, p, metrics.binary_scores, 200, seed=1, threshold=0.7)["recall"]
    assert [moved["difference_ci_low"], moved["difference_ci_high"]] == pytest.approx(alone), \
        "every resample scores both sets at the threshold (b's recall is 0 in each)"
    assert paired()["difference"] == pytest.approx(metrics.binary_metrics(y, p)["recall"] - 1)


def test_a_paired_difference_resamples_subjects_is_seeded_and_says_which_side_wins():
    y, p, subjects = _cohort(30, 8)
    worse = np.clip(p + np.random.default_rng(5).normal(0, 0.3, len(p)), 0, 1)
    by_subject = uncertainty.paired_difference(y, p, worse, metrics.binary_scores, "auroc", 400, 1,
                                               subjects=subjects)
    by_row = uncertainty.paired_difference(y, p, worse, metrics.binary_scores, "auroc", 400, 1)
    width = lambda r: r["difference_ci_high"] - r["difference_ci_low"]  # noqa: E731
    assert width(by_subject) > 1.5 * width(by_row)
    assert by_subject == uncertainty.paired_difference(y, p, worse, metrics.binary_scores, "auroc", 400, 1,
                                                       subjects=subjects)
    assert by_subject["difference"] > 0 and by_subject["share_above_zero"] > 0.9, "a beats its noisier copy"
    flipped = uncertainty.paired_difference(y, worse, p, metrics.binary_scores, "auroc", 400, 1, subjects=subjects)
    assert flipped["share_above_zero"] == pytest.approx(1 - by_subject["share_above_zero"], abs=0.02)


def test_a_difference_undefined_everywhere_is_missing_not_nan():
    y, p = np.ones(20, dtype=int), np.linspace(0.1, 0.9, 20)    # one class: AUROC undefined
    found = uncertainty.paired_difference(y, p, p[::-1], metrics.binary_scores, "auroc", 200, 1)
    assert found == {"difference": None, "difference_ci_low": None, "difference_ci_high": None,
                     "share_above_zero": None}


def test_half_an_interval_is_no_interval():
    assert uncertainty.interval({"a_ci_low": None, "a_ci_high": 0.7}, "a") is None
    assert uncertainty.interval({"a_ci_low": 0.2, "a_ci_high": None}, "a") is None

"""The batched metrics agree with sklearn's, resample by resample, ties and undefined cases included."""
import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from alskit.common import metrics


def _resamples(n: int = 40, iterations: int = 60, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = np.round(np.clip(0.5 + (y - 0.5) * 0.3 + rng.normal(0, 0.25, n), 0, 1), 1)   # rounded: many ties
    weights = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(iterations)]).astype(float)
    weights[0, y == 0] = 0   # a resample with positives only: AUROC and specificity undefined
    return y, p, weights


def _or_nan(compute):
    try:
        return compute()
    except ValueError:
        return np.nan


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_binary_scores_match_sklearn_with_sample_weights():
    y, p, weights = _resamples()
    scores = metrics.binary_scores(y, p, weights, threshold=0.5)
    for b, w in enumerate(weights):
        called = (p >= 0.5).astype(int)
        tn, fp, fn, tp = skm.confusion_matrix(y, called, labels=[0, 1], sample_weight=w).ravel()
        expected = {
            "accuracy": skm.accuracy_score(y, called, sample_weight=w),
            "log_loss": skm.log_loss(y, np.clip(p, 1e-15, 1 - 1e-15), sample_weight=w, labels=[0, 1]),
            "precision": skm.precision_score(y, called, sample_weight=w, zero_division=np.nan),
            "recall": skm.recall_score(y, called, sample_weight=w, zero_division=np.nan),
            "f1": skm.f1_score(y, called, sample_weight=w, zero_division=np.nan),
            "specificity": tn / (tn + fp) if tn + fp else np.nan,
            "balanced_accuracy": (skm.balanced_accuracy_score(y, called, sample_weight=w)
                                  if tn + fp and tp + fn else np.nan),
            "auroc": _or_nan(lambda: skm.roc_auc_score(y, p, sample_weight=w)),
            "brier": skm.brier_score_loss(y, p, sample_weight=w),
        }
        assert set(expected) == set(metrics.BINARY_METRICS)
        for name, value in expected.items():
            assert scores[name][b] == pytest.approx(value, abs=1e-12, nan_ok=True), (b, name)
    assert np.isnan(scores["auroc"][0]) and not np.isnan(scores["auroc"][1:]).any()


def test_weighted_scores_match_sklearn_weighted_average():
    y, p, weights = _resamples(seed=1)
    for threshold in (0.5, 0.95):   # 0.95: class 1 is never called, its precision is undefined
        scores = metrics.weighted_scores(y, p, weights, threshold)
        called = (p >= threshold).astype(int)
        for b, w in enumerate(weights):
            precision, recall, f1, _ = skm.precision_recall_fscore_support(
                y, called, labels=[0, 1], average="weighted", sample_weight=w, zero_division=np.nan)
            assert scores["accuracy"][b] == pytest.approx(skm.accuracy_score(y, called, sample_weight=w), abs=1e-12)
            for name, value in {"precision": precision, "recall": recall, "f1": f1}.items():
                assert scores[name][b] == pytest.approx(value, abs=1e-12, nan_ok=True), (threshold, b, name)


def test_point_metrics_are_the_unweighted_case():
    y, p, _ = _resamples(seed=2)
    point = metrics.binary_metrics(y, p, 0.4)
    assert point["auroc"] == pytest.approx(skm.roc_auc_score(y, p), abs=1e-12)
    assert point["f1"] == pytest.approx(skm.f1_score(y, p >= 0.4), abs=1e-12)
    assert metrics.weighted_metrics(y, p)["f1"] == pytest.approx(skm.f1_score(y, p >= 0.5, average="weighted"))


def test_clinical_brier_matches_sklearn_and_its_trivial_reference():
    y, p, weights = _resamples(seed=3)
    brier = metrics.clinical_scores(y, p, weights)["brier"]
    assert brier == pytest.approx([skm.brier_score_loss(y, p, sample_weight=w) for w in weights], abs=1e-12)
    prevalence = np.full(len(y), y.mean())   # always answering the share of ALS
    assert metrics.brier_reference(y) == pytest.approx(skm.brier_score_loss(y, prevalence), abs=1e-12)


def test_undefined_metrics_are_missing_without_a_warning():
    """A stage log full of "invalid value encountered" would hide the one warning that matters."""
    import warnings
    y, p = np.ones(6, dtype=int), np.linspace(0.1, 0.9, 6)       # one class: AUROC and specificity undefined
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for scorer in (metrics.binary_metrics, metrics.weighted_metrics, metrics.clinical_metrics):
            found = scorer(y, np.zeros(6))                         # and no positive call: precision undefined
            assert found["accuracy"] == 0
        assert metrics.binary_metrics(y, p)["auroc"] is None and metrics.binary_metrics(y, p)["specificity"] is None
        assert metrics.clinical_metrics(y, p)["auroc"] is None
        cls, share = metrics.majority_rate(np.array([], dtype=int))
        assert cls == 0 and np.isnan(share)


def test_the_threshold_defaults_to_one_half_and_reaches_every_scorer():
    y = np.array([1, 1, 1, 0, 0, 0])
    p = np.array([0.9, 0.6, 0.5, 0.55, 0.2, 0.1])              # 0.5 exactly is a positive call
    weights = np.ones((1, 6))
    for point, batch in ((metrics.binary_metrics, metrics.binary_scores),
                         (metrics.weighted_metrics, metrics.weighted_scores),
                         (metrics.clinical_metrics, metrics.clinical_scores)):
        assert batch(y, p, weights)["accuracy"][0] == pytest.approx(5 / 6), batch.__name__
        assert point(y, p)["accuracy"] == pytest.approx(5 / 6), point.__name__
        assert point(y, p, threshold=0.52)["accuracy"] == pytest.approx(4 / 6), point.__name__
        assert point(y, p, threshold=0.95)["accuracy"] == pytest.approx(3 / 6), point.__name__
    assert metrics.clinical_metrics(y, p)["sensitivity"] == 1.0
    folds = pd.DataFrame({"fold": [1, 1, 1, 2, 2, 2], "y_true": [1, 1, 0, 1, 0, 0], "p": [0.9, 0.5, 0.55, 0.6, 0.2, 0.1]})
    assert metrics.fold_summary(folds)["accuracy"]["mean"] == pytest.approx((2 / 3 + 1) / 2)
    assert metrics.fold_summary(folds, threshold=0.52)["accuracy"]["mean"] == pytest.approx((1 / 3 + 1) / 2)


def test_log_loss_of_a_certain_wrong_answer_is_large_but_finite():
    found = metrics.binary_metrics(np.array([1, 0]), np.array([0.0, 1.0]))
    assert found["log_loss"] == pytest.approx(-np.log(1e-15), rel=1e-4)
    assert metrics.binary_metrics(np.array([1, 0]), np.array([1.0, 0.0]))["log_loss"] == pytest.approx(0, abs=1e-12)


def test_fold_summary_is_the_mean_and_population_sd_over_folds_leaving_undefined_folds_out():
    folds = pd.DataFrame({"fold": [2, 2, 2, 2, 1, 1, 1, 1, 3, 3],
                          "y_true": [1, 1, 0, 0, 1, 0, 1, 0, 1, 1],          # fold 3: positives only
                          "p": [0.9, 0.8, 0.1, 0.2, 0.9, 0.8, 0.2, 0.1, 0.7, 0.6]})
    summary = metrics.fold_summary(folds)
    assert summary["auroc"] == {"mean": pytest.approx(0.875), "std": pytest.approx(0.125)}   # folds 1 and 2 only
    assert summary["accuracy"] == {"mean": pytest.approx((1 + 0.5 + 1) / 3), "std": pytest.approx(np.std([1, 0.5, 1]))}
    one_class = metrics.fold_summary(folds[folds["fold"] == 3])
    assert one_class["auroc"] == {"mean": None, "std": None} and one_class["specificity"]["mean"] is None


def test_the_majority_class_is_positive_on_a_tie():
    assert metrics.majority_rate(np.array([1, 0, 1, 0])) == (1, 0.5)
    assert metrics.majority_rate(np.array([0, 0, 1])) == (0, pytest.approx(2 / 3))

"""The batched metrics agree with sklearn's, resample by resample, ties and undefined cases included."""
import numpy as np
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

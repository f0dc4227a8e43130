"""Synthetic versus real training (seed 001): the paired comparison gives the answer known by construction."""
import numpy as np
import pandas as pd
import pytest

from alskit.bdb import baselines, config, models
from alskit.common import uncertainty
from alskit.common.errors import UserError
from alskit.bdb import records as bdb_records
from alskit.common import records
from conftest import params_with

BOOTSTRAP = {"iterations": 1000, "seed": 0, "level": 0.95}
BDB = config.load(params_with(bdb={"train": {"scaler": "minmax", "seed": 0, "class_weight": "balanced"},
                                       "adaboost": {"n_estimators": 25, "learning_rate": 0.5}}))


def _population(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """A known generating distribution: two classes, the first three of six markers shifted for class 1."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.normal(0, 1, (n, 6)) + np.outer(y, [0.8, 0.8, 0.8, 0, 0, 0])
    return pd.DataFrame(X, columns=[f"m{i}" for i in range(6)]), y


def _predictions(training: dict[str, tuple], test: tuple) -> dict[str, pd.DataFrame]:
    X_test, y_test = test
    make = models.model_factory("adaboost", BDB)
    return {name: pd.DataFrame({"id": [f"S{i}" for i in range(len(y_test))], "y_true": y_test,
                                "p": make().fit(X, y).predict_proba(X_test)[:, 1]})
            for name, (X, y) in training.items()}


def test_synthetic_rows_from_the_true_distribution_cannot_be_told_from_real_rows():
    """Synthetic rows drawn from the true generating distribution carry what real rows carry: over 10 draws the
    paired interval of the difference straddles 0 (a 95% interval may miss once), centred near 0."""
    real, test = _population(120, seed=1), _population(150, seed=3)
    found = [baselines.synthetic_vs_real(
        _predictions({"x1": _population(120, seed=10 + k), "real-balanced": real, "real-all": real}, test),
        ["x1"], "id", BOOTSTRAP, 0.5)["x1"]["real-all"] for k in range(10)]
    assert sum(f["verdict"] == "indistinguishable" for f in found) >= 9
    assert abs(np.mean([f["auroc_difference"] for f in found])) < 0.03


def test_synthetic_rows_that_lost_the_signal_hurt_and_real_rows_that_lost_it_make_synthetic_help():
    real, test = _population(120, seed=1), _population(150, seed=3)
    X, y = _population(120, seed=2)
    shuffled = (X, np.random.default_rng(0).permutation(y))
    found = baselines.synthetic_vs_real(_predictions({"x1": shuffled, "real-balanced": real, "real-all": real}, test),
                                        ["x1"], "id", BOOTSTRAP, 0.5)
    assert found["x1"]["real-all"]["verdict"] == "hurt" and found["x1"]["real-all"]["auroc_difference_ci_high"] < 0
    found = baselines.synthetic_vs_real(_predictions({"x1": real, "real-balanced": shuffled, "real-all": real}, test),
                                        ["x1"], "id", BOOTSTRAP, 0.5)
    assert found["x1"]["real-balanced"]["verdict"] == "helped"
    assert found["x1"]["real-all"] == {"auroc_difference": 0.0, "auroc_difference_ci_low": 0.0,
                                       "auroc_difference_ci_high": 0.0,
                                       "share_synthetic_higher": 0.0, "verdict": "indistinguishable"}


def test_the_paired_interval_is_narrower_than_either_score_alone():
    rng = np.random.default_rng(4)
    y = np.repeat([0, 1], 40)
    p_a = np.clip(0.3 + 0.4 * y + rng.normal(0, 0.25, 80), 0, 1)
    p_b = np.clip(p_a + rng.normal(0, 0.05, 80), 0, 1)
    from alskit.common import metrics
    paired = uncertainty.paired_difference(y, p_a, p_b, metrics.binary_scores, "auroc", **BOOTSTRAP)
    alone = uncertainty.bootstrap_intervals(y, p_a, metrics.binary_scores, **BOOTSTRAP)["auroc"]
    low, high = paired["difference_ci_low"], paired["difference_ci_high"]
    assert low <= paired["difference"] <= high and high - low < (alone[1] - alone[0]) / 2


def test_predictions_for_different_subjects_are_refused():
    frame = pd.DataFrame({"id": ["A", "B"], "y_true": [0, 1], "p": [0.2, 0.8]})
    with pytest.raises(UserError, match="not for the same subjects"):
        baselines.aligned({"x10": frame, "real-all": frame.iloc[::-1]}, "id")


def test_training_set_names_map_to_the_stage_outputs(tmp_path):
    assert baselines.training_set_path(tmp_path, "x10") == tmp_path / "synthetic" / "x10.csv"
    assert baselines.training_set_path(tmp_path, "real-all") == tmp_path / "train_all.csv"
    assert baselines.training_set_path(tmp_path, "real-balanced") == tmp_path / "train_balanced.csv"
    assert [baselines.verdict(ci) for ci in ([0.01, 0.2], [-0.2, -0.01], [-0.1, 0.1], None)] == \
        ["helped", "hurt", "indistinguishable", None]


def test_the_verdict_needs_the_whole_interval_on_one_side_of_zero():
    assert baselines.verdict([0.01, 0.2]) == "helped" and baselines.verdict([-0.2, -0.01]) == "hurt"
    assert baselines.verdict([0.0, 0.2]) == "indistinguishable" == baselines.verdict([-0.2, 0.0])
    assert baselines.verdict([-0.1, 0.1]) == "indistinguishable" and baselines.verdict(None) is None


def test_each_synthetic_set_is_compared_with_each_real_set_on_the_same_subjects_at_the_threshold():
    """Every entry is the paired difference of that synthetic set's predictions and that real set's, resampling
    the test subjects by their IDs, at the evaluation's threshold."""
    from alskit.common import metrics

    rng = np.random.default_rng(7)
    ids = np.repeat([f"S{i}" for i in range(30)], 2)          # two rows per subject: resampled together
    y = np.repeat(rng.integers(0, 2, 30), 2)
    sets = {name: pd.DataFrame({"id": ids, "y_true": y, "p": np.clip(0.5 + shift * (y - 0.5) + rng.normal(0, 0.2, 60),
                                                                     0, 1)})
            for name, shift in (("x1", 0.9), ("x2", 0.0), ("real-balanced", 0.3), ("real-all", 0.3))}
    found = baselines.synthetic_vs_real(sets, ["x1", "x2"], "id", {"iterations": 300, "seed": 2}, threshold=0.3)
    records.checked(bdb_records.Comparison, {"x": found})
    assert set(found) == {"x1", "x2"} and all(set(f) == set(baselines.REAL_SETS) for f in found.values())
    for size in ("x1", "x2"):
        for real in baselines.REAL_SETS:
            paired = uncertainty.paired_difference(y, sets[size]["p"], sets[real]["p"], metrics.binary_scores,
                                                   "auroc", iterations=300, seed=2, subjects=ids, threshold=0.3)
            entry = found[size][real]
            assert entry["auroc_difference"] == paired["difference"]
            assert [entry["auroc_difference_ci_low"], entry["auroc_difference_ci_high"]] == \
                [paired["difference_ci_low"], paired["difference_ci_high"]]
            assert entry["share_synthetic_higher"] == paired["share_above_zero"]
            assert entry["verdict"] == baselines.verdict([paired["difference_ci_low"], paired["difference_ci_high"]])
    assert found["x1"]["real-all"]["verdict"] == "helped" and found["x2"]["real-all"]["verdict"] == "hurt"


def test_each_training_set_is_described_in_words_for_the_charts():
    assert baselines.describe("x10") == "trained on x10 synthetic rows"
    assert baselines.describe("real-balanced") == "trained on the balanced real subsample"
    assert baselines.describe("real-all") == "trained on every real training row"

"""Synthetic-data privacy audit: a planted copy must be found, an independent sample must pass."""
import numpy as np
import pandas as pd
import pytest

from alskit import privacy


def _patients(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"label": np.repeat([0, 1], n // 2), "marker_a": rng.lognormal(0, 0.5, n),
                         "marker_b": rng.normal(10, 2, n), "marker_c": rng.gamma(2, 1, n)})


@pytest.fixture(scope="module")
def train():
    return _patients(40, seed=1)


def test_a_synthetic_set_of_copied_patients_is_caught(train):
    copies = pd.concat([train, train.iloc[:10]]).sample(frac=1, random_state=0)
    holdout = _patients(40, seed=2)
    report = privacy.dcr_report(copies, train, holdout)
    assert report["exact_copies"] == 50 and report["dcr_synthetic_to_train"]["median"] == 0
    assert report["share_closer_than_any_holdout"] == 1.0
    protection = privacy.overfitting_protection(train, copies, holdout, categorical=["label"])
    assert protection["closer_to_training"] == 1.0 and protection["score"] == 0.0


def test_new_patients_from_the_same_population_pass(train):
    fresh, holdout = _patients(400, seed=3), _patients(40, seed=4)
    report = privacy.dcr_report(fresh, train, holdout)
    assert report["exact_copies"] == 0 and report["share_closer_than_any_holdout"] < 0.1
    assert report["dcr_synthetic_to_train"]["median"] == pytest.approx(report["dcr_holdout_to_train"]["median"],
                                                                       rel=0.35)
    protection = privacy.overfitting_protection(train, fresh, holdout, categorical=["label"])
    assert 0.3 < protection["closer_to_training"] < 0.7 and protection["score"] > 0.6


def test_holdout_is_matched_to_the_training_class_mix(train):
    test = _patients(60, seed=5).assign(label=np.r_[np.zeros(10), np.ones(50)].astype(int))
    holdout = privacy.matched_holdout(test, train.iloc[:30], "label", seed=0)
    assert holdout["label"].value_counts().to_dict() == {1: 10, 0: 10}
    assert holdout.equals(privacy.matched_holdout(test, train.iloc[:30], "label", seed=0))

"""Synthetic-data privacy audit: a planted copy must be found, an independent sample must pass."""
import numpy as np
import pandas as pd
import pytest

from alskit.bdb import privacy


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


BOOTSTRAP = {"iterations": 500, "seed": 0, "level": 0.95}


def test_a_synthesizer_that_copies_its_training_rows_fails_the_membership_attack(train):
    copies = pd.concat([train, train]).sample(frac=1, random_state=0)
    attack = privacy.membership_inference(copies, train, _patients(40, seed=2), BOOTSTRAP)
    assert attack["auroc"] == 1.0 and (attack["auroc_ci_low"], attack["auroc_ci_high"]) == (1.0, 1.0) and attack["detectable"]
    assert attack["members"] == attack["non_members"] == 40


def test_a_near_copy_is_caught_by_the_attack_though_it_copies_no_row_exactly(train):
    rng = np.random.default_rng(0)
    jittered = train.assign(marker_b=train["marker_b"] + rng.normal(0, 0.05, len(train)))
    assert privacy.dcr_report(jittered, train, _patients(40, seed=2))["exact_copies"] == 0
    attack = privacy.membership_inference(jittered, train, _patients(40, seed=2), BOOTSTRAP)
    assert attack["detectable"] and attack["auroc_ci_low"] > 0.9


def test_synthetic_rows_independent_of_the_training_rows_do_not_reveal_membership():
    """Over 20 cohorts whose synthetic rows are fresh draws from the population (never fit on the training rows),
    the attack is at chance: mean AUROC about 0.5 and 'detectable' about as often as a 95% interval misses."""
    attacks = [privacy.membership_inference(_patients(400, seed=2000 + k), _patients(40, seed=1000 + k),
                                            _patients(40, seed=3000 + k), BOOTSTRAP) for k in range(20)]
    assert 0.45 < np.mean([a["auroc"] for a in attacks]) < 0.55
    assert sum(a["detectable"] for a in attacks) <= 2
    assert all(a["auroc_ci_high"] - a["auroc_ci_low"] < 0.4 for a in attacks)

"""Synthetic-data privacy audit: a planted copy must be found, an independent sample must pass."""
import numpy as np
import pandas as pd
import pytest

from alskit.bdb import privacy
from alskit.bdb import records as bdb_records
from alskit.common import records


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


def test_a_coded_category_is_a_match_or_a_mismatch_not_a_distance():
    """A three-level code (site 0, 1, 2) as SDMetrics' categorical sdtype: site 1 is as far from 0 as from 2. Read
    as a number, 1 would sit halfway to 0 and the synthetic row below would look closer to its training row."""
    train = pd.DataFrame({"x": [0.0, 1.0], "site": [0, 2]})
    holdout = pd.DataFrame({"x": [0.6, 1.0], "site": [1, 0]})
    synthetic = pd.DataFrame({"x": [0.0], "site": [1]})
    as_category = privacy.overfitting_protection(train, synthetic, holdout, categorical=["site"])
    as_number = privacy.overfitting_protection(train, synthetic, holdout, categorical=[])
    assert (as_category["closer_to_training"], as_category["closer_to_holdout"]) == (0.0, 1.0)
    assert (as_number["closer_to_training"], as_number["closer_to_holdout"]) == (1.0, 0.0)


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


def test_the_measurements_are_the_four_parts_and_the_log_line_quotes_them(train):
    rng = np.random.default_rng(3)
    synthetic = pd.DataFrame(rng.normal(size=(40, train.shape[1])), columns=train.columns)
    holdout = pd.DataFrame(rng.normal(size=(30, train.shape[1])), columns=train.columns)
    bootstrap = {"iterations": 200, "seed": 0}
    found = privacy.measure(synthetic, train, holdout, [], bootstrap)
    records.checked(bdb_records.Privacy, found)
    assert found == {**privacy.dcr_report(synthetic, train, holdout),
                     "overfitting_protection": privacy.overfitting_protection(train, synthetic, holdout, []),
                     "membership_inference": privacy.membership_inference(synthetic, train, holdout, bootstrap)}
    assert set(found["dcr_synthetic_to_train"]) == {"min", "p05", "median"}
    assert set(found) == {"synthetic_rows", "exact_copies", "dcr_synthetic_to_train", "dcr_holdout_to_train",
                          "share_closer_than_any_holdout", "overfitting_protection", "membership_inference"}
    assert set(found["overfitting_protection"]) == {"score", "closer_to_training", "closer_to_holdout"}
    line = privacy.summary_line({"exact_copies": 2, "synthetic_rows": 40, "dcr_synthetic_to_train": {"median": 0.1234},
                                 "dcr_holdout_to_train": {"median": 0.5}, "overfitting_protection":
                                 {"closer_to_training": 0.625}, "membership_inference": {"auroc": 0.71}})
    assert line == ("2 exact copies of 40 rows; median DCR 0.123 (unseen patients 0.500); 62% closer to training "
                    "than to held-out rows; membership attack AUROC 0.710")


def test_distances_are_on_the_training_rows_scale_clipped_to_a_band_around_it():
    reference = pd.DataFrame({"a": [0.0, 10.0]})
    far_above, far_below = pd.DataFrame({"a": [50.0]}), pd.DataFrame({"a": [-50.0]})
    above, below = privacy.closest_distances(reference, far_above, far_below)
    assert above.tolist() == [1.0] and below.tolist() == [1.0], "scaled to [0, 1], clipped to [-1, 2]"


def test_a_synthetic_row_exactly_as_close_as_the_nearest_unseen_patient_is_not_closer():
    train = pd.DataFrame({"a": [0.0, 1.0]})
    found = privacy.dcr_report(pd.DataFrame({"a": [0.5, 0.1]}), train, pd.DataFrame({"a": [0.5]}))
    assert found["share_closer_than_any_holdout"] == 0.5 and found["synthetic_rows"] == 2


def test_the_holdout_takes_no_row_of_a_class_training_lacks_and_keeps_class_order():
    test = pd.DataFrame({"y": [2, 1, 0, 1, 0, 2], "x": range(6)})
    held = privacy.matched_holdout(test, pd.DataFrame({"y": [1, 0]}), "y", seed=0)
    assert held["y"].tolist() == [0, 1]


def test_the_attack_is_detectable_only_when_its_whole_interval_is_above_chance(train, monkeypatch):
    monkeypatch.setattr(privacy.uncertainty, "bootstrap_intervals", lambda *a, **k: {"auroc": [0.5, 0.9]})
    found = privacy.membership_inference(train, train, train.iloc[:10] + 5, {"iterations": 100, "seed": 0})
    assert found["auroc_ci_low"] == 0.5 and found["detectable"] is False

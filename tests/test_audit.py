"""Leakage audits on hand-built data where the right answer is known: planted leaks are found, clean data pass."""
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler

from alskit.common import audit
from alskit.voice import cv


def _table(n: int, seed: int, blank_for_controls: bool) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    labels = pd.Series(np.repeat(["ALS", "HC"], n // 2))
    frame = pd.DataFrame({"age": rng.normal(60, 10, n), "marker": rng.lognormal(0, 1, n),
                          "alsfrs": rng.integers(10, 48, n).astype(float)})
    frame.loc[rng.random(n) < 0.1, "marker"] = np.nan                      # missing at random
    if blank_for_controls:
        frame.loc[labels.to_numpy() == "HC", "alsfrs"] = np.nan           # missing by design
    return frame, labels


def test_subjects_on_both_sides_are_named():
    assert audit.subjects_on_both_sides(["A", "B", "C"], ["D", "B"]) == ["B"]
    assert audit.subjects_on_both_sides(["A"], ["D"]) == []
    # IDs that differ only in case or surrounding spaces are one subject
    assert audit.subjects_on_both_sides(["MO050", "MO051"], ["mo050 "]) == ["MO050"]


def test_recording_level_folds_put_speakers_in_several_folds_and_grouped_folds_do_not():
    subjects = np.repeat([f"S{i:02d}" for i in range(20)], 8)
    labels = np.repeat(np.arange(20) % 2, 8)
    leaky = cv.assign_folds(labels, subjects, 5, seed=0, group_by_subject=False)
    grouped = cv.assign_folds(labels, subjects, 5, seed=0, group_by_subject=True)
    assert len(audit.subjects_in_several_folds(subjects, leaky)) == 20
    assert audit.subjects_in_several_folds(subjects, grouped) == []


def test_a_column_blank_for_every_control_is_found_and_names_the_class():
    frame, labels = _table(200, seed=0, blank_for_controls=True)
    assert audit.missing_by_design(frame, labels, share=0.95) == {"alsfrs": "HC"}
    y = (labels == "ALS").to_numpy(dtype=int)
    assert audit.missingness_auroc(frame, y, folds=5, seed=0) > 0.99


def test_missing_at_random_carries_no_label():
    frame, labels = _table(400, seed=1, blank_for_controls=False)
    assert audit.missing_by_design(frame, labels, share=0.95) == {}
    auroc = audit.missingness_auroc(frame, (labels == "ALS").to_numpy(dtype=int), folds=5, seed=0)
    assert 0.35 < auroc < 0.65
    assert audit.missingness_auroc(frame.fillna(0), (labels == "ALS").to_numpy(dtype=int), 5, 0) is None


def test_incomplete_rows_more_common_in_one_class_are_caught():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(rng.normal(size=(200, 30)))
    y = np.repeat([1, 0], 100)
    for row in np.flatnonzero((y == 0) & (rng.random(200) < 0.4)):   # 40% of controls lose one random cell
        frame.iat[row, rng.integers(30)] = np.nan
    assert audit.missingness_auroc(frame, y, folds=5, seed=0) > 0.65


def test_a_scaler_fit_with_test_rows_is_caught():
    frame, _ = _table(100, seed=3, blank_for_controls=False)
    train, test = frame.iloc[:70].fillna(0), frame.iloc[70:].fillna(0) + 25   # test rows reach past train's range
    both = pd.concat([train, test])
    assert audit.fit_on_training_rows_only(MinMaxScaler().fit(train), train, both)
    assert not audit.fit_on_training_rows_only(MinMaxScaler().fit(both), train, both)


def test_a_fold_whose_preprocessing_saw_its_own_rows_is_caught():
    frame, _ = _table(90, seed=4, blank_for_controls=False)
    frame = frame.fillna(0)
    fold_of = pd.Series(np.arange(90) % 3, index=frame.index)
    clean = [MinMaxScaler().fit(frame[fold_of != k]) for k in range(3)]
    assert audit.folds_fit_on_held_out_rows(clean, fold_of, frame) == []
    planted = [clean[0], MinMaxScaler().fit(frame), clean[2]]   # fold 1's scaler fit on every row
    assert audit.folds_fit_on_held_out_rows(planted, fold_of, frame) == ["fold 1"]
    assert audit.folds_fit_on_held_out_rows(clean[:2], fold_of, frame) == ["2 fitted preprocessors for 3 folds"]


def test_missingness_findings_name_the_columns_and_score_the_mask():
    frame, labels = _table(200, seed=0, blank_for_controls=True)
    found = audit.missingness_findings(frame, labels, "ALS", share=0.95, folds=5, seed=0)
    assert found["missing_by_design"] == 1 and found["missing_by_design_columns"] == {"alsfrs": "HC"}
    expected = audit.missingness_auroc(frame, (labels == "ALS").to_numpy(dtype=int), folds=5, seed=0)
    assert found["missingness_only_auroc"] == expected > 0.99
    assert set(found) == {"missing_by_design", "missing_by_design_columns", "missingness_only_auroc"}
    assert audit.missingness_findings(frame, labels, "ALS", share=0.95, folds=4, seed=0)["missingness_only_auroc"] \
        == audit.missingness_auroc(frame, (labels == "ALS").to_numpy(dtype=int), folds=4, seed=0)


def test_a_column_blank_in_exactly_the_share_is_missing_by_design():
    labels = pd.Series(["ALS"] * 4 + ["HC"] * 4)
    frame = pd.DataFrame({"half": [1.0, 2, 3, 4, np.nan, np.nan, 7, 8], "both": [np.nan] * 8})
    assert audit.missing_by_design(frame, labels, share=0.5) == {"half": "HC"}


def test_a_subject_in_exactly_two_folds_is_named():
    assert audit.subjects_in_several_folds(["a", "a", "b", "b", "c"], [0, 1, 2, 2, 0]) == ["A"]
    assert audit.subjects_in_several_folds(["a", "a", "a"], [0, 1, 2]) == ["A"]


def test_the_missingness_model_uses_the_folds_groups_and_scaling_asked_for(monkeypatch):
    """The voice audit passes subjects as groups: a speaker's recordings must stay in one fold of the mask model
    too, with the configured fold count, and the mask's count column scaled like the 0/1 columns."""
    frame, labels = _table(60, seed=5, blank_for_controls=True)
    seen = {}

    def spy(model, X, y, cv, groups, method):
        seen.update(model=model, cv=cv, groups=groups)
        return np.column_stack([1 - y * 0.9, y * 0.9])

    monkeypatch.setattr(audit, "cross_val_predict", spy)
    groups = np.repeat(np.arange(30), 2)
    assert audit.missingness_auroc(frame, (labels == "ALS").to_numpy(dtype=int), 3, 7, groups=groups) == 1.0
    assert seen["cv"].n_splits == 3 and seen["cv"].shuffle and seen["cv"].random_state == 7
    assert (seen["groups"] == groups).all()
    assert [type(step).__name__ for _, step in seen["model"].steps] == ["StandardScaler", "LogisticRegression"]
    audit.missingness_auroc(frame, (labels == "ALS").to_numpy(dtype=int), 3, 7)
    assert (seen["groups"] == np.arange(60)).all(), "without groups, each row is its own group"


def test_a_transformer_that_passes_blank_cells_through_is_not_called_leaky():
    frame, _ = _table(100, seed=3, blank_for_controls=False)      # 'marker' has blank cells: NaN in, NaN out
    train, both = frame.iloc[:70], frame
    assert audit.fit_on_training_rows_only(MinMaxScaler().fit(train), train, both)


def test_findings_are_counted_and_the_first_ten_named():
    found = [f"S{i:02d}" for i in range(12)]
    assert audit.named(found) == {"count": 12, "examples": found[:10]}
    assert audit.named([]) == {"count": 0, "examples": []}


def test_run_folders_are_the_sorted_subfolders(tmp_path):
    for name in ("rf", "gb", "ensemble"):
        (tmp_path / name).mkdir()
    (tmp_path / "notes.txt").write_text("not a run")
    assert [p.name for p in audit.run_folders(tmp_path)] == ["ensemble", "gb", "rf"]


def test_the_columns_left_without_those_missing_by_design():
    assert audit.without_by_design(["a", "b"], {}) == (["a", "b"], "no clinical column is missing by design for "
                                                                  "one class")
    assert audit.without_by_design(["a", "b"], {"b": "HC"}) == (["a"], "")
    assert audit.without_by_design(["a"], {"a": "HC"}) == ([], "every clinical column is missing by design for one "
                                                               "class")


def test_the_missingness_auroc_of_the_findings_is_seeded_and_scores_the_positive_class():
    """On masks missing at random the out-of-fold AUROC depends on the folds: the findings' value must be the
    one of the configured seed, with the positive class as 1."""
    frame, labels = _table(400, seed=1, blank_for_controls=False)
    found = audit.missingness_findings(frame, labels, "ALS", share=0.95, folds=5, seed=0)["missingness_only_auroc"]
    assert found == audit.missingness_auroc(frame, (labels == "ALS").to_numpy(dtype=int), folds=5, seed=0)
    assert found != audit.missingness_auroc(frame, (labels == "ALS").to_numpy(dtype=int), folds=5, seed=1)

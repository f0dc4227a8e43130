"""Bulbar severity from voice (alskit.voice.severity): level merging, the vectorised scores against sklearn, the
trivial answers, and, through the nested CV, a signal found and lost when the items are shuffled among the
patients."""
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, cohen_kappa_score, f1_score, mean_absolute_error
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from alskit.voice import nested, severity
from alskit.common import records
from alskit.voice import records as voice_records


def test_small_levels_merge_with_their_smaller_neighbour():
    demo = pd.Series([0] * 4 + [1] * 11 + [2] * 22 + [3] * 34 + [4] * 31, dtype=float)
    assert severity.merge_levels(demo, 5) == {0: "0-1", 1: "0-1", 2: "2", 3: "3", 4: "4"}
    tied = pd.Series([0] * 9 + [1] * 2 + [2] * 9 + [3] * 20, dtype=float)
    assert severity.merge_levels(tied, 5)[1] == "1-2"          # a tie goes to the milder neighbour
    assert set(severity.merge_levels(pd.Series([0, 1, 2, 3], dtype=float), 5).values()) == {"0-3"}


def test_classes_put_healthy_last_and_count_patients_without_the_item(caplog):
    caplog.set_level("INFO", logger="alskit")
    clinical = pd.DataFrame({"subject": ["P1", "P2", "P3", "P4", "C1"], "label": [1, 1, 1, 1, 0],
                             "Speech": [4, 2, np.nan, 4, 4]})     # a control with the item recorded
    people, table = severity.classes(clinical, "Speech", 1)
    assert table["names"] == ["2", "4", "HC"] and table["patients_without_item"] == 1
    assert people["level"].tolist() == ["4", "2", "4", "HC"] and people["code"].tolist() == [1, 0, 1, 2]
    assert table["values"] == {"2": 2.0, "4": 4.0, "HC": 4.0}
    assert np.isnan(people["item"].iloc[-1])                            # not scored as a patient
    assert "without Speech" in caplog.text


def test_scores_match_sklearn():
    rng = np.random.default_rng(0)
    n, k = 60, 4                                   # levels 0..2, then healthy (code 3)
    truth = rng.integers(0, k, n)
    called = np.where(rng.random(n) < 0.6, truth, rng.integers(0, k, n))
    values = np.array([0.5, 2.0, 3.5, 4.0])
    items = np.where(truth == 3, np.nan, values[truth] + rng.choice([-0.5, 0.0, 0.5], n) * (truth == 0))
    w = rng.integers(1, 4, n).astype(float)
    got = {m: v[0] for m, v in severity.scores(truth, called, w[None, :], n_classes=k, values=values,
                                                 items=items).items()}
    assert got["macro_f1"] == pytest.approx(f1_score(truth, called, average="macro", sample_weight=w))
    assert got["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(truth, called, sample_weight=w))
    p = ~np.isnan(items)
    clipped = np.minimum(called[p], 2)
    assert got["patients_macro_f1"] == pytest.approx(f1_score(truth[p], clipped, average="macro",
                                                              sample_weight=w[p]))
    assert got["mae"] == pytest.approx(mean_absolute_error(items[p], values[called[p]], sample_weight=w[p]))
    assert got["kappa"] == pytest.approx(cohen_kappa_score(truth[p], clipped, labels=[0, 1, 2], weights="quadratic",
                                                           sample_weight=w[p]))


def test_trivial_answers():
    truth = np.array([0, 1, 1, 1, 2, 2])
    items = np.array([1.0, 3.0, 3.0, 3.0, np.nan, np.nan])
    out = severity.trivial(truth, items, 3, np.array([1.0, 3.0, 4.0]))
    assert out["majority_macro_f1"] == pytest.approx(f1_score(truth, [1] * 6, average="macro"))
    assert out["majority_balanced_accuracy"] == pytest.approx(1 / 3)
    assert out["median_item"] == 3.0 and out["median_item_mae"] == pytest.approx(0.5)


def severity_cohort(shuffle: bool, seed: int = 0):
    """90 patients (items 1-4) and 30 controls, 2 recordings each; one measure follows the item (and the
    controls sit at item 4.5); with ``shuffle`` the items are permuted among the patients after the voices are
    made, so the voice no longer follows them."""
    rng = np.random.default_rng(seed)
    items = np.concatenate([rng.integers(1, 5, 90).astype(float), np.full(30, np.nan)])
    voice = np.where(np.isnan(items), 4.5, items)
    if shuffle:
        items[:90] = rng.permutation(items[:90])
    clinical = pd.DataFrame({"subject": [f"S{i:03d}" for i in range(120)], "label": [1] * 90 + [0] * 30,
                             "Speech": items})
    people, table = severity.classes(clinical, "Speech", 5)
    rows = np.repeat(np.arange(120), 2)
    X = np.column_stack([voice[rows] + rng.normal(0, 0.4, len(rows)), rng.normal(size=len(rows))])
    candidate = nested.Candidate("logreg", X, lambda: make_pipeline(StandardScaler(),
                                                                   LogisticRegression(C=1.0, max_iter=2000)))
    result = nested.nested_cv([candidate], people["code"].to_numpy()[rows], people["subject"].to_numpy()[rows], 5,
                              3, [0], "macro_f1", balanced=True)
    P = result.predictions.groupby(result.predictions["row"] // 2)[[f"p{c}" for c in range(len(table["names"]))]]
    return severity.summary(people, P.mean().to_numpy(), table, {"iterations": 300, "seed": 0})


def test_severity_is_found_and_lost_when_the_items_are_shuffled_among_patients():
    found, lost = severity_cohort(shuffle=False), severity_cohort(shuffle=True)
    assert found["kappa"] > 0.7 and found["patients_macro_f1"] > 0.5
    assert found["patients_macro_f1_ci_low"] > found["majority_level_patients_macro_f1"]
    assert found["mae"] < found["median_item_mae"]
    assert abs(lost["kappa"]) < 0.2 and lost["kappa_ci_low"] < 0 < lost["kappa_ci_high"]
    assert lost["patients_macro_f1_ci_low"] <= lost["majority_level_patients_macro_f1"] + 0.05
    assert lost["mae"] > 0.8 * lost["median_item_mae"]
    assert lost["macro_f1"] > lost["majority_macro_f1"]    # controls unchanged: healthy is still told apart


def test_a_workbook_without_the_item_skips_the_stage_with_a_reason(tmp_path):
    import json
    import subprocess
    import sys

    from conftest import REPO, venv_env

    pd.DataFrame({"subject": ["PZ001", "CT001"], "label": [1, 0], "Age": [60, 61]}).to_csv(tmp_path / "clinical.csv",
                                                                                        index=False)
    out = [str(tmp_path / name) for name in ("severity", "metrics.json", "confusion.json")]
    result = subprocess.run([sys.executable, "stages/voice_severity.py", str(tmp_path / "no_features.csv"),
                             str(tmp_path / "clinical.csv"), *out], cwd=REPO, env=venv_env(), capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "metrics.json").read_text()) == {
        "skipped": "the clinical workbook has no column ALSFRS-R_Speech (voice.severity.target)"}
    assert json.loads((tmp_path / "confusion.json").read_text()) == []
    assert "severity task skipped" in result.stderr


def test_a_clinical_column_among_the_inputs_is_found():
    clinical = ["subject", "label", "Age", "ALSFRS-R_Speech"]
    assert severity.clinical_inputs(["egemaps_F0", "jitter_local", "ALSFRS-R_Speech"], clinical) == ["ALSFRS-R_Speech"]
    assert severity.clinical_inputs(["egemaps_F0", "subject", "label"], clinical) == []


def test_a_level_with_exactly_enough_subjects_keeps_its_name_and_the_smallest_merges_first():
    items = pd.Series([0] * 5 + [1] * 3 + [2] * 4 + [3] * 6, dtype=float)
    assert severity.merge_levels(items, 5) == {0: "0", 1: "1-2", 2: "1-2", 3: "3"}
    assert severity.merge_levels(items, 3) == {0: "0", 1: "1", 2: "2", 3: "3"}


def test_merged_levels_are_valued_at_the_mean_of_their_items_and_counted(caplog):
    caplog.set_level("INFO", logger="alskit")
    clinical = pd.DataFrame({"subject": [f"P{i}" for i in range(9)] + ["C1", "C2"], "label": [1] * 9 + [0, 0],
                             "Speech": [0, 1, 1, 3, 3, 3, 4, 4, 4, np.nan, np.nan]})
    people, table = severity.classes(clinical, "Speech", 3)
    assert table["names"] == ["0-1", "3", "4", "HC"]
    assert table["values"] == {"0-1": 0.5, "3": 3.0, "4": 4.0, "HC": 4.0}
    assert table["merged"] == {"0-1": 2} and table["patients_without_item"] == 0
    assert table["subjects"] == {"0-1": 3, "3": 3, "4": 3, "HC": 2}
    assert people["code"].tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3]
    assert "speech items 0, 1 held too few subjects to stratify 3 folds: merged as level 0-1" in caplog.text


def test_the_summary_scores_the_most_probable_class_beside_the_trivial_answers():
    clinical = pd.DataFrame({"subject": [f"S{i}" for i in range(12)], "label": [1] * 8 + [0] * 4,
                             "Speech": [2, 2, 2, 2, 4, 4, 4, 4] + [np.nan] * 4})
    people, table = severity.classes(clinical, "Speech", 1)
    truth = people["code"].to_numpy()                       # 0 = item 2, 1 = item 4, 2 = HC
    called = np.array([0, 0, 1, 0, 1, 1, 1, 2, 2, 2, 1, 2])
    probabilities = np.eye(3)[called] * 0.6 + 0.4 / 3
    out = severity.summary(people, probabilities, table, {"iterations": 200, "seed": 0})
    records.checked(voice_records.Severity, {**out, "clinical_columns_read": 0, "candidates": {}})  # as the stage
    assert out["macro_f1"] == pytest.approx(f1_score(truth, called, average="macro"))
    assert out["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(truth, called))
    patients = slice(0, 8)
    clipped = np.minimum(called[patients], 1)             # called healthy: the mildest level (item 4)
    assert out["patients_macro_f1"] == pytest.approx(f1_score(truth[patients], clipped, average="macro"))
    assert out["mae"] == pytest.approx(np.mean(np.abs(people["item"][:8] - np.array([2.0, 4.0, 4.0])[called[:8]])))
    assert out["kappa"] == pytest.approx(cohen_kappa_score(truth[patients], clipped, weights="quadratic"))
    assert out["macro_f1_ci_low"] <= out["macro_f1"] <= out["macro_f1_ci_high"]
    assert (out["subjects"], out["patients"], out["classes"]) == (12, 8, {"2": 4, "4": 4, "HC": 4})
    assert out["merged"] == {} and out["patients_without_item"] == 0
    assert out["majority_macro_f1"] == pytest.approx(f1_score(truth, [0] * 12, average="macro"))
    assert out["majority_level_patients_macro_f1"] == pytest.approx(f1_score(truth[patients], [0] * 8,
                                                                             average="macro"))
    assert (out["median_item"], out["median_item_mae"]) == (3.0, 1.0)


def test_a_score_that_cannot_be_computed_is_missing_not_zero():
    truth = np.array([0, 0, 1, 1])
    items = np.array([2.0, 2.0, np.nan, np.nan])              # every patient at one level
    out = severity.point(truth, np.array([0, 0, 1, 1]), 2, np.array([2.0, 4.0]), items)
    assert out["kappa"] is None and out["mae"] == 0.0 and out["macro_f1"] == 1.0


def test_the_smallest_level_merges_with_its_smaller_neighbour_on_either_side_or_its_only_one():
    left_smaller = pd.Series([0] * 3 + [1] * 2 + [2] * 9 + [3] * 9, dtype=float)
    assert severity.merge_levels(left_smaller, 5) == {0: "0-1", 1: "0-1", 2: "2", 3: "3"}
    last = pd.Series([0] * 9 + [1] * 9 + [2] * 2, dtype=float)
    assert severity.merge_levels(last, 5) == {0: "0", 1: "1-2", 2: "1-2"}


def test_only_merged_levels_are_logged(caplog):
    caplog.set_level("INFO", logger="alskit")
    clinical = pd.DataFrame({"subject": [f"P{i}" for i in range(7)], "label": [1] * 7,
                             "Speech": [0, 1, 3, 3, 3, 4, 4]})
    severity.classes(clinical, "Speech", 2)
    assert caplog.text.count("merged as level") == 1 and "merged as level 0-1" in caplog.text


def test_a_class_nobody_has_or_is_called_is_left_out_of_the_macro_average():
    truth, called = np.array([0, 0, 1, 1, 3, 3]), np.array([0, 1, 1, 1, 3, 0])   # class 2: absent
    items = np.array([1.0, 1.0, 2.0, 2.0, np.nan, np.nan])
    got = severity.point(truth, called, 4, np.array([1.0, 2.0, 3.0, 4.0]), items)
    assert got["macro_f1"] == pytest.approx(f1_score(truth, called, average="macro"))
    assert got["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(truth, called))


def test_each_resample_has_its_own_mean_absolute_error():
    truth, called = np.array([0, 0, 1, 1, 2]), np.array([1, 0, 1, 0, 2])
    items, values = np.array([1.0, 1.0, 3.0, 3.0, np.nan]), np.array([1.0, 3.0, 4.0])
    weights = np.array([[1.0, 1, 1, 1, 1], [3.0, 0, 0, 1, 2]])
    mae = severity.scores(truth, called, weights, n_classes=3, values=values, items=items)["mae"]
    errors = np.abs(items[:4] - values[called[:4]])
    assert mae == pytest.approx([np.average(errors, weights=w[:4]) for w in weights])


def test_the_patients_trivial_level_is_their_most_common_one_not_the_controls():
    truth = np.array([0, 0, 0, 1, 2, 2, 2, 2])               # levels 0, 1 for patients; 2 = HC
    items = np.array([1.0, 1.0, 1.0, 3.0, np.nan, np.nan, np.nan, np.nan])
    out = severity.trivial(truth, items, 3, np.array([1.0, 3.0, 4.0]))
    assert out["majority_level_patients_macro_f1"] == pytest.approx(f1_score(truth[:4], [0] * 4, average="macro"))
    assert out["majority_macro_f1"] == pytest.approx(f1_score(truth, [2] * 8, average="macro"))


def test_the_confusion_rows_count_every_pair_of_classes_zeros_included():
    people = pd.DataFrame({"level": ["2", "2", "4", "HC"]})
    rows = severity.confusion_rows(people, np.array([0, 1, 1, 2]), ["2", "4", "HC"], "nested")
    counts = {(r["actual"], r["predicted"]): r["count"] for r in rows}
    assert len(rows) == 9 and sum(counts.values()) == 4
    assert counts[("2", "2")] == counts[("2", "4")] == counts[("4", "4")] == counts[("HC", "HC")] == 1
    assert {(r["panel"], r["model"], r["order"]) for r in rows} == {("per subject, nested CV", "nested", 0)}

"""How far to trust a voice model: clinical metrics against the trivial answer, per subject, per task, and
collapsed folds, on hand-built predictions whose answers are known."""
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import balanced_accuracy_score, recall_score, roc_auc_score

from alskit.common import audit, metrics
from alskit.voice import evaluate as voice_eval
from alskit.common.errors import UserError
from alskit.common import records
from alskit.voice import records as voice_records

BOOTSTRAP = {"iterations": 500, "seed": 0, "level": 0.95}


def cohort(n_als: int = 30, n_hc: int = 10, tasks=("phonationA", "rhythmPA"), folds: int = 5) -> pd.DataFrame:
    """One row per recording: ``n_als`` + ``n_hc`` subjects, each with one recording per task, in ``folds``
    subject-grouped folds."""
    subjects = [f"PZ{i:03d}" for i in range(n_als)] + [f"CT{i:03d}" for i in range(n_hc)]
    rows = [{"subject": s, "task": t, "y_true": int(s.startswith("PZ")), "fold": k % folds}
            for k, s in enumerate(subjects) for t in tasks]
    frame = pd.DataFrame(rows)
    frame.insert(0, "row", np.arange(len(frame)))
    return frame


def test_clinical_scores_agree_with_sklearn():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    p = np.clip(0.3 * y + rng.random(200) * 0.7, 0, 1)
    scores = metrics.clinical_metrics(y, p)
    called = (p >= 0.5).astype(int)
    assert scores["auroc"] == pytest.approx(roc_auc_score(y, p))
    assert scores["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(y, called))
    assert scores["sensitivity"] == pytest.approx(recall_score(y, called))
    assert scores["specificity"] == pytest.approx(recall_score(1 - y, 1 - called))


def test_majority_rate_is_the_accuracy_of_the_constant_answer():
    assert metrics.majority_rate(np.array([1, 1, 1, 0])) == (1, 0.75)
    assert metrics.majority_rate(np.array([0, 0, 1])) == (0, pytest.approx(2 / 3))


def test_always_answering_the_majority_is_flagged_trivial():
    """The audio-only CNN on a real cohort: 'healthy' for everyone scores the majority rate and nothing else."""
    frame = cohort(n_als=10, n_hc=30)
    frame["p"] = 0.2 + 0.01 * np.random.default_rng(0).random(len(frame))   # always HC, random order
    result = voice_eval.evaluate(frame, BOOTSTRAP)
    for level in ("per_recording", "per_subject"):
        scored = result[level]
        assert scored["majority_class"] == "HC" and scored["majority_rate"] == pytest.approx(0.75)
        assert scored["accuracy"] == pytest.approx(0.75) and scored["balanced_accuracy"] == 0.5
        assert scored["sensitivity"] == 0 and scored["specificity"] == 1
        assert not scored["informative"] and not scored["beats_majority"]
    assert result["folds"]["collapsed"] == 5, "every fold answered one class for all"


def test_a_model_that_separates_is_not_flagged():
    frame = cohort()
    frame["p"] = np.where(frame["y_true"] == 1, 0.8, 0.2) + 0.05 * np.random.default_rng(0).random(len(frame))
    result = voice_eval.evaluate(frame, BOOTSTRAP)
    assert result["per_subject"]["auroc"] == 1 and result["per_subject"]["informative"]
    assert result["per_subject"]["beats_majority"]
    assert result["folds"]["collapsed"] == 0


def test_a_subject_is_diagnosed_from_the_mean_of_their_recordings():
    frame = cohort(n_als=2, n_hc=2, tasks=("phonationA", "phonationE", "rhythmKA"), folds=2)
    frame["p"] = [0.9, 0.4, 0.5,  0.2, 0.3, 0.1,  0.6, 0.6, 0.6,  0.1, 0.7, 0.1]
    people = voice_eval.subject_predictions(frame).set_index("subject")
    assert people.loc["PZ000", "p"] == pytest.approx(0.6) and people.loc["PZ001", "p"] == pytest.approx(0.2)
    assert people.loc["CT000", "p"] == pytest.approx(0.6) and people.loc["CT001", "p"] == pytest.approx(0.3)
    assert (people["recordings"] == 3).all()
    assert people.loc["PZ000", "fold"] == 0 and people.loc["PZ001", "fold"] == 1
    # per subject: PZ000 0.6 and CT000 0.6 tie; PZ001 0.2 below CT001 0.3 -> AUROC (0.5 + 1 + 0 + 0) / 4
    result = voice_eval.evaluate(frame, BOOTSTRAP)
    assert result["per_subject"]["auroc"] == pytest.approx(0.375)
    assert result["per_subject"]["n"] == 4 and result["per_recording"]["n"] == 12


def test_recording_level_folds_give_a_subject_no_single_fold():
    frame = cohort(n_als=2, n_hc=2)
    frame["fold"] = np.arange(len(frame)) % 2
    frame["p"] = 0.5
    assert (voice_eval.subject_predictions(frame)["fold"] == -1).all()


def test_a_subject_with_two_labels_is_an_error():
    frame = cohort(n_als=2, n_hc=2)
    frame["p"] = 0.5
    frame.loc[0, "y_true"] = 0
    with pytest.raises(UserError, match="subject PZ000 has recordings with both labels"):
        voice_eval.subject_predictions(frame)


def test_collapsed_folds_are_named_one_by_one():
    """Fold 2 answers ALS for everyone; fold 4's validation loss never beats its first epoch (early stopping
    restored epoch 1, as the demo's audio-only fold 4 once did for 48 epochs)."""
    frame = cohort()
    rng = np.random.default_rng(3)
    frame["p"] = np.where(frame["y_true"] == 1, 0.7, 0.3) + 0.2 * rng.standard_normal(len(frame))
    frame.loc[frame["fold"] == 1, "p"] = 0.9
    learning = {"val_loss": [0.7, 0.6, 0.55, 0.56]}
    histories = [learning, learning, learning, {"val_loss": [0.62] + [0.63 + 0.001 * e for e in range(47)]},
                 {"val_loss": [0.7]}]
    health = voice_eval.fold_health(frame, histories)
    flags = {f["fold"]: (f["one_class"], f["never_improved"], f["collapsed"]) for f in health["folds"]}
    assert flags == {1: (False, False, False), 2: (True, False, True), 3: (False, False, False),
                     4: (False, True, True), 5: (False, False, False)}, "one epoch only: not judged"
    assert health["collapsed"] == 2 and health["of"] == 5
    assert health["folds"][3]["best_epoch"] == 1 and health["folds"][3]["epochs"] == 48


def test_per_task_tells_which_task_separates():
    frame = cohort(tasks=("phonationA", "rhythmPA"))
    rng = np.random.default_rng(5)
    informative = frame["task"] == "rhythmPA"
    frame["p"] = np.where(informative, 0.2 + 0.6 * frame["y_true"], 0.5) + 0.1 * rng.random(len(frame))
    tasks = voice_eval.evaluate(frame, BOOTSTRAP)["per_task"]
    assert tasks["rhythmPA"]["auroc"] == 1 and tasks["rhythmPA"]["informative"]
    assert tasks["phonationA"]["auroc_ci_low"] < 0.5 < tasks["phonationA"]["auroc_ci_high"]
    assert not tasks["phonationA"]["informative"]


def test_summarise_keeps_the_papers_weighted_metrics_beside_the_clinical_ones():
    frame = cohort()
    frame["p"] = np.where(frame["y_true"] == 1, 0.8, 0.3)
    result = voice_eval.summarise(frame, BOOTSTRAP)
    assert {"accuracy", "precision", "recall", "f1", "accuracy_ci_low", "accuracy_ci_high", "per_recording", "per_subject", "folds",
            "per_task"} <= set(result)
    assert result["accuracy"]["mean"] == 1 and result["accuracy"]["std"] == 0


def test_the_second_fusion_run_needs_columns_missing_by_design():
    columns = ["Sex", "Age", "ALSFRS-R_TotalScore"]
    assert audit.without_by_design(columns, {}) == (columns, "no clinical column is missing by design for one class")
    assert audit.without_by_design(columns, {"ALSFRS-R_TotalScore": "HC"}) == (["Sex", "Age"], "")
    assert audit.without_by_design(["A"], {"A": "HC"}) == ([], "every clinical column is missing by design for "
                                                                 "one class")


def test_the_subjects_come_out_sorted_with_the_fold_of_a_single_recording():
    frame = pd.DataFrame({"subject": ["PZ2", "CT1", "PZ1", "PZ1"], "fold": [1, 0, 2, 2], "y_true": [1, 0, 1, 1],
                          "p": [0.8, 0.3, 0.6, 0.4]})
    people = voice_eval.subject_predictions(frame)
    assert people["subject"].tolist() == ["CT1", "PZ1", "PZ2"]
    assert people["fold"].tolist() == [0, 2, 1] and people["recordings"].tolist() == [1, 2, 1]


def test_trust_scores_at_its_threshold_with_intervals_over_subjects():
    from alskit.common import uncertainty

    frame = cohort()
    rng = np.random.default_rng(8)
    frame["p"] = np.clip(0.35 + 0.3 * frame["y_true"] + 0.25 * rng.standard_normal(len(frame)), 0, 1)
    subjects = frame["subject"].to_numpy()
    found = voice_eval.trust(frame["y_true"], frame["p"], subjects, BOOTSTRAP, threshold=0.6)
    point = metrics.clinical_metrics(frame["y_true"], frame["p"], 0.6)
    expected = uncertainty.bootstrap_intervals(frame["y_true"].to_numpy(), frame["p"].to_numpy(),
                                               metrics.clinical_scores, subjects=subjects, threshold=0.6, **BOOTSTRAP)
    assert found["sensitivity"] == point["sensitivity"] != metrics.clinical_metrics(frame["y_true"], frame["p"])[
        "sensitivity"]
    assert [found["sensitivity_ci_low"], found["sensitivity_ci_high"]] == expected["sensitivity"]
    assert [found["auroc_ci_low"], found["auroc_ci_high"]] == expected["auroc"]
    assert found["n"] == 80 and found["subjects"] == 40


def test_fold_health_reads_every_curve_and_lists_folds_in_order():
    frame = pd.DataFrame({"fold": [1, 1, 0, 0], "p": [0.5, 0.5, 0.2, 0.9], "y_true": [1, 0, 0, 1]})
    health = voice_eval.fold_health(frame, [{"val_loss": [0.7, 0.7]}, {}])
    first, second = health["folds"]
    assert (first["fold"], second["fold"]) == (1, 2)
    assert first == {"fold": 1, "predicted_als_share": 0.5, "one_class": False, "epochs": 2, "best_epoch": 1,
                     "never_improved": True, "collapsed": True}, "a loss that only equals its first never improved"
    assert second == {"fold": 2, "predicted_als_share": 1.0, "one_class": True, "epochs": 0, "best_epoch": None,
                      "never_improved": False, "collapsed": True}, "0.5 is an ALS call; no curve: not judged"
    later = voice_eval.fold_health(frame, [{"val_loss": [0.7, 0.8, 0.6]}, {"val_loss": [0.5, 0.4]}])["folds"]
    assert (later[0]["never_improved"], later[0]["best_epoch"], later[1]["never_improved"]) == (False, 3, False)


def test_per_task_results_follow_the_order_of_the_recordings_and_summarise_reads_the_curves():
    from alskit.common import uncertainty

    frame = cohort(tasks=("rhythmPA", "phonationA"))
    rng = np.random.default_rng(9)
    frame["p"] = np.clip(0.35 + 0.3 * frame["y_true"] + 0.25 * rng.standard_normal(len(frame)), 0, 1)
    histories = [{"val_loss": [0.7, 0.6]}] * 5
    result = voice_eval.summarise(frame, BOOTSTRAP, histories)
    records.checked(voice_records.Run, result)
    assert list(result["per_task"]) == ["rhythmPA", "phonationA"]
    assert result["folds"]["folds"][0]["epochs"] == 2
    expected = uncertainty.bootstrap_intervals(frame["y_true"], frame["p"], metrics.weighted_scores,
                                               subjects=frame["subject"].to_numpy(), **BOOTSTRAP)
    assert [result["f1_ci_low"], result["f1_ci_high"]] == expected["f1"]
    assert result["precision"] == metrics.fold_summary(frame, 0.5, scorer=metrics.weighted_metrics)["precision"]
    assert set(result) == {*(f"{m}{s}" for m in metrics.WEIGHTED_METRICS for s in ("", "_ci_low", "_ci_high")),
                           "per_recording", "per_subject", "folds", "per_task"}

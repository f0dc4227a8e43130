"""Nested, repeated, subject-grouped CV (alskit.voice.nested): on pure noise the nested estimate stays at chance
while the best of many candidates chosen after seeing them rises above it; a real signal is found; no outer
subject ever takes part in a choice."""
import functools

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from alskit.voice import nested
from alskit.common import records
from alskit.voice import records as voice_records


def logreg():
    return make_pipeline(LogisticRegression(C=1.0, max_iter=1000))


def noise_candidates(n_rows: int, n_candidates: int, seed: int, signal: np.ndarray | None = None):
    """Candidates each reading its own 3 columns of noise (plus ``signal`` for the last one, when given)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n_candidates):
        X = rng.standard_normal((n_rows, 3))
        if signal is not None and i == n_candidates - 1:
            X[:, 0] += signal
        out.append(nested.Candidate(f"noise{i}", X, logreg))
    return out


def cohort(n_subjects=60, recordings=2, seed=0):
    rng = np.random.default_rng(seed)
    labels = (np.arange(n_subjects) < n_subjects // 2).astype(int)
    rng.shuffle(labels)
    subjects = np.repeat([f"S{i:03d}" for i in range(n_subjects)], recordings)
    return np.repeat(labels, recordings), subjects


def nested_and_best_of_n(draw: int) -> tuple[float, float]:
    """On one draw of pure noise (80 subjects, 10 candidates, 3 fold seeds): the nested estimate (mean over the
    fold seeds) and the best candidate's score chosen after seeing them all (mean over the fold seeds)."""
    y, subjects = cohort(n_subjects=80, seed=draw)
    result = nested.nested_cv(noise_candidates(len(y), 10, seed=50 + draw), y, subjects, outer_folds=5,
                              inner_folds=3, seeds=[0, 1, 2], score="auroc", balanced=True)
    per_seed = [nested.subject_score(y[part["row"]], part[["p0", "p1"]].to_numpy(), subjects[part["row"]], "auroc")
                for _, part in result.predictions.groupby("repeat")]
    return float(np.mean(per_seed)), float(result.candidates.groupby("repeat")["score"].max().mean())


@pytest.mark.slow
def test_on_noise_the_nested_estimate_stays_at_chance_and_best_of_n_does_not():
    """One finite sample of noise can hold a column that happens to follow the labels (then every honest
    estimate follows it too), so the claim is over four draws: the nested estimate averages within 0.5 +- 0.07,
    the best of the candidates rises above it."""
    nested_means, best = zip(*(nested_and_best_of_n(draw) for draw in range(4)))
    assert abs(np.mean(nested_means) - 0.5) < 0.07
    assert np.mean(best) > np.mean(nested_means) + 0.05 and np.mean(best) > 0.57
    assert all(b > n for b, n in zip(best, nested_means))


def test_a_real_signal_is_chosen_and_found():
    y, subjects = cohort(seed=3)
    candidates = noise_candidates(len(y), 4, seed=2, signal=1.5 * y)
    result = nested.nested_cv(candidates, y, subjects, 5, 3, [0, 1], "auroc", balanced=False)
    assert (result.predictions["chosen"] == "noise3").mean() > 0.9
    table = nested.candidate_table(result)
    assert table.loc["noise3", "mean"] > 0.8 and table.loc["noise3", "chosen"] >= 9
    assert table["chosen"].sum() == 10
    assert len(result.predictions) == 2 * len(y) and sorted(result.predictions["repeat"].unique()) == [0, 1]


def test_no_scored_subject_takes_part_in_a_choice(monkeypatch):
    """Every fit inside an outer fold (inner and refit) sees only that fold's training subjects."""
    y, subjects = cohort(n_subjects=30, seed=4)
    candidates = noise_candidates(len(y), 2, seed=5)
    seen = []
    real = nested.fit_predict

    def spy(candidate, y_, train, test, n_classes, balanced):
        seen.append((set(subjects[train]), set(subjects[test])))
        return real(candidate, y_, train, test, n_classes, balanced)

    monkeypatch.setattr(nested, "fit_predict", spy)
    result = nested.nested_cv(candidates, y, subjects, 3, 3, [7], "auroc", balanced=True)
    assert len(seen) == 3 * 2 * 4  # per outer fold (run in order here): 2 candidates x (3 inner fits + 1 refit)
    for k, fold in result.predictions.groupby("fold"):
        scored, fits = set(subjects[fold["row"]]), seen[8 * k:8 * (k + 1)]
        assert all(not (train & scored) for train, _ in fits)
        assert [test == scored for _, test in fits] == [False] * 6 + [True] * 2
    assert all(not (train & test) for train, test in seen)


def test_macro_f1_of_subjects_and_absent_classes():
    y = np.array([0, 0, 1, 1, 2, 2])
    subjects = np.array(["a", "a", "b", "b", "c", "c"])
    P = np.eye(3)[[0, 0, 1, 1, 1, 1]]
    assert nested.subject_score(y, P, subjects, "macro_f1") == pytest.approx((1 + 2 / 3 + 0) / 3)
    assert np.isnan(nested.subject_score(np.zeros(4, int), np.ones((4, 2)) / 2, np.array(list("aabb")), "auroc"))
    candidate = nested.Candidate("c", np.arange(6.0)[:, None], functools.partial(logreg))
    P = nested.fit_predict(candidate, y, np.array([0, 1, 2, 3]), np.array([4, 5]), 3, balanced=False)
    assert P.shape == (2, 3) and (P[:, 2] == 0).all()


def test_too_few_subjects_for_the_inner_folds_names_the_parameter():
    from alskit.common.errors import UserError

    y, subjects = cohort(n_subjects=8, recordings=1)
    with pytest.raises(UserError, match=r"^params.yaml: voice.nested.inner_folds must be between 2 and the larger "
                                        r"class size of the "
                                        r"recordings \(\d+\) and its number of subjects \(4\), got 4$"):
        nested.nested_cv(noise_candidates(len(y), 1, seed=0), y, subjects, 2, 4, [0], "auroc", balanced=True)


def test_inner_folds_are_seeded_and_weights_balance_the_classes():
    """The same call twice gives the same inner score (the inner folds follow ``seed``), another seed another one;
    ``balanced`` weighs each class by the inverse of its share, as sklearn's sample weights do."""
    y, subjects = cohort(n_subjects=40, seed=6)
    candidate = noise_candidates(len(y), 1, seed=7, signal=0.4 * y)[0]
    train = np.arange(len(y))
    score = [nested.inner_score(candidate, y, subjects, train, 3, seed, "auroc", 2, True) for seed in (1, 1, 2)]
    assert score[0] == score[1] != score[2]
    assert nested.inner_score(candidate, y, subjects, train, 3, 1, "macro_f1", 2, True) != score[0]
    from sklearn.utils.class_weight import compute_sample_weight

    rows = np.flatnonzero((y == 1) | (np.arange(len(y)) % 4 == 0))   # 3 of 4 controls left out: imbalanced
    fitted = nested.fit_predict(candidate, y, rows, rows[:6], 2, balanced=True)
    by_hand = logreg().fit(candidate.X[rows], y[rows],
                           logisticregression__sample_weight=compute_sample_weight("balanced", y[rows]))
    assert np.allclose(fitted, by_hand.predict_proba(candidate.X[rows[:6]]))
    assert not np.allclose(fitted, nested.fit_predict(candidate, y, rows, rows[:6], 2, balanced=False))


def test_outer_folds_follow_their_seeds_and_the_settings_reach_every_fit(monkeypatch):
    y, subjects = cohort(n_subjects=30, seed=8)
    candidates = noise_candidates(len(y), 2, seed=9, signal=0.8 * y)
    first = nested.nested_cv(candidates, y.tolist(), subjects, 3, 3, [5], "auroc", balanced=True)
    again = nested.nested_cv(candidates, y, subjects, 3, 3, [5], "auroc", balanced=True)
    other = nested.nested_cv(candidates, y, subjects, 3, 3, [6], "auroc", balanced=True)
    assert first.predictions.equals(again.predictions) and first.choices.equals(again.choices)
    assert not first.predictions["fold"].equals(other.predictions["fold"])
    assert first.predictions.index.equals(pd.RangeIndex(len(y)))
    assert list(first.predictions.columns) == ["repeat", "seed", "fold", "row", "chosen", "p0", "p1"]
    assert list(first.choices.columns) == ["repeat", "seed", "fold", "candidate", "inner_score", "chosen"]
    assert list(first.candidates.columns) == ["repeat", "candidate", "score"]
    assert (first.predictions["seed"] == 5).all() and set(first.choices["fold"]) == {0, 1, 2}
    calls = []
    real_inner, real_fit = nested.inner_score, nested.fit_predict
    monkeypatch.setattr(nested, "inner_score", lambda *a: calls.append(("inner", a[4:])) or real_inner(*a))
    monkeypatch.setattr(nested, "fit_predict", lambda *a: calls.append(("fit", a[4:])) or real_fit(*a))
    nested.nested_cv(candidates, y, subjects, 3, 3, [5], "macro_f1", balanced=False)
    assert {args for kind, args in calls if kind == "inner"} == {(3, 5, "macro_f1", 2, False)}
    assert {args for kind, args in calls if kind == "fit"} == {(2, False)}


def test_too_few_subjects_for_the_outer_folds_names_the_parameter():
    from alskit.common.errors import UserError

    y, subjects = cohort(n_subjects=6, recordings=1)
    with pytest.raises(UserError, match=r"^params.yaml: voice.cv.folds must be between 2 and the larger class size of "
                                        r"the "
                                        r"recordings \(3\) and its number of subjects \(6\), got 5$"):
        nested.nested_cv(noise_candidates(len(y), 1, seed=0), y, subjects, 5, 2, [0], "auroc", balanced=True)


def test_subject_scores_are_undefined_for_one_class_and_macro_f1_counts_every_class():
    assert np.isnan(nested.subject_score(np.ones(4, int), np.ones((4, 2)) / 2, np.array(list("aabb")), "auroc"))
    y, subjects = np.array([0, 0, 1, 1]), np.array(list("abcd"))
    P = np.eye(3)[[0, 0, 1, 1]]   # class 2: nobody has it, nobody is predicted it
    assert nested.subject_score(y, P, subjects, "macro_f1") == pytest.approx(2 / 3)


def test_the_candidate_table_keeps_the_candidates_order_and_the_population_spread():
    result = nested.Nested(
        predictions=pd.DataFrame(),
        candidates=pd.DataFrame({"repeat": [0, 0, 1, 1], "candidate": ["zeta", "alpha"] * 2,
                                 "score": [0.6, 0.9, 0.8, 0.7]}),
        choices=pd.DataFrame({"candidate": ["zeta", "alpha", "zeta", "alpha"], "chosen": [True, False, True, True]}))
    table = nested.candidate_table(result)
    assert list(table.index) == ["zeta", "alpha"]
    assert table.loc["zeta"].tolist() == pytest.approx([0.7, 0.1, 0.6, 0.8, 2])
    assert list(table.columns) == ["mean", "sd", "min", "max", "chosen"] and table["chosen"].dtype.kind == "i"
    assert nested.best_of_candidates(result) == ("alpha", pytest.approx(0.8))
    assert nested.seeds_of(42, 3) == [42, 43, 44] and nested.seeds_of(7, 1) == [7]


def measures_table() -> pd.DataFrame:
    """A long measures table: 6 recordings (3 subjects x 2 tasks) in two windows, two eGeMAPS and two Praat
    measures."""
    base = pd.DataFrame({"subject": np.repeat(["P1", "P2", "C1"], 2), "task": ["phonationA", "rhythmPA"] * 3,
                         "label": np.repeat([1, 1, 0], 2)})
    parts = []
    for w, window in enumerate(["whole", "1s"]):
        parts.append(base.assign(window=window, egemaps_f0=np.arange(6.0) + 10 * w, egemaps_loud=np.arange(6.0) * 2,
                                 jitter_local=np.arange(6.0) / 10, ddk_rate_hz=np.arange(6.0) + 100 * w))
    return pd.concat(parts, ignore_index=True)


def test_feature_sets_and_candidates_read_their_own_columns():
    table = measures_table()
    assert nested.feature_columns(table, "egemaps") == ["egemaps_f0", "egemaps_loud"]
    assert nested.feature_columns(table, "praat") == ["jitter_local", "ddk_rate_hz"]
    assert nested.feature_columns(table, "both") == ["jitter_local", "ddk_rate_hz", "egemaps_f0", "egemaps_loud"]
    settings = {"logreg": {"C": 1.0}, "rf": {"n_estimators": 5, "max_depth": 2}}
    candidates = nested.candidates_of(table, ["logreg", "rf"], settings, ["praat", "egemaps"],
                                      ["phonationA", "rhythmPA"], seed=3)
    assert [c.name for c in candidates] == ["logreg/praat/whole", "rf/praat/whole", "logreg/egemaps/whole",
                                            "rf/egemaps/whole", "logreg/praat/1s", "rf/praat/1s",
                                            "logreg/egemaps/1s", "rf/egemaps/1s"]
    praat_1s = candidates[4].X
    assert praat_1s.shape == (6, 4)
    assert np.array_equal(praat_1s[:, :2], table.loc[table["window"] == "1s", ["jitter_local", "ddk_rate_hz"]])
    assert np.array_equal(praat_1s[:, 2:], np.tile([[1.0, 0.0], [0.0, 1.0]], (3, 1)))
    rf = candidates[1].make()
    assert rf.steps[-1][1].random_state == 3 and rf.steps[-1][1].n_estimators == 5
    assert nested.recordings_of(table).equals(table.loc[:5, ["subject", "task", "label"]])


def test_windows_holding_other_recordings_are_refused():
    table = measures_table()
    table.loc[6, "subject"] = "C9"
    with pytest.raises(ValueError, match="^the measures table's windows do not hold the same recordings in the same "
                                         "order$"):
        nested.recordings_of(table)


def test_the_headline_averages_each_subject_over_recordings_and_repeats():
    recordings = pd.DataFrame({"subject": ["C", "A", "A", "B", "D"], "label": [1, 1, 1, 0, 0]})
    predictions = pd.DataFrame({"repeat": [0] * 5 + [1] * 5, "seed": [3] * 5 + [4] * 5, "row": list(range(5)) * 2,
                                "p1": [0.6, 0.9, 0.5, 0.2, 0.4, 0.2, 0.7, 0.3, 0.4, 0.6]})
    people = nested.subject_means(predictions, recordings, ["p1"])
    assert people["subject"].tolist() == ["A", "B", "C", "D"] and people["label"].tolist() == [1, 0, 1, 0]
    assert people["p1"].tolist() == pytest.approx([0.6, 0.3, 0.4, 0.5])
    assert nested.spread_of(pd.Series([0.5, 0.7, 0.9]), "auroc") == pytest.approx(
        {"auroc_mean": 0.7, "auroc_sd": np.std([0.5, 0.7, 0.9]), "auroc_min": 0.5, "auroc_max": 0.9})


def test_the_diagnosis_summary_scores_subjects_per_seed_and_names_the_best_of_candidates():
    y, subjects = cohort(n_subjects=24, seed=10)
    candidates = noise_candidates(len(y), 2, seed=11, signal=1.0 * y)
    result = nested.nested_cv(candidates, y, subjects, 3, 2, [0, 1], "auroc", balanced=True)
    recordings = pd.DataFrame({"subject": subjects, "label": y})
    bootstrap = {"iterations": 200, "level": 0.95, "seed": 0}
    summary = nested.diagnosis_summary(result, recordings, bootstrap, outer_folds=3, inner_folds=2)
    records.checked(voice_records.Nested, summary)  # the file's record: a renamed key fails here
    from sklearn.metrics import roc_auc_score

    people = nested.subject_means(result.predictions, recordings, ["p1"])
    assert summary["per_subject"]["auroc"] == pytest.approx(roc_auc_score(people["label"], people["p1"]))
    for seed in (0, 1):
        one = nested.subject_means(result.predictions[result.predictions["seed"] == seed], recordings, ["p1"])
        assert summary["per_seed"][str(seed)]["auroc"] == pytest.approx(roc_auc_score(one["label"], one["p1"]))
    seeds = [summary["per_seed"][s]["auroc"] for s in ("0", "1")]
    assert summary["over_seeds"]["repeats"] == 2
    assert summary["over_seeds"]["auroc_mean"] == pytest.approx(np.mean(seeds))
    assert summary["over_seeds"]["auroc_sd"] == pytest.approx(np.std(seeds))
    balanced = [summary["per_seed"][s]["balanced_accuracy"] for s in ("0", "1")]
    assert summary["over_seeds"]["balanced_accuracy_mean"] == pytest.approx(np.mean(balanced))
    assert summary["over_seeds"]["balanced_accuracy_max"] == pytest.approx(max(balanced))
    table = nested.candidate_table(result)
    assert summary["candidates"]["noise1"] == {"auroc_mean": pytest.approx(table.loc["noise1", "mean"]),
                                               "auroc_sd": pytest.approx(table.loc["noise1", "sd"]),
                                               "chosen": int(table.loc["noise1", "chosen"])}
    assert summary["best_of_candidates"] == {"candidate": "noise1", "auroc_mean": pytest.approx(table["mean"].max()),
                                             "of": 2}
    assert summary["settings"] == {"outer_folds": 3, "inner_folds": 2, "candidates": 2}

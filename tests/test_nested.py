"""Nested, repeated, subject-grouped CV (alskit.voice.nested): on pure noise the nested estimate stays at chance
while the best of many candidates chosen after seeing them rises above it; a real signal is found; no outer
subject ever takes part in a choice."""
import functools

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from alskit.voice import nested


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
    from alskit.common.cli import UserError

    y, subjects = cohort(n_subjects=8, recordings=1)
    with pytest.raises(UserError, match=r"too few to split 4 ways \(voice.nested.inner_folds\)"):
        nested.nested_cv(noise_candidates(len(y), 1, seed=0), y, subjects, 2, 4, [0], "auroc", balanced=True)

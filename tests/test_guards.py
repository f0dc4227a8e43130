"""Behaviour a wrong number would hide (issue 25, part 2): each test fails when the bug named in its docstring is
planted (each checked by planting it)."""
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from alskit.common import audit, uncertainty, verdict
from alskit.prognosis import cohort, evaluate as prognosis_eval
from alskit.voice import evaluate as voice_eval


def weighted_mean(y_true, values, weights, threshold=0.5):
    """A batch scorer (as alskit.common.metrics.binary_scores) of the mean of ``values`` under each weighting."""
    return {"mean": weights @ values / weights.sum(axis=1)}


def test_a_95_percent_interval_is_95_percent_wide():
    """Planted bug: the interval's tail not halved (a 90% interval reported as 95%)."""
    values = np.random.default_rng(0).standard_normal(400)
    for level, z in ((0.95, 1.960), (0.80, 1.282)):
        low, high = uncertainty.bootstrap_intervals(np.zeros(400), values, weighted_mean, iterations=4000, seed=1,
                                                    level=level)["mean"]
        expected = 2 * z * values.std() / np.sqrt(400)
        assert high - low == pytest.approx(expected, rel=0.08), level
        assert low < values.mean() < high


def test_the_voice_verdict_rests_on_the_interval_not_the_point():
    """Planted bug: ``informative`` taken from the point estimates (AUROC and balanced accuracy above 0.5) instead
    of their intervals. Twelve subjects with a weak signal: points above 0.5, intervals reaching below it."""
    y = np.array([1, 0] * 6)
    p = np.array([0.60, 0.40, 0.55, 0.58, 0.45, 0.48, 0.62, 0.61, 0.52, 0.49, 0.47, 0.46])
    subjects = np.array([f"S{i}" for i in range(12)])
    result = voice_eval.trust(y, p, subjects, {"iterations": 2000, "seed": 0})
    assert result["auroc"] > 0.5 and result["balanced_accuracy"] > 0.5
    assert result["auroc_ci_low"] < 0.5 and not result["informative"] and not result["ranks_above_chance"]


def test_the_prognosis_ensemble_never_learns_from_the_rows_it_is_fit_on():
    """Planted bug: ``MeanProbability.fit`` refitting its members (the evaluation calls it on the test rows)."""
    rng = np.random.default_rng(0)
    X_train, X_test = rng.standard_normal((80, 3)), rng.standard_normal((40, 3))
    y_train = (X_train[:, 0] > 0).astype(int)
    members = [LogisticRegression().fit(X_train, y_train), LogisticRegression(C=0.1).fit(X_train, y_train)]
    before = [m.coef_.copy() for m in members]
    ensemble = cohort.MeanProbability(members)
    expected = np.mean([m.predict_proba(X_test) for m in members], axis=0)
    ensemble.fit(X_test, 1 - (X_test[:, 0] > 0).astype(int))         # the opposite labels: learning would show
    assert all(np.array_equal(m.coef_, b) for m, b in zip(members, before))
    np.testing.assert_array_equal(ensemble.predict_proba(X_test), expected)


def test_the_ensemble_cv_averages_its_members_per_fold_and_row():
    """Planted bugs: averaging across rows of one fold, or pairing rows of different folds."""
    a = pd.DataFrame({"fold": [0, 0, 1, 1], "row": [0, 1, 2, 3], "y_true": [1, 0, 1, 0], "p": [0.9, 0.2, 0.6, 0.4]})
    b = a.assign(p=[0.7, 0.4, 0.2, 0.0]).iloc[::-1]                  # same rows, another order
    out = prognosis_eval.ensemble_cv({"rf": a, "gb": b}).sort_values("row")
    np.testing.assert_allclose(out["p"], [0.8, 0.3, 0.4, 0.2])
    assert out["y_true"].tolist() == [1, 0, 1, 0] and out["fold"].tolist() == [0, 0, 1, 1]


def test_a_column_blank_for_both_classes_is_not_missing_by_design():
    """Planted bug: flagging a column that is blank for both classes (it carries no label)."""
    labels = pd.Series(["ALS"] * 20 + ["HC"] * 20)
    frame = pd.DataFrame({"both": [np.nan] * 40, "controls": [1.0] * 20 + [np.nan] * 20,
                          "neither": np.arange(40.0)})
    assert audit.missing_by_design(frame, labels, share=0.95) == {"controls": "HC"}


def _scored(auroc, balanced, accuracy, majority=("HC", 0.6)) -> dict:
    """A result as the evaluations write it: each metric with its interval, then the verdict on it."""
    result = {"majority_class": majority[0], "majority_rate": majority[1]}
    for name, (point, low, high) in (("auroc", auroc), ("balanced_accuracy", balanced), ("accuracy", accuracy)):
        result.update({name: point, f"{name}_ci_low": low, f"{name}_ci_high": high})
    return {**result, **verdict.judge(result, majority[1])}


def test_the_verdict_row_shows_each_metric_with_its_interval_and_both_statements():
    informative = _scored((0.8, 0.7, 0.9), (0.7, 0.6, 0.8), (0.75, 0.65, 0.85))
    assert verdict.row("gb", informative) == ["gb", "0.800 [0.700, 0.900]", "0.700 [0.600, 0.800]",
                                              "0.750 [0.650, 0.850]", "HC 0.600", "informative", "beats always HC"]
    chance = _scored((0.55, 0.45, 0.65), (0.5, 0.4, 0.6), (0.6, 0.5, 0.7))
    assert verdict.row("rf", chance)[5:] == ["not informative", "no better than always HC"]
    ranks = _scored((0.7, 0.6, 0.8), (0.55, 0.45, 0.65), (0.6, 0.5, 0.7))
    assert verdict.row("lr", ranks)[5] == "ranks above chance, threshold does not separate"
    assert verdict.row("mm", informative, reads_blanks=True)[5:] == ["**reads the blank-by-design columns**"] * 2
    assert len(verdict.row("mm", informative, reads_blanks=True)) == len(verdict.HEADER)


def test_the_verdict_sentence_quotes_the_numbers_it_rests_on():
    informative = _scored((0.8, 0.7, 0.9), (0.7, 0.6, 0.8), (0.75, 0.65, 0.85))
    assert verdict.sentence(informative) == (
        "It carries information (AUROC 0.800 [0.700, 0.900], balanced accuracy 0.700 [0.600, 0.800], both above "
        "chance, 0.5); its accuracy at the threshold, 0.750 [0.650, 0.850], is above always answering HC (0.600).")
    ranks = _scored((0.7, 0.6, 0.8), (0.55, 0.45, 0.65), (0.6, 0.5, 0.7))
    assert verdict.sentence(ranks).startswith("It ranks patients better than chance (AUROC 0.700 [0.600, 0.800]), "
                                              "but at its threshold it does not separate the classes (balanced "
                                              "accuracy 0.550 [0.450, 0.650], not above 0.5); ")
    chance = _scored((0.55, 0.45, 0.65), (0.5, 0.4, 0.6), (0.6, 0.5, 0.7))
    assert verdict.sentence(chance) == (
        "It cannot be told from chance (AUROC 0.550 [0.450, 0.650], balanced accuracy 0.500 [0.400, 0.600]; chance "
        "is 0.5); its accuracy at the threshold, 0.600 [0.500, 0.700], cannot be told from always answering HC "
        "(0.600).")


def test_a_run_that_gives_every_subject_one_answer_is_flagged():
    """Its AUROC of 0.5 says nothing about the markers: the evaluation must say so, not score it as a model."""
    from alskit.bdb import evaluate as bdb_eval

    bootstrap = {"iterations": 200, "seed": 0, "level": 0.95}
    y = np.array([1, 1, 1, 0, 0, 1, 0, 1])
    cv = pd.DataFrame({"fold": [0] * 4 + [1] * 4, "y_true": y, "p": np.linspace(0.2, 0.9, 8)})
    constant = bdb_eval.score_run(pd.DataFrame({"y_true": y, "p": np.full(8, 0.7)}), cv, 0.5, bootstrap)
    varied = bdb_eval.score_run(pd.DataFrame({"y_true": y, "p": np.linspace(0.1, 0.9, 8)}), cv, 0.5, bootstrap)
    assert constant["constant_predictions"] is True and varied["constant_predictions"] is False
    assert constant["test"]["auroc"] == 0.5 and constant["test"]["accuracy"] == pytest.approx(5 / 8)
    assert constant["test"]["majority_class"] == "ALS" and constant["test"]["majority_rate"] == pytest.approx(5 / 8)
    assert not constant["test"]["informative"]


def test_the_best_grid_configuration_is_the_highest_mean_accuracy_skipping_configurations_not_run():
    from alskit.voice import grid

    accuracy = np.array([[0.61, np.nan, 0.70], [0.72, 0.69, np.nan]])
    assert grid.best_configuration(accuracy, ["S1A", "S1B"], [0.1, 0.3, 0.5]) == \
        {"scenario": "S1B", "dropout": 0.1, "accuracy": 0.72}
    tie = np.array([[0.70, 0.72], [0.72, 0.50]])
    assert grid.best_configuration(tie, ["S1A", "S1B"], [0.1, 0.3])["scenario"] == "S1A", "ties: the first in order"


def test_the_report_names_a_missing_paper_numbers_file(tmp_path):
    from alskit import results
    from alskit.common.errors import UserError

    with pytest.raises(UserError, match=r"paper_numbers.yaml: file not found \(the papers' reported numbers\)"):
        results.read_papers(tmp_path / "paper_numbers.yaml")
    (tmp_path / "paper_numbers.yaml").write_text("bdb: {auroc: 0.9}\n")
    assert results.read_papers(tmp_path / "paper_numbers.yaml") == {"bdb": {"auroc": 0.9}}


class _Fixed:
    """A fitted member that answers the given probabilities of the positive class."""

    def __init__(self, p):
        self.p = np.asarray(p, dtype=float)

    def predict_proba(self, rows):
        return np.column_stack([1 - self.p[rows], self.p[rows]])


def test_the_ensemble_calls_its_mean_probability_of_the_positive_class_and_knows_both_classes():
    ensemble = cohort.MeanProbability([_Fixed([0.9, 0.4, 0.2]), _Fixed([0.5, 0.6, 0.6])]).fit(None, None)
    assert ensemble.classes_.tolist() == [0, 1]
    np.testing.assert_allclose(ensemble.predict_proba(np.arange(3))[:, 1], [0.7, 0.5, 0.4])
    assert ensemble.predict(np.arange(3)).tolist() == [1, 1, 0], "0.5 exactly is a positive call"
    assert ensemble.predict(np.array([2, 0])).tolist() == [0, 1] and ensemble.predict(np.arange(3)).dtype.kind == "i"


def test_the_prognosis_split_is_stratified_seeded_and_sized_as_asked():
    frame = pd.DataFrame({cohort.LABEL: [1] * 30 + [0] * 70, "x": np.arange(100)}, index=[f"P{i}" for i in range(100)])
    train, test = cohort.split(frame, test_size=0.3, seed=4)
    assert (len(train), len(test)) == (70, 30) and test[cohort.LABEL].sum() == 9
    assert test.index.tolist() == cohort.split(frame, test_size=0.3, seed=4)[1].index.tolist()
    assert test.index.tolist() != cohort.split(frame, test_size=0.3, seed=5)[1].index.tolist()
    two = frame.iloc[[0, 1] + list(range(30, 40))]
    assert len(cohort.split(two, test_size=0.5, seed=0)[1]) == 6, "two patients of a class are enough"
    from alskit.common.errors import UserError
    with pytest.raises(UserError, match=r"the outcome has a class with 1 patient\(s\); a stratified split needs at "
                                        r"least 2"):
        cohort.split(frame.iloc[[0] + list(range(30, 40))], test_size=0.5, seed=0)

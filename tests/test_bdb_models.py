"""Units of synthesis, models, metrics and plot data."""
import json
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from alskit.bdb import cohort, config, demo, models, synthetic
from alskit.common import metrics, plots, training
from alskit.common.errors import UserError
from conftest import PAPER_READ, params_with


@pytest.fixture
def balanced(encoded):
    return cohort.undersample(encoded, seed=0).reset_index(drop=True)


def test_synthesize_is_sized_seeded_and_within_real_ranges(balanced):
    kwargs = dict(categorical=[cohort.LABEL], default_distribution="gaussian_kde",
                  enforce_min_max_values=True, enforce_rounding=False)
    sample = synthetic.synthesize(balanced, 5 * len(balanced), seed=1, **kwargs)
    assert len(sample) == 5 * len(balanced) and list(sample.columns) == list(balanced.columns)
    assert set(sample[cohort.LABEL]) == {0, 1}
    assert (sample["IL6"] >= balanced["IL6"].min() - 1e-9).all()
    assert (sample["IL6"] <= balanced["IL6"].max() + 1e-9).all()
    pd.testing.assert_frame_equal(sample, synthetic.synthesize(balanced, 5 * len(balanced), seed=1, **kwargs))
    assert not sample.equals(synthetic.synthesize(balanced, 5 * len(balanced), seed=2, **kwargs))
    scores = synthetic.quality(balanced, sample, [cohort.LABEL])
    assert set(scores) == {"column_shapes", "column_pair_trends", "overall"}
    assert all(0.3 < v <= 1 for v in scores.values())


def test_binary_metrics_match_hand_counts():
    y = np.array([1, 1, 1, 0, 0])
    p = np.array([0.9, 0.6, 0.2, 0.4, 0.7])  # TP, TP, FN, TN, FP
    m = metrics.binary_metrics(y, p)
    assert m["accuracy"] == pytest.approx(3 / 5)
    assert m["precision"] == pytest.approx(2 / 3) and m["recall"] == pytest.approx(2 / 3)
    assert m["specificity"] == pytest.approx(1 / 2) and m["f1"] == pytest.approx(2 / 3)
    assert m["auroc"] == pytest.approx(3 / 6)  # of 6 (ALS, HEALTHY) pairs, 3 ranked right
    assert m["log_loss"] == pytest.approx(-np.mean(np.log([0.9, 0.6, 0.2, 0.6, 0.3])))


def test_undefined_metrics_are_missing_not_faked():
    m = metrics.binary_metrics(np.array([1, 1]), np.array([0.2, 0.3]))
    assert m["auroc"] is None and m["precision"] is None and m["specificity"] is None
    assert m["recall"] == 0.0


def test_fold_summary_means_and_stds():
    cv = pd.DataFrame({"fold": [0, 0, 1, 1], "y_true": [1, 0, 1, 0], "p": [0.9, 0.1, 0.4, 0.6]})
    summary = metrics.fold_summary(cv)
    assert summary["accuracy"] == {"mean": 0.5, "std": 0.5}
    assert summary["auroc"]["mean"] == pytest.approx(0.5)


class _RecordingScaler:
    """Remembers which rows each fit saw, to prove the scaler never sees the scored fold."""
    seen: list = []

    def fit(self, X, y=None):
        _RecordingScaler.seen.append(set(X.index))
        return self

    def transform(self, X):
        return X

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)


def _recording_pipeline():
    from sklearn.dummy import DummyClassifier
    from sklearn.pipeline import Pipeline
    return Pipeline([("scale", _RecordingScaler()), ("model", DummyClassifier(strategy="prior"))])


def test_cv_fits_preprocessing_on_training_folds_only(encoded):
    X, y = cohort.features_and_labels(encoded.reset_index(drop=True))
    _RecordingScaler.seen = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(models.os, "cpu_count", lambda: 1)  # in-process, so the recorder sees the fits
        cv = models.cross_val_predictions(_recording_pipeline, X, y, folds=3, seed=0, folds_param="bdb.train.cv_folds")
    assert sorted(cv["row"]) == list(range(len(y)))
    for fold, seen in enumerate(_RecordingScaler.seen):
        held_out = set(cv.loc[cv["fold"] == fold, "row"])
        assert not seen & held_out and len(seen) + len(held_out) == len(y)


def test_cv_rejects_more_folds_than_the_smallest_class(encoded):
    X, y = cohort.features_and_labels(encoded)
    with pytest.raises(UserError, match="bdb.train.cv_folds"):
        models.cross_val_predictions(_recording_pipeline, X, y, folds=50, seed=0, folds_param="bdb.train.cv_folds")


@pytest.mark.parametrize("name", ["lightgbm", "adaboost"])
def test_tree_models_learn_the_demo_signal_out_of_sample(name):
    raw = demo.make_cohort(200, 200, 0, 0, effect_scale=3.0, seed=5)
    encoded = cohort.encode(cohort.clean(raw, PAPER_READ, 2, "demo")[0], "demo")
    train, test = cohort.split_per_class(encoded, 0.5, 0)
    (X, y), (X_test, y_test) = cohort.features_and_labels(train), cohort.features_and_labels(test)
    params = {"n_estimators": 50, "learning_rate": 0.1}
    build = lambda: models.MODELS.build(name, params, 0, class_weight="balanced")
    model = models.make_pipeline("minmax", build).fit(X, y)
    auroc = metrics.binary_metrics(y_test, model.predict_proba(X_test)[:, 1])["auroc"]
    assert 0.75 < auroc < 0.99


def test_mlp_is_deterministic_and_records_history(encoded):
    params = {"hidden_units": [8, 4], "dropout": 0.3, "learning_rate": 0.01, "batch_size": 8,
              "max_epochs": 4, "early_stopping_patience": 5, "validation_fraction": 0.2,
              "reduce_lr": {"factor": 0.2, "patience": 3, "min_learning_rate": 1e-5}}
    X, y = cohort.features_and_labels(encoded)
    build = lambda: models.MODELS.build("mlp", params, 5, class_weight="balanced")
    fit = lambda: models.make_pipeline("standard", build).fit(X, y)
    first, second = fit(), fit()
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    history = first[-1].history_
    assert len(history["loss"]) == 4 and {"val_loss", "accuracy", "val_accuracy"} <= set(history)
    assert history["validation_rows"] == [models.KerasMLP(validation_fraction=0.2)._validation_rows(len(y))]
    rows = plots.history_rows("x10", "network", history, "rows")
    assert plots.run_label(rows[0]) == f"network (validation: {history['validation_rows'][0]} rows)"
    assert [r["epoch"] for r in rows] == [1, 2, 3, 4] * 2 and [r["split"] for r in rows[3:5]] == ["training", "validation"]
    assert rows[4]["loss"] == history["val_loss"][0] and rows[4]["accuracy"] == history["val_accuracy"][0]
    first_bytes, second_bytes = pickle.dumps(first), pickle.dumps(second)
    assert first_bytes == second_bytes, "a saved model must not change bytes between identical runs"
    np.testing.assert_array_equal(pickle.loads(first_bytes).predict_proba(X), first.predict_proba(X))


def test_an_unknown_model_or_one_without_settings_is_a_user_error():
    cfg = config.load(params_with(bdb={"models": ["adaboost"], "mlp": None}))
    with pytest.raises(UserError, match="unknown model 'svm'"):
        models.model_factory("svm", cfg)
    with pytest.raises(UserError, match=r"no params.yaml bdb.mlp section; expected one of lightgbm, adaboost$"):
        models.model_factory("mlp", cfg)


def test_chart_records_come_from_dvclive_follow_sklearn_and_count_every_subject(tmp_path):
    y, p = np.array([0, 0, 1, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8, 0.95])
    names = {1: "ALS", 0: "HEALTHY"}
    live = plots.log_run(tmp_path / "run", y, p, 0.5, names, 4, {"auroc": 0.833, "brier": None, "trivial": True})
    assert json.loads((live / "metrics.json").read_text()) == {"auroc": 0.833}
    logged = json.loads((live / "plots" / "sklearn" / "confusion_matrix.json").read_text())
    assert logged[2] == {"actual": "ALS", "predicted": "HEALTHY"}   # dvclive's record per subject, in words
    found = plots.curve_rows("x10", "AdaBoost", 1, live, y, p, names, bins=4,
                             labels={"roc": "AdaBoost: AUROC 0.833", "calibration": "AdaBoost: Brier 0.12"})
    assert set(found) == set(plots.CURVE_KINDS)
    roc = found["roc"]
    assert roc[0] == {"panel": "x10", "model": "AdaBoost", "order": 1, "label": "AdaBoost: AUROC 0.833", "point": 0,
                      "fpr": 0.0, "tpr": 0.0, "threshold": 1.0} and (roc[-1]["fpr"], roc[-1]["tpr"]) == (1.0, 1.0)
    fpr, tpr, _ = skm.roc_curve(y, p)
    assert [(r["fpr"], r["tpr"]) for r in roc] == list(zip(fpr, tpr))
    pr = found["precision_recall"]
    precision, recall, thresholds = skm.precision_recall_curve(y, p)
    assert [(r["recall"], r["precision"], r["threshold"]) for r in pr] == list(zip(recall, precision, thresholds))
    assert pr[0]["prevalence"] == 0.6
    assert pr[0]["label"] == f"AdaBoost: average precision {skm.average_precision_score(y, p):.3f}"
    calibration = found["calibration"]
    assert sum(r["n"] for r in calibration) == 5 and [r["n"] for r in calibration] == [1, 2, 2]
    assert calibration[0]["observed"] == 0 and calibration[-1]["observed"] == 1
    cells = {(c["actual"], c["predicted"]): c["count"] for c in found["confusion"]}
    assert cells == {("ALS", "ALS"): 2, ("ALS", "HEALTHY"): 1, ("HEALTHY", "ALS"): 0, ("HEALTHY", "HEALTHY"): 2}


@pytest.mark.parametrize("name", ["lightgbm", "adaboost"])
def test_balanced_class_weights_raise_the_minority_class_and_change_nothing_on_balanced_data(name):
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(90, dtype=int), np.zeros(30, dtype=int)]
    X = pd.DataFrame(rng.normal(0, 1, (120, 4)) + np.outer(y, [0.5, 0.5, 0, 0]), columns=list("abcd"))
    settings = {"n_estimators": 30, "learning_rate": 0.1}
    fit = lambda weights, X, y: (models.MODELS.build(name, settings, 0, class_weight=weights).fit(X, y)
                                 .predict_proba(X)[:, 1])
    weighted, plain = fit("balanced", X, y), fit("none", X, y)
    assert (weighted < 0.5).sum() > (plain < 0.5).sum()  # more subjects called the minority class
    balanced = np.r_[np.arange(30), np.arange(90, 120)]
    np.testing.assert_allclose(fit("balanced", X.iloc[balanced], y[balanced]),
                               fit("none", X.iloc[balanced], y[balanced]))


def test_the_network_keeps_one_validation_row_per_class_on_a_tiny_training_set():
    network = models.KerasMLP(validation_fraction=0.1)
    assert [network._validation_rows(n) for n in (10, 18, 20, 200)] == [2, 2, 2, 20]
    with pytest.raises(UserError, match="bdb.mlp.validation_fraction"):
        network._validation_rows(3)


def test_the_network_logs_its_curves_live_with_dvclive(encoded, tmp_path):
    """dvclive writes every epoch as it ends (one TSV per metric and split, no timestamps), and what it wrote is
    the fit's own history; a tree model has no curves to log."""
    params = {"hidden_units": [8], "dropout": 0.0, "learning_rate": 0.01, "batch_size": 8, "max_epochs": 3,
              "early_stopping_patience": 5, "validation_fraction": 0.2,
              "reduce_lr": {"factor": 0.2, "patience": 3, "min_learning_rate": 1e-5}}
    X, y = cohort.features_and_labels(encoded)
    network = models.make_pipeline("standard", lambda: models.MODELS.build("mlp", params, 1, class_weight="balanced"))
    assert models.learns_per_epoch(network)
    assert not models.learns_per_epoch(models.make_pipeline("minmax", lambda: models.MODELS.build(
        "adaboost", {"n_estimators": 5, "learning_rate": 0.1}, 0, class_weight="balanced")))
    fitted = models.fit_final(network, X, y, tmp_path / "live")
    loss = (tmp_path / "live/plots/metrics/eval/loss.tsv").read_text().splitlines()
    assert loss[0] == "step\tloss" and [line.split("\t")[0] for line in loss[1:]] == ["0", "1", "2"]
    logged = training.read_live(tmp_path / "live")
    for name in ("loss", "val_loss", "accuracy", "val_accuracy"):
        assert logged[name] == pytest.approx(fitted[-1].history_[name], abs=1e-6), name
    assert logged["validation_rows"] == fitted[-1].history_["validation_rows"] == [len(y) - len(y) * 4 // 5]

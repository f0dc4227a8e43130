"""Seed 000 (prognosis): demo cohort, column mapping and cleaning, honest preprocessing, ensemble, explanations."""
import json
import re

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV

from alskit.prognosis import cohort, config, demo, explain
from alskit.common import folds
from alskit.common.errors import UserError
from conftest import REPO, read_settings, run_stage

PARAMS = yaml.safe_load((REPO / "params.yaml").read_text())


@pytest.fixture(scope="module")
def schema():
    return cohort.schema_from_config(config.load(PARAMS))


@pytest.fixture(scope="module")
def table():
    return demo.make_cohort(n_patients=300, fast_threshold=1.0, median_rate=0.65,
                            missing_imaging=(0.05, 0.15), missing_other=0.02, duplicates=5, seed=3)


@pytest.fixture(scope="module")
def clean(table, schema):
    return cohort.clean(table, schema, "cohort.csv", read_settings("prognosis.read"))


def test_demo_cohort_follows_the_contract_and_the_literature(table, schema):
    assert list(table.columns) == [schema.id_column, *schema.features, schema.outcome]
    assert len(table) == 305 and table.duplicated().sum() == 5 and table[schema.id_column].nunique() == 300
    imaging_missing = table[schema.groups["imaging"]].isna().mean()
    assert ((imaging_missing > 0.02) & (imaging_missing < 0.22)).all()
    assert table[schema.groups["clinical"][:5]].isna().sum().sum() == 0  # age..ALSFRS-R complete
    fast = table[schema.outcome] == "fast"
    assert 0.2 < fast.mean() < 0.45
    carriers = table["C9orf72"] == "positive"
    assert 0.02 < carriers.mean() < 0.12
    # the directions the ALS literature reports
    assert fast[table["onset_region"] == "bulbar"].mean() > fast[table["onset_region"] == "spinal"].mean()
    assert fast[carriers].mean() > fast[~carriers].mean()
    assert table.loc[fast, "diagnostic_delay_months"].median() < table.loc[~fast, "diagnostic_delay_months"].median()
    assert table.loc[fast, "fvc_percent"].median() < table.loc[~fast, "fvc_percent"].median()
    assert table.loc[fast, "age_at_onset"].mean() > table.loc[~fast, "age_at_onset"].mean()
    # informative but overlapping: no single column separates the classes
    for column in schema.numeric_features:
        known = table[column].notna()
        auc = roc_auc_score(fast[known], table.loc[known, column].astype(float))
        assert max(auc, 1 - auc) < 0.9, column


def test_demo_cohort_is_reproducible():
    make = lambda: demo.make_cohort(50, 1.0, 0.65, (0.05, 0.15), 0.02, 2, seed=1)  # noqa: E731
    pd.testing.assert_frame_equal(make(), make())


def test_clean_removes_repeated_rows_and_reports_missingness(clean, schema):
    frame, report = clean
    assert report["rows_in"] == 305 and report["duplicate_rows_removed"] == 5 and report["patients"] == 300
    assert frame.index.is_unique and list(frame.columns) == [*schema.features, cohort.LABEL]
    assert report["outcome"]["fast"] == frame[cohort.LABEL].sum()
    assert set(report["missing_share"]) >= set(schema.groups["imaging"])
    assert report["missing_share_by_modality"]["imaging"] > report["missing_share_by_modality"]["clinical"]
    assert frame[schema.groups["imaging"]].isna().any().all(), "missing cells stay missing until training"


@pytest.mark.parametrize("change, message", [
    (lambda t: t.drop(columns=["cst_fa", "bmi"]), "missing column(s) 'bmi', 'cst_fa'"),
    (lambda t: t.assign(mune=t["mune"].astype(object).where(t.index != 4, "n/a")),
     "column 'mune' row 4 has 'n/a', not a number; list the column in prognosis.categorical"),
    (lambda t: t.assign(progression=t["progression"].replace({"fast": "rapid"})), "exactly the two values 'fast' and 'slow'"),
    (lambda t: pd.concat([t, t.iloc[[0]].assign(bmi=99.0)]), "repeats subject"),
])
def test_clean_names_what_is_wrong(table, schema, change, message):
    with pytest.raises(UserError, match=re.escape(message)):
        cohort.clean(change(table), schema, "cohort.csv", read_settings("prognosis.read"))


def test_a_row_without_outcome_is_dropped_and_counted(table, schema):
    frame, report = cohort.clean(table.assign(progression=table["progression"].where(table.index != 0)), schema,
                                 "cohort.csv", read_settings("prognosis.read"))
    assert report["no_outcome_removed"] == 1 and table.loc[0, schema.id_column] not in frame.index


@pytest.mark.parametrize("update, message", [
    ({"features": {"clinical": ["bmi"], "imaging": ["bmi"], "genetic": []}}, "names column(s) bmi more than once"),
    ({"categorical": ["colour"]}, "prognosis.categorical names 'colour', which is not listed in prognosis.features"),
    ({"id_column": 3}, "prognosis.id_column must be a column name, got 3"),
])
def test_bad_column_mapping_is_named(update, message):
    params = json.loads(json.dumps(PARAMS))
    params["prognosis"].update(update)
    with pytest.raises(UserError, match=re.escape(message)):
        config.load(params)


class RecordingEncoder(TransformerMixin, BaseEstimator):
    """Wraps the real encoder and records which patients every fit saw."""

    seen: list = []

    def __init__(self, encoder=None):
        self.encoder = encoder

    def fit(self, X, y=None):
        RecordingEncoder.seen.append(set(X.index))
        self.encoder_ = clone(self.encoder).fit(X)
        return self

    def transform(self, X):
        return self.encoder_.transform(X)


def test_no_preprocessing_step_sees_test_or_held_out_rows_when_fitting(clean, schema):
    frame, _ = clean
    train, test = cohort.split(frame, 0.2, seed=0)
    X, y = cohort.features_and_labels(train, schema)
    assert not set(train.index) & set(test.index)
    splits = folds.stratified_splits(y, 3, 0, "prognosis.cv.folds")
    pipeline = cohort.make_pipeline(RecordingEncoder(cohort.make_encoder(schema)), cohort.make_pca(0.9, 0),
                                    cohort.MODELS.build("gb", {}, 0))
    RecordingEncoder.seen = []
    search = GridSearchCV(pipeline, {"model__n_estimators": [5, 10]}, cv=splits, scoring="roc_auc").fit(X, y)
    folds_train = [set(X.index[train_rows]) for train_rows, _ in splits]
    assert len(RecordingEncoder.seen) == 2 * 3 + 1
    for seen in RecordingEncoder.seen[:-1]:
        assert seen in folds_train, "each CV fit sees exactly one fold's training rows"
    assert RecordingEncoder.seen[-1] == set(X.index), "the final refit sees the whole training split"
    assert all(not seen & set(test.index) for seen in RecordingEncoder.seen), "no fit ever sees a test patient"
    assert search.predict_proba(test[schema.features]).shape == (len(test), 2)


def test_encoder_imputes_from_training_rows_and_maps_features_to_modalities(clean, schema):
    frame, _ = clean
    train, test = cohort.split(frame, 0.2, seed=0)
    encoder = cohort.make_encoder(schema).fit(train[schema.features])
    shifted = test[schema.features].assign(cst_fa=np.nan)
    encoded = encoder.transform(shifted)
    median = train["cst_fa"].median()
    expected = (median - train["cst_fa"].min()) / (train["cst_fa"].max() - train["cst_fa"].min())
    assert np.allclose(encoded["cst_fa"], expected), "test gaps filled with the training median"
    sources = cohort.encoded_sources(encoder, schema)
    assert list(sources["feature"]) == list(encoded.columns)
    assert set(sources.loc[sources["column"] == "C9orf72", "feature"]) == {"C9orf72_negative", "C9orf72_positive"}
    assert sources.groupby("modality")["column"].nunique().to_dict() == {"clinical": 8, "genetic": 4, "imaging": 5}


def test_ensemble_averages_probabilities_and_shap_adds_up(clean, schema):
    frame, _ = clean
    train, test = cohort.split(frame, 0.2, seed=0)
    X, y = cohort.features_and_labels(train, schema)
    members = [cohort.make_pipeline(cohort.make_encoder(schema), None, model).fit(X, y) for model in
               (RandomForestClassifier(50, max_depth=4, random_state=0), GradientBoostingClassifier(random_state=0))]
    ensemble = cohort.MeanProbability(members).fit(X, y)
    X_test = test[schema.features]
    p = ensemble.predict_proba(X_test)
    assert np.allclose(p, (members[0].predict_proba(X_test) + members[1].predict_proba(X_test)) / 2)
    sources = cohort.encoded_sources(members[0]["encode"], schema)
    to_units, weights = explain.unit_map(sources)
    assert sorted(to_units.columns) == sorted(schema.features) and (to_units.sum(axis=1) == 1).all()
    assert (weights.sum(axis=1) == 1).all() and weights.loc["SOD1", "genetic"] == 1
    inputs, background = members[0][:-1].transform(X_test), members[0][:-1].transform(X).iloc[:40]
    (rf_shap, rf_base), (gb_shap, gb_base) = [explain.tree_shap(m[-1], background, inputs) for m in members]
    ensemble_shap, base = (rf_shap + gb_shap) / 2, (rf_base + gb_base) / 2
    assert gb_base == pytest.approx(members[1].predict_proba(X.iloc[:40])[:, 1].mean()), "against the background"
    gap = np.abs(base + ensemble_shap.sum(axis=1) - p[:, 1]).max()
    assert gap < 1e-6, f"SHAP values add up to the prediction (gap {gap})"
    per_column = ensemble_shap @ to_units
    assert np.allclose(per_column.sum(axis=1), ensemble_shap.sum(axis=1))
    summary = explain.summarize(per_column.abs().mean(), weights, top=3)
    assert len(summary["top"]) == 3 and summary["top"] == dict(sorted(summary["top"].items(), key=lambda kv: -kv[1]))
    assert sum(summary["modality_share"].values()) == pytest.approx(1)


def test_pca_units_split_importance_by_squared_loadings(clean, schema):
    frame, _ = clean
    X, _ = cohort.features_and_labels(frame, schema)
    encoder = cohort.make_encoder(schema).fit(X)
    pca = cohort.make_pca(4, seed=0).fit(encoder.transform(X))
    to_units, weights = explain.unit_map(cohort.encoded_sources(encoder, schema), pca)
    assert list(to_units.index) == list(pca.get_feature_names_out()) and np.allclose(to_units, np.eye(4))
    assert np.allclose(weights.sum(axis=1), 1)
    summary = explain.summarize(pd.Series([1.0, 0, 0, 0], index=to_units.index), weights, top=2)
    assert summary["modality_share"] == pytest.approx(weights.iloc[0].to_dict())


def test_harmful_permutations_count_as_no_contribution():
    weights = pd.DataFrame({"clinical": [1.0, 0], "imaging": [0, 1.0], "genetic": [0, 0.0]}, index=["a", "b"])
    summary = explain.summarize(pd.Series({"a": 0.2, "b": -0.1}), weights, top=2)
    assert summary["modality_share"] == {"clinical": 1.0, "imaging": 0.0, "genetic": 0.0}
    assert list(summary["top"]) == ["a", "b"]


def test_clean_stage_errors_are_one_line_and_leave_nothing(stage_dir, table):
    table.drop(columns=["mune"]).to_csv(stage_dir / "cohort.csv", index=False)
    result = run_stage("prognosis_clean", "cohort.csv", "out/clean.csv", "out/cleaning.json", cwd=stage_dir)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "prognosis_clean: error: cohort.csv: missing column(s) 'mune' named in params.yaml (prognosis.id_column "
        "/ outcome.column / features); columns found: patient_id, age_at_onset, sex, onset_region, "
        "diagnostic_delay_months, alsfrs_r_total, fvc_percent, bmi, riluzole, cst_fa, precentral_thickness_mm, "
        "cmap_amplitude_mv ..."]
    assert not (stage_dir / "out").exists()


def test_train_stage_rejects_a_grid_the_model_does_not_know(stage_dir, clean):
    """An unknown grid key is named by the configuration (in one place, before any data are read); a value
    only scikit-learn can judge stops the stage with its first line, not a traceback."""
    frame, _ = clean
    frame.to_csv(stage_dir / "train.csv")
    params = yaml.safe_load((stage_dir / "params.yaml").read_text())
    params["prognosis"]["rf"]["grid"] = {"n_trees": [10]}
    (stage_dir / "params.yaml").write_text(yaml.safe_dump(params))
    result = run_stage("prognosis_train", "rf", "train.csv", "out", cwd=stage_dir)
    assert result.returncode == 2
    assert "prognosis_train: error: params.yaml: prognosis.rf.grid.n_trees is not a parameter" in result.stderr
    params["prognosis"]["rf"]["grid"] = {"max_samples": [-3]}
    (stage_dir / "params.yaml").write_text(yaml.safe_dump(params))
    result = run_stage("prognosis_train", "rf", "train.csv", "out", cwd=stage_dir)
    assert result.returncode == 2
    assert "prognosis_train: error: params.yaml: prognosis.rf.grid is not valid for Random forest" in result.stderr
    assert "Traceback" not in result.stderr and not (stage_dir / "out").exists()


def test_explanations_split_into_stable_metrics_and_ranked_plot_rows():
    """Metrics keep only keys every experiment has (the modalities); feature names go to the bar charts."""
    weights = pd.DataFrame({"clinical": [1.0, 0], "imaging": [0, 1.0], "genetic": [0, 0.0]}, index=["a", "b"])
    found = explain.summarize(pd.Series({"a": 0.1, "b": 0.3}), weights, top=2)
    shares, ranked = explain.split_for_dvc({"rf": {"shap": found}, "ensemble": {"permutation": found}})
    assert shares == {"rf": {"shap": {"modality_share": found["modality_share"]}},
                      "ensemble": {"permutation": {"modality_share": found["modality_share"]}}}
    assert set(ranked) == {"rf_shap.json", "ensemble_permutation.json"}
    chart = "Random forest: mean |SHAP| on the test patients"
    assert ranked["rf_shap.json"] == [{"chart": chart, "feature": "b", "importance": 0.3},
                                      {"chart": chart, "feature": "a", "importance": 0.1}]
    assert ranked["ensemble_permutation.json"][0]["chart"].startswith("Ensemble (mean probability): permutation")


def test_the_joblib_bar_counts_every_task_and_restores_joblib():
    from joblib import Parallel, delayed
    from joblib.parallel import Parallel as JoblibParallel

    from alskit.common import progress

    original = JoblibParallel.print_progress
    with progress.joblib_bar(6, "test") as bar:
        assert Parallel(n_jobs=2)(delayed(abs)(-i) for i in range(6)) == list(range(6))
        assert bar.n == 6
    assert JoblibParallel.print_progress is original

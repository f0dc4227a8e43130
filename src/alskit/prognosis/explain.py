"""Why the prognosis models predict what they do (seed 000, "Feature Importance Analysis" and "Model
Interpretability"): built-in and permutation importance, SHAP values, and each modality's share.

Importances are reported per *unit*: the user's original columns when the models see encoded columns (the
one-hot columns of ``sex`` add up to ``sex``: SHAP values and impurity importances are additive), or the
principal components when PCA is on. A unit's modality weights say how much of it is clinical, imaging or
genetic: 1 for its own modality for a column; for a component, the squared loadings (which sum to 1) of its
encoded features, grouped by their modality.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance
from tqdm import tqdm

from alskit.common.plots import pyplot, save_png
from alskit.prognosis.cohort import MODALITIES, MeanProbability, Schema, encoded_sources
from alskit.prognosis.config import ENSEMBLE, MODEL_NAMES, Explain

log = logging.getLogger("alskit")


def unit_map(sources: pd.DataFrame, pca=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(to_units, modality_weights)`` for model inputs built from encoded features ``sources``
    (:func:`alskit.prognosis.cohort.encoded_sources`) and an optional fitted PCA.

    ``to_units`` (model inputs x units) sums model-input values into units; ``modality_weights``
    (units x modalities) splits a unit's importance among the modalities.
    """
    if pca is None:
        to_units = pd.crosstab(sources["feature"], sources["column"]).reindex(
            index=sources["feature"], columns=pd.unique(sources["column"])).astype(float)
        column_modality = sources.drop_duplicates("column").set_index("column")["modality"]
        weights = pd.crosstab(column_modality.index, column_modality).reindex(
            index=to_units.columns, columns=list(MODALITIES), fill_value=0).astype(float)
        return to_units.rename_axis(index=None, columns=None), weights.rename_axis(index=None, columns=None)
    names = list(pca.get_feature_names_out())
    loadings = pd.DataFrame(pca.components_ ** 2, index=names, columns=sources["feature"])
    weights = loadings.T.groupby(sources.set_index("feature")["modality"]).sum().T
    return (pd.DataFrame(np.eye(len(names)), index=names, columns=names),
            weights.reindex(columns=list(MODALITIES), fill_value=0.0))


def tree_shap(model, background: pd.DataFrame, rows: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """SHAP values of a fitted tree ensemble's positive-class *probability*, and the base value they add to
    (``base + values.sum(axis=1)`` is the model's probability for each row), so the values of different
    models -- and their average -- share one scale.

    A random forest already averages leaf probabilities: its trees are explained exactly by path-dependent
    TreeSHAP (shap's interventional algorithm does not add up on forests, shap issue #3267). Boosted trees
    output log-odds: interventional TreeSHAP against ``background`` explains them in probability units.
    """
    import shap
    from sklearn.ensemble import RandomForestClassifier

    if isinstance(model, RandomForestClassifier):
        explainer = shap.TreeExplainer(model)
    else:
        explainer = shap.TreeExplainer(model, data=background, model_output="probability",
                                       feature_perturbation="interventional")
    values = np.asarray(explainer.shap_values(rows, check_additivity=True))
    base = np.atleast_1d(explainer.expected_value)[-1]
    if values.ndim == 3:                    # one slice per class: keep the positive class
        values = values[..., 1]
    return pd.DataFrame(values, index=rows.index, columns=rows.columns), float(base)


def builtin_importance(model, columns: list[str]) -> pd.Series:
    """The model's own (impurity-based) importances of its input columns."""
    return pd.Series(model.feature_importances_, index=columns)


def permutation(estimator, X: pd.DataFrame, y: np.ndarray, repeats: int, seed: int) -> pd.Series:
    """Mean fall in AUROC when one original column is shuffled, over ``repeats`` shuffles (whole pipeline,
    so the importance is per column of the user's table whatever the preprocessing)."""
    result = permutation_importance(estimator, X, y, scoring="roc_auc", n_repeats=repeats, random_state=seed,
                                    n_jobs=1)
    return pd.Series(result.importances_mean, index=X.columns)


def summarize(importance: pd.Series, modality_weights: pd.DataFrame, top: int) -> dict:
    """The ``top`` units by importance and each modality's share of the total (shares sum to 1)."""
    ranked = importance.sort_values(ascending=False, kind="stable")
    positive = importance.clip(lower=0)      # a column whose shuffling helps contributes nothing
    per_modality = modality_weights.loc[positive.index].mul(positive, axis=0).sum()
    total = per_modality.sum()
    shares = (per_modality / total) if total > 0 else per_modality * np.nan
    return {"top": {str(k): float(v) for k, v in ranked.head(top).items()},
            "modality_share": {m: float(shares[m]) for m in MODALITIES}}


METHODS = {"shap": "mean |SHAP| on the test patients", "builtin": "built-in (impurity) importance",
           "permutation": "permutation importance (AUROC drop on the test split)"}   # in the charts' headers


def split_for_dvc(results: dict) -> tuple[dict, dict[str, list[dict]]]:
    """:func:`explain_models`'s results split by what DVC does with them: each modality's share (the same keys in
    every experiment: metrics that ``dvc metrics diff`` compares) and the ranked features (names that change
    from one experiment to the next, which as metrics would add and drop columns in ``dvc exp show``: bar-chart
    rows ``{feature, importance}`` by ``<model>_<method>.json``)."""
    shares = {name: {method: {"modality_share": found["modality_share"]} for method, found in methods.items()}
              for name, methods in results.items()}
    ranked = {f"{name}_{method}.json": [{"chart": f"{MODEL_NAMES[name]}: {METHODS[method]}", "feature": k,
                                         "importance": v} for k, v in found["top"].items()]
              for name, methods in results.items() for method, found in methods.items()}
    return shares, ranked


def summary_plot(values: pd.DataFrame, data: pd.DataFrame, path, max_display: int, title: str) -> None:
    """SHAP's beeswarm summary (one dot per patient and unit, coloured by the unit's value) as a PNG."""
    import shap

    shap.summary_plot(values.to_numpy(), data, max_display=max_display, show=False, plot_size=(8, 6),
                      rng=np.random.default_rng(0))  # the beeswarm's vertical jitter
    figure = pyplot().gcf()
    figure.suptitle(title, fontsize=11)
    save_png(figure, path, dpi=100)


def display_values(X: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Colours for the beeswarm: numeric columns as they are, categorical ones as sorted category codes."""
    display = X.copy()
    for column in schema.categorical_features:
        display[column] = pd.Categorical(display[column]).codes.astype(float)
        display.loc[X[column].isna(), column] = float("nan")
    return display


def explain_models(fitted: dict, X_train: pd.DataFrame, X_test: pd.DataFrame, y_test: np.ndarray, schema: Schema,
                   settings: Explain) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Per fitted pipeline (``fitted``, by model name, in ``prognosis.models`` order) and for their averaging
    ensemble: SHAP, built-in (trees only) and permutation importance, each summarised by feature and modality;
    and the ensemble's SHAP values with the values that colour them in the beeswarm.

    Every model's preprocessing is the same fit (same training rows, same settings), so the first's is used to
    encode the test patients and a background sample of training patients (``settings.background``). Each
    model's five leading features by SHAP and its modality shares go to the log.
    """
    first = next(iter(fitted.values()))
    ensemble = MeanProbability(list(fitted.values())).fit(X_test, y_test)
    sources = encoded_sources(first["encode"], schema)
    pca = None if first["pca"] == "passthrough" else first["pca"]
    to_units, weights = unit_map(sources, pca)
    column_weights = unit_map(sources)[1]
    inputs = first[:-1].transform(X_test)
    background = first[:-1].transform(X_train).sample(min(settings.background, len(X_train)),
                                                      random_state=settings.seed)
    top, repeats, seed = settings.top, settings.permutation_repeats, settings.seed
    results, shap_units = {}, {}
    for name, pipeline in tqdm(fitted.items(), desc="explain", unit="model"):
        model = pipeline[-1]
        shap_units[name] = tree_shap(model, background, inputs)[0] @ to_units
        results[name] = {
            "shap": summarize(shap_units[name].abs().mean(), weights, top),
            "builtin": summarize(builtin_importance(model, list(inputs.columns)) @ to_units, weights, top),
            "permutation": summarize(permutation(pipeline, X_test, y_test, repeats, seed), column_weights, top)}
    mean_shap = sum(shap_units.values()) / len(shap_units)
    results[ENSEMBLE] = {
        "shap": summarize(mean_shap.abs().mean(), weights, top),
        "permutation": summarize(permutation(ensemble, X_test, y_test, repeats, seed), column_weights, top)}
    for name, result in results.items():
        log.info("%-8s SHAP top: %s; modality shares %s", name, ", ".join(list(result["shap"]["top"])[:5]),
                 {m: round(v, 2) for m, v in result["shap"]["modality_share"].items()})
    display = inputs @ to_units if pca is not None else display_values(X_test, schema)
    return results, mean_shap, display[mean_shap.columns]

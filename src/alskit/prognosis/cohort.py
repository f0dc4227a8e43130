"""The prognosis table of seed 000 and its models: column mapping, cleaning, preprocessing, grid search, ensemble.

Layout: ``docs/data.md`` (study 3) -- one row per patient; ``params.yaml`` (``prognosis``) names
the ID column, the outcome column and its two values, and the clinical, imaging and genetic feature columns,
so a real cohort is mapped without touching code. Methods: seed 000, sections 3-4.

Preprocessing (median / most-frequent imputation, one-hot encoding, MinMax scaling, optional PCA) lives in
sklearn pipelines that are refit on the training part of every CV fold, and on the training split for the
final models: no preprocessing step ever sees a test row when it is fit.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

from alskit.common import tables
from alskit.common.errors import UserError
from alskit.common.models import Catalogue
from alskit.common.config import Read
from alskit.prognosis.config import MODEL_NAMES, PROGNOSIS_MODELS, Prognosis

log = logging.getLogger("alskit")
LABEL = "label"                 # 1 = the outcome's positive value (e.g. fast progressor), 0 = anything else
MODALITIES = ("clinical", "imaging", "genetic")
# what the grid search scores (``prognosis.cv.select_by`` picks the one it selects by), as sklearn names them
SCORING = {"accuracy": "accuracy", "precision": "precision", "recall": "recall", "f1": "f1", "auroc": "roc_auc"}


@dataclass(frozen=True)
class Schema:
    """Which columns of the user's table mean what (``params.yaml``, section ``prognosis``)."""

    id_column: str
    outcome: str
    positive: str
    negative: str
    groups: dict[str, list[str]]            # modality -> feature columns
    categorical: tuple[str, ...]            # categorical columns besides the genetic ones

    @property
    def class_names(self) -> dict[int, str]:
        """The two outcome values by label (1 = positive), as params.yaml spells them."""
        return {1: self.positive, 0: self.negative}

    @property
    def features(self) -> list[str]:
        return [column for modality in MODALITIES for column in self.groups[modality]]

    @property
    def categorical_features(self) -> list[str]:
        """Genetic markers (always one-hot encoded) and the columns listed as categorical."""
        return [c for c in self.features if c in self.groups["genetic"] or c in self.categorical]

    @property
    def numeric_features(self) -> list[str]:
        return [c for c in self.features if c not in self.categorical_features]

    def modality(self, column: str) -> str:
        return next(m for m in MODALITIES if column in self.groups[m])


def schema_from_config(cfg: Prognosis) -> Schema:
    """The column mapping of the checked ``prognosis`` parameters (:mod:`alskit.prognosis.config` has refused a
    column named twice, a categorical column not listed, and an ID or outcome column listed as a feature)."""
    return Schema(id_column=cfg.id_column, outcome=cfg.outcome.column, positive=str(cfg.outcome.positive),
                  negative=str(cfg.outcome.negative),
                  groups={m: list(getattr(cfg.features, m)) for m in MODALITIES}, categorical=tuple(cfg.categorical))


def clean(raw: pd.DataFrame, schema: Schema, source: str, options: Read,
          recode: dict[str, dict] | None = None) -> tuple[pd.DataFrame, dict]:
    """Check the mapped columns, parse every cell, drop repeated rows and rows without an outcome, report.

    Returns one row per patient (indexed by normalised ID) with the feature columns and ``label`` (1 = positive
    outcome). Categories are recoded as ``prognosis.recode`` says and spellings that differ only in case or
    spaces merged (:func:`tables.harmonise_categories`); numeric cells are parsed under ``prognosis.read``
    (:func:`tables.parse_numeric`). Missing feature cells stay missing: imputation is learnt later, from
    training rows only. Every substitution and dropped row is counted per column and per outcome class.
    """
    recode = recode or {}
    needed = [schema.id_column, schema.outcome, *schema.features]
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise UserError(f"{source}: missing column(s) {', '.join(repr(c) for c in missing)} named in params.yaml "
                        f"(prognosis.id_column / outcome.column / features); columns found: "
                        f"{', '.join(map(str, raw.columns[:12]))}{' ...' if len(raw.columns) > 12 else ''}")
    frame = raw[needed].copy()
    ledger = tables.Ledger(frame[schema.outcome].map(lambda v: v if pd.isna(v) else str(v).strip()))
    frame = tables.drop_rows_without_data(frame, schema.id_column, ledger, source)
    frame[schema.id_column] = tables.normalise_ids(frame[schema.id_column], schema.id_column, source)
    for column in [schema.outcome, *schema.categorical_features]:
        frame[column] = tables.harmonise_categories(frame[column], column, source, ledger, recode.get(column),
                                                    recode_param="prognosis.recode")
        if frame[column].isna().all():
            raise UserError(f"{source}: column '{column}' is empty in every row")
        if column == schema.outcome:  # every later count per class, by the outcome values params.yaml names
            frame[column] = _outcome_spelling(frame[column], schema, source)
            ledger.set_classes(frame[column])
    frame[schema.numeric_features] = tables.parse_numeric(
        frame, schema.numeric_features, options, ledger, source,
        hint="list the column in prognosis.categorical if it is a category, ")
    n_in = len(raw)
    duplicates = frame.duplicated()
    ledger.rows("repeated_row", duplicates)
    frame = frame[~duplicates]
    tables.repeated_ids(frame[schema.id_column], schema.id_column, source)
    no_outcome = frame[schema.outcome].isna()
    ledger.rows("without_outcome", no_outcome)
    classes_in = ledger.classes.reindex(frame.index).value_counts().to_dict()
    frame = frame[~no_outcome]
    outcomes = sorted(frame[schema.outcome].unique())
    if outcomes != sorted([schema.positive, schema.negative]):
        raise UserError(f"{source}: column '{schema.outcome}' must hold exactly the two values "
                        f"'{schema.positive}' and '{schema.negative}' (prognosis.outcome.positive and .negative); "
                        f"found {outcomes}")
    frame[LABEL] = (frame[schema.outcome] == schema.positive).astype(int)
    frame = frame.drop(columns=schema.outcome).set_index(schema.id_column)
    missing_share = frame[schema.features].isna().mean()
    counts = {schema.positive: int(frame[LABEL].sum()), schema.negative: int((frame[LABEL] == 0).sum())}
    report = {
        "rows_in": n_in, "duplicate_rows_removed": int(duplicates.sum()), "no_outcome_removed":
            int(no_outcome.sum()), "patients": len(frame),
        "outcome": counts,
        "missing_share": {column: float(share) for column, share in missing_share.items() if share > 0},
        "missing_share_by_modality": {m: float(frame[schema.groups[m]].isna().to_numpy().mean())
                                      for m in MODALITIES if schema.groups[m]},
        **ledger.report(),
        "class_bias": tables.class_bias({str(k): int(v) for k, v in classes_in.items()}, counts),
    }
    return frame, report


def _outcome_spelling(outcome: pd.Series, schema: Schema, source: str) -> pd.Series:
    """The outcome column with each value matching ``prognosis.outcome.positive`` or ``.negative`` ignoring case
    spelled as in params.yaml (``Fast`` for ``fast``: logged)."""
    spelling = {}
    for name in (schema.positive, schema.negative):
        matches = {v for v in outcome.dropna().unique() if str(v).casefold() == name.casefold()}
        if matches - {name}:
            log.info("%s: outcome value %s read as '%s'", source, ", ".join(map(repr, matches - {name})), name)
        spelling.update({v: name for v in matches})
    return outcome.map(lambda v: spelling.get(v, v))


def split(frame: pd.DataFrame, test_size: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seed 000, section 4: stratified, seeded train/test split (80/20 by default)."""
    smallest = int(frame[LABEL].value_counts().min())
    if smallest < 2:
        raise UserError(f"the outcome has a class with {smallest} patient(s); a stratified split needs at least 2")
    return train_test_split(frame, test_size=test_size, stratify=frame[LABEL], random_state=seed)


def unseen_categories(train: pd.DataFrame, test: pd.DataFrame, schema: Schema) -> dict[str, dict[str, int]]:
    """Per categorical column, the categories found in the test split but not in the training split, with their
    number of test patients. The encoder, fit on training rows, would encode them as all zeros."""
    unseen = {}
    for column in schema.categorical_features:
        new = test[column].dropna()[~test[column].dropna().isin(set(train[column].dropna()))]
        if len(new):
            unseen[column] = {str(k): int(v) for k, v in sorted(new.value_counts().items())}
    return unseen


def features_and_labels(frame: pd.DataFrame, schema: Schema) -> tuple[pd.DataFrame, np.ndarray]:
    return frame[schema.features], frame[LABEL].to_numpy(dtype=int)


def make_encoder(schema: Schema) -> ColumnTransformer:
    """Median-impute and MinMax-scale numeric columns; most-frequent-impute and one-hot encode categorical ones.

    One-hot columns are named ``<column>_<value>``; a category first seen in test data is encoded as all zeros.
    """
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", MinMaxScaler())])
    categorical = Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                            ("one_hot", OneHotEncoder(handle_unknown="ignore", sparse_output=False))])
    return ColumnTransformer([("numeric", numeric, schema.numeric_features),
                              ("categorical", categorical, schema.categorical_features)],
                             verbose_feature_names_out=False).set_output(transform="pandas")


def encoded_sources(encoder: ColumnTransformer, schema: Schema) -> pd.DataFrame:
    """For each encoded feature of a fitted encoder: its source column and that column's modality."""
    sources = list(schema.numeric_features)
    one_hot = encoder.named_transformers_["categorical"].named_steps["one_hot"]
    for column, categories in zip(schema.categorical_features, one_hot.categories_):
        sources += [column] * len(categories)
    return pd.DataFrame({"feature": encoder.get_feature_names_out(), "column": sources,
                         "modality": [schema.modality(c) for c in sources]})


def make_pca(components: int | float | None, seed: int) -> PCA | None:
    """``None`` (no PCA), a number of components (int >= 1) or the share of variance to keep (0 < float < 1)."""
    if components is None:
        return None
    return PCA(n_components=components, random_state=seed).set_output(transform="pandas")


def explained_variance(encoded: pd.DataFrame, components: int | float | None, seed: int
                       ) -> tuple[list[dict], dict]:
    """Seed 000's optional PCA, measured on the encoded training rows: the variance each component explains
    (one record per component, with the cumulative share) and a summary of what ``prognosis.pca.components``
    keeps, beside how many components 80%, 90% and 95% of the variance would take. A number of components
    larger than the encoded features is an error (known only once the data are encoded)."""
    if isinstance(components, int) and components > encoded.shape[1]:
        raise UserError(f"params.yaml: prognosis.pca.components must be at most the {encoded.shape[1]} encoded "
                        f"features, got {components}")
    ratios = PCA(random_state=seed).fit(encoded).explained_variance_ratio_
    cumulative = np.cumsum(ratios)
    pca = make_pca(components, seed)
    kept = encoded.shape[1] if pca is None else pca.fit(encoded).n_components_
    summary = {"enabled": pca is not None, "components": int(kept),
               "variance_kept": float(cumulative[kept - 1]) if pca is not None else 1.0,
               **{f"components_for_{int(share * 100)}pct": int(np.searchsorted(cumulative, share) + 1)
                  for share in (0.8, 0.9, 0.95)}}
    rows = [{"component": i, "explained": float(r), "cumulative": float(c)}
            for i, (r, c) in enumerate(zip(ratios, cumulative), 1)]
    return rows, summary


MODELS = Catalogue("prognosis", {model: MODEL_NAMES[model] for model in PROGNOSIS_MODELS},
                   {"rf": lambda settings, seed: RandomForestClassifier(random_state=seed, n_jobs=1, **settings),
                    "gb": lambda settings, seed: GradientBoostingClassifier(random_state=seed, **settings)})
"""Seed 000's classifiers, untuned (``MODELS.build(name, {}, seed)``): the grid search sets the rest."""


def make_pipeline(encoder: ColumnTransformer, pca: PCA | None, model) -> Pipeline:
    """encode -> (PCA) -> model, as one estimator so CV refits the preprocessing on every training fold."""
    return Pipeline([("encode", encoder), ("pca", pca if pca is not None else "passthrough"), ("model", model)])


class MeanProbability(ClassifierMixin, BaseEstimator):
    """Seed 000's ensemble: the simple average of fitted classifiers' predicted probabilities."""

    def __init__(self, estimators: list):
        self.estimators = estimators

    def fit(self, X, y):
        """Nothing to learn: the members are fitted already (sklearn's ``VotingClassifier`` would refit them)."""
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X) -> np.ndarray:
        return np.mean([estimator.predict_proba(X) for estimator in self.estimators], axis=0)

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

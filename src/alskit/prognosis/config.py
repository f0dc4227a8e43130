"""Study 3's parameters (``prognosis`` in ``params.yaml``), typed and checked once: ``cfg = load()`` in every
stage.

Light on purpose (pydantic and ``alskit.common`` only): the ``check_params`` stage runs it in about a second.
"""
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import AfterValidator, Field, StrictFloat, StrictInt, WrapValidator, create_model

from alskit.common.errors import UserError
from alskit.common.config import (CELL_TEXT, Column, Columns, Decimal, Int, ListOf, Number, OneOf, PositiveInt,
                                  Rate, Read, Section, Seed, Subgroups, Text, _expect, _keep_int, _ordered, load_section, names,
                                  sections_for_models)

# Copies of choices defined in modules too heavy to import here (tests/test_params.py keeps them in step).
ENSEMBLE = "ensemble"                                            # the averaging ensemble of the tuned models
MODEL_NAMES = {"rf": "Random forest", "gb": "Gradient boosting", ENSEMBLE: "Ensemble (mean probability)"}
PROGNOSIS_MODELS = tuple(name for name in MODEL_NAMES if name != ENSEMBLE)   # the tuned models
STUDY, SCORED_ON = "Prognosis", "test split"   # the study and where it scores: in chart titles and the report
# The chart kinds (alskit.common.plots.CHARTS) drawn besides the four curve kinds, and on what: in chart titles.
OTHER_CHARTS = {"importance": "one chart per model and method", "pca": "training split"}
SELECT_BY = ("accuracy", "precision", "recall", "f1", "auroc")   # alskit.prognosis.cohort.SCORING
# sklearn constructor parameters a grid may search (RandomForestClassifier / GradientBoostingClassifier)
RF_PARAMS = ("bootstrap", "ccp_alpha", "class_weight", "criterion", "max_depth", "max_features", "max_leaf_nodes",
             "max_samples", "min_impurity_decrease", "min_samples_leaf", "min_samples_split",
             "min_weight_fraction_leaf", "monotonic_cst", "n_estimators", "n_jobs", "oob_score", "random_state",
             "verbose", "warm_start")
GB_PARAMS = ("ccp_alpha", "criterion", "init", "learning_rate", "loss", "max_depth", "max_features",
             "max_leaf_nodes", "min_impurity_decrease", "min_samples_leaf", "min_samples_split",
             "min_weight_fraction_leaf", "n_estimators", "n_iter_no_change", "random_state", "subsample", "tol",
             "validation_fraction", "verbose", "warm_start")



class Outcome(Section):
    column: Column
    positive: Annotated[Union[Annotated[str, Field(min_length=1)], StrictInt],
                        _expect("the outcome value that counts as positive (a string or an integer)")]
    negative: Annotated[Union[Annotated[str, Field(min_length=1)], StrictInt],
                        _expect("the outcome's other value (a string or an integer): the name every sentence, "
                                "chart and count gives the negative class")]


class Features(Section):
    clinical: Columns
    imaging: Columns
    genetic: Columns


Cell = Annotated[Union[str, StrictInt, StrictFloat], _expect(CELL_TEXT)]
Recode = Annotated[dict[Column, Annotated[dict[Cell, Cell], _expect("a mapping of spelling: value "
                                                                    "(e.g. {M: male, Male: male})", items=True)]],
                   _expect("a mapping of column: {spelling: value}", items=True)]


class PrognosisDemo(Section):
    seed: Seed
    patients: Int("an integer >= 10", ge=10)
    fast_threshold: Number("a number > 0", gt=0)
    median_rate: Number("a number > 0", gt=0)
    missing_imaging: Annotated[list[Rate], Field(strict=True, min_length=2, max_length=2),
                               AfterValidator(_ordered),
                               _expect("[lowest, highest] share of missing cells per imaging column, "
                                       "each in [0, 1)")]
    missing_other: Rate
    duplicates: Int("an integer >= 0", ge=0)


class PrognosisSplit(Section):
    seed: Seed
    test_size: Decimal("a number in (0, 1)", gt=0, lt=1)


class Pca(Section):
    seed: Seed
    components: Annotated[Union[None, Annotated[StrictInt, Field(ge=1)], Annotated[StrictFloat, Field(gt=0, lt=1)]],
                          _expect("null (no PCA), an integer >= 1 (components) or a number in (0, 1) "
                                  "(share of variance to keep)")]


class PrognosisCV(Section):
    folds: Int("an integer >= 2", ge=2)
    seed: Seed
    select_by: OneOf(*SELECT_BY)


class PrognosisTrain(Section):
    seed: Seed
    threshold: Decimal("a number in (0, 1)", gt=0, lt=1)


def _grid_values(item: Any, what: str) -> Any:
    return Optional[ListOf(Annotated[item, _expect(what)], f"a non-empty list of values to search, each {what}",
                           min_length=1)]


_MAX_FEATURES = Union[None, Literal["sqrt", "log2"], Annotated[StrictInt, Field(ge=1)],
                      Annotated[StrictFloat, Field(gt=0, le=1)]]
_LEAF = Union[Annotated[StrictInt, Field(ge=1)], Annotated[StrictFloat, Field(gt=0, lt=1)]]
_SPLIT = Union[Annotated[StrictInt, Field(ge=2)], Annotated[StrictFloat, Field(gt=0, le=1)]]
# The values a grid may list for the parameters people tune; any other sklearn parameter takes any list.
_GRID_VALUES = {
    "n_estimators": (Annotated[StrictInt, Field(ge=1)], "an integer >= 1"),
    "max_depth": (Optional[Annotated[StrictInt, Field(ge=1)]], "null or an integer >= 1"),
    "learning_rate": (Annotated[float, Field(strict=True, gt=0), WrapValidator(_keep_int)], "a number > 0"),
    "subsample": (Annotated[float, Field(strict=True, gt=0, le=1), WrapValidator(_keep_int)], "a number in (0, 1]"),
    "min_samples_leaf": (_LEAF, "an integer >= 1 or a number in (0, 1)"),
    "min_samples_split": (_SPLIT, "an integer >= 2 or a number in (0, 1]"),
    "max_features": (_MAX_FEATURES, "null, sqrt, log2, an integer >= 1 or a number in (0, 1]"),
    "bootstrap": (bool, "true or false"),
}


def _grid_model(name: str, estimator_params: tuple[str, ...], choices: dict[str, tuple[str, ...]]) -> type:
    fields: dict[str, Any] = {}
    for key in estimator_params:
        item, what = _GRID_VALUES.get(key, (Any, "a value"))
        if key in choices:
            item, what = Literal[choices[key]], f"one of {', '.join(choices[key])}"
        fields[key] = (_grid_values(item, what), None)
    return create_model(name, __base__=Section, **fields)


RfGrid = _grid_model("RfGrid", RF_PARAMS, {"criterion": ("gini", "entropy", "log_loss")})
GbGrid = _grid_model("GbGrid", GB_PARAMS, {"criterion": ("friedman_mse", "squared_error"),
                                             "loss": ("log_loss", "exponential")})


class RfModel(Section):
    grid: RfGrid


class GbModel(Section):
    grid: GbGrid


class Explain(Section):
    seed: Seed
    top: PositiveInt
    permutation_repeats: PositiveInt
    background: Int("an integer >= 10", ge=10)


class Prognosis(Section):
    data: Text("a path to the cohort table (.csv or .xlsx)")
    read: Read
    id_column: Column
    subgroups: Subgroups
    outcome: Outcome
    features: Features
    categorical: Columns
    recode: Recode
    unseen_category: OneOf("error", "ignore")
    demo: PrognosisDemo
    split: PrognosisSplit
    pca: Pca
    cv: PrognosisCV
    train: PrognosisTrain
    models: ListOf(OneOf(*PROGNOSIS_MODELS),
                   f"a non-empty list of {', '.join(PROGNOSIS_MODELS)} without repeats", min_length=1, unique=True)
    rf: Optional[RfModel] = None
    gb: Optional[GbModel] = None
    explain: Explain


def _check_prognosis(prognosis: Prognosis) -> None:
    """The column mapping (the only place it is checked; ``cohort.schema_from_config`` relies on it) and the keys
    that name columns."""
    groups = prognosis.features
    listed = [*groups.clinical, *groups.imaging, *groups.genetic]
    if not listed:
        raise UserError("params.yaml: prognosis.features lists no feature columns")
    twice = sorted({c for c in listed if listed.count(c) > 1})
    if twice:
        raise UserError(f"params.yaml: prognosis.features names column(s) {', '.join(twice)} more than once")
    for key, column in (("id_column", prognosis.id_column), ("outcome.column", prognosis.outcome.column)):
        if column in listed:
            raise UserError(f"params.yaml: prognosis.features lists {column!r}, the {key.split('.')[0]} "
                            f"column (prognosis.{key}); it cannot be a feature")
    stray = [c for c in prognosis.categorical if c not in listed]
    if stray:
        raise UserError(f"params.yaml: prognosis.categorical names {names(stray)} not listed in "
                        "prognosis.features")
    # recoding applies to category columns only: a numeric column's entry would be silently ignored
    recodable = {*groups.genetic, *prognosis.categorical, prognosis.outcome.column}
    stray = [c for c in prognosis.recode if c not in recodable]
    if stray:
        raise UserError(f"params.yaml: prognosis.recode names {names(stray)} not a category column "
                        "(prognosis.features.genetic, prognosis.categorical or prognosis.outcome.column)")
    numeric = [c for c in listed if c not in groups.genetic and c not in prognosis.categorical]
    stray = [c for c in prognosis.read.detection_limits if c not in numeric]
    if stray:
        raise UserError(f"params.yaml: prognosis.read.detection_limits names {names(stray)} not a numeric "
                        "feature (listed in prognosis.features, not genetic or categorical)")
    sections_for_models("prognosis", prognosis, prognosis.models)
    for model in prognosis.models:
        grid = getattr(prognosis, model).grid
        if not any(values is not None for values in dict(grid).values()):
            raise UserError(f"params.yaml: prognosis.{model}.grid must list at least one parameter to search, "
                            "got {}")


def load(params: dict | None = None) -> Prognosis:
    """The ``prognosis`` section of ``params`` (of ``params.yaml`` when not given), typed and checked."""
    return load_section("prognosis", Prognosis, params, _check_prognosis)

"""Every parameter of ``params.yaml``, typed and checked in one pass, before a study's first stage does any work.

A stage reads its own parameters when it runs, so a mistake in a late stage's parameter (an unknown name in
``bdb.models``, a mistyped key) used to surface only after minutes of upstream work. The ``check_params`` stage
validates a whole study section (and ``audit``) against the models below in about a second and stops the
pipeline there, with one line naming the dotted key and what was expected::

    params.yaml: bdb.models[1] must be one of lightgbm, adaboost, mlp, got 'xgboost'
    params.yaml: bdb.trian is not a parameter (did you mean bdb.train?)

The models mirror what the stages check today (types, ranges, choices), plus facts that involve several keys
(``prognosis.categorical`` names only listed features, ``bdb.read.detection_limits`` names BDB numeric columns,
...). Every section forbids unknown keys, so a typo is named instead of silently ignored.

This module imports only pydantic, the standard library and ``alskit.cli``, so the check runs in about a second,
without pandas, scipy, scikit-learn or TensorFlow. Choices that live in those heavier modules (model names, CNN
scenarios, the BDB numeric columns) are repeated here; ``tests/test_params.py`` checks that the copies agree.
"""
import difflib
import typing
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat, StrictInt,
                      ValidationError, WrapValidator, create_model)
from pydantic_core import PydanticCustomError

from .cli import UserError

STUDIES = ("bdb", "voice", "prognosis")
SECTIONS = (*STUDIES, "audit")

# Copies of choices defined in modules too heavy to import here (tests/test_params.py keeps them in step).
BDB_MODELS = ("lightgbm", "adaboost", "mlp")                      # alskit.models.MODELS
SCALERS = ("minmax", "standard")                                 # alskit.models.SCALERS
CLASS_WEIGHTS = ("balanced", "none")                             # alskit.models.CLASS_WEIGHTS
SDV_DISTRIBUTIONS = ("norm", "beta", "truncnorm", "gamma", "uniform", "gaussian_kde")  # SDV GaussianCopula
CNN_SCENARIOS = tuple(f"S{n}{p}" for n in range(1, 6) for p in "AB")  # alskit.cnn.parse_scenario: S1A..S5B
# alskit.bdb.NUMERIC
BDB_NUMERIC = ("Età", "GCSF", "IFNgamma", "IL10", "IL15", "IL17A", "IL1beta", "IL2", "IL4", "IL6", "IL8", "MCP1",
               "MIP1alfa", "TNFalfa", "VEGF", "TTVlog", "TTVcopies", "acetic", "Propionic", "Butyric", "isoButyric",
               "isoValeric", "@MethylButyric", "valeric", "Hexanoic", "Heptanoic", "Nonanoic", "@EthylHexanoic",
               "Octanoic", "Decanoic", "Benzoic", "Dodecanoic", "Tetradecanoic", "Hexadecanoic", "Octadecanoic")
ACOUSTIC_MODELS = ("gb", "rf", "logreg")                         # alskit.acoustic.MODELS
PROGNOSIS_MODELS = ("rf", "gb")                                  # alskit.prognosis.MODELS
SELECT_BY = ("accuracy", "precision", "recall", "f1", "auroc")   # prognosis_train.SCORING
# sklearn constructor parameters a grid may search (RandomForestClassifier / GradientBoostingClassifier)
RF_PARAMS = ("bootstrap", "ccp_alpha", "class_weight", "criterion", "max_depth", "max_features", "max_leaf_nodes",
             "max_samples", "min_impurity_decrease", "min_samples_leaf", "min_samples_split",
             "min_weight_fraction_leaf", "monotonic_cst", "n_estimators", "n_jobs", "oob_score", "random_state",
             "verbose", "warm_start")
GB_PARAMS = ("ccp_alpha", "criterion", "init", "learning_rate", "loss", "max_depth", "max_features",
             "max_leaf_nodes", "min_impurity_decrease", "min_samples_leaf", "min_samples_split",
             "min_weight_fraction_leaf", "n_estimators", "n_iter_no_change", "random_state", "subsample", "tol",
             "validation_fraction", "verbose", "warm_start")

# Keys that moved: an old params.yaml names them, so say where they went.
MOVED = {"bdb.clean.missing_tokens": "bdb.read.missing_tokens",
         "prognosis.header_row": "prognosis.read.header_row"}


# --- value types: each carries the phrase that completes "<key> must be ..." ---------------------------------

def _expect(text: str, items: bool = False) -> WrapValidator:
    """Replace pydantic's messages about a value by one phrase saying what was expected.

    With ``items`` (a list or mapping type), wrong *items* keep their own errors, so the message can name the
    position (``bdb.models[1]``); anything wrong with the value itself becomes ``must be <text>``.
    """
    def wrap(value: Any, handler):
        try:
            return handler(value)
        except ValidationError as err:
            if items and isinstance(value, (list, dict)) and all(e["loc"] for e in err.errors()):
                raise
            raise PydanticCustomError("expected", "must be {expected}", {"expected": text}) from None
    return WrapValidator(wrap)


def _no_int(value: Any) -> Any:
    """The stages read these with ``float`` only: ``1`` is refused there, so it is refused here too."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise PydanticCustomError("expected", "written with a decimal point")
    return value


def _unique(values: list) -> list:
    if len(set(map(repr, values))) != len(values):
        raise PydanticCustomError("expected", "no repeats")
    return values


def _ordered(pair: list) -> list:
    if pair[0] > pair[1]:
        raise PydanticCustomError("expected", "lowest first")
    return pair


def Int(expected: str = "an integer", **bounds: Any) -> Any:
    return Annotated[int, Field(strict=True, **bounds), _expect(expected)]


def Number(expected: str = "a number", **bounds: Any) -> Any:
    """An integer or a decimal number (never true/false)."""
    return Annotated[float, Field(strict=True, **bounds), _expect(expected)]


def Decimal(expected: str, **bounds: Any) -> Any:
    """A number the stage reads as ``float``: written with a decimal point (``1.0``, not ``1``)."""
    return Annotated[float, Field(strict=True, **bounds), BeforeValidator(_no_int), _expect(expected)]


def Text(expected: str = "a non-empty string") -> Any:
    return Annotated[str, Field(strict=True, min_length=1), _expect(expected)]


def _shown(choice: str) -> str:
    return choice if choice.isidentifier() else repr(choice)


def OneOf(*choices: str) -> Any:
    return Annotated[Literal[choices], _expect(f"one of {', '.join(map(_shown, choices))}")]


def ListOf(item: Any, expected: str, min_length: int = 0, unique: bool = False) -> Any:
    checks = [AfterValidator(_unique)] if unique else []
    return Annotated[list[item], Field(strict=True, min_length=min_length), *checks, _expect(expected, items=True)]


CELL_TEXT = "a cell's text or number (quote true, false, yes, no and null, which YAML reads otherwise)"
Seed = Int("an integer (a random seed)")
PositiveInt = Int("an integer >= 1", ge=1)
Fraction = Number("a number in (0, 1)", gt=0, lt=1)
Rate = Number("a number in [0, 1)", ge=0, lt=1)
Column = Text("a column name")
Columns = ListOf(Column, "a list of column names, each named once", unique=True)
Bool = Annotated[bool, Field(strict=True), _expect("true or false")]


class Section(BaseModel):
    """A block of ``params.yaml``: every key typed, unknown keys refused, in the file's order."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- shared blocks -------------------------------------------------------------------------------------------

class Read(Section):
    """How a study's table is read (``bdb.read``, ``voice.clinical.read``, ``prognosis.read``)."""

    sheet: Annotated[Union[Annotated[StrictInt, Field(ge=0)], Annotated[str, Field(min_length=1)]],
                     _expect("a sheet position (an integer >= 0) or a sheet name")]
    header_row: Int("an integer >= 0 (the 0-based row holding the column names)", ge=0)
    sep: OneOf("auto", ",", ";", "\t")
    decimal: OneOf("auto", ".", ",")
    missing_tokens: ListOf(Annotated[Union[str, StrictInt, StrictFloat], _expect(CELL_TEXT)],
                           "a list of cell texts (e.g. ['#!NULL', n.d.])")
    unparseable: OneOf("missing", "error")
    censored: OneOf("error", "limit", "half_limit")
    detection_limits: Annotated[dict[Column, Number("a positive number", gt=0)],
                                _expect("a mapping of column: limit", items=True)]


class ReduceLR(Section):
    factor: Number("a number in (0, 1)", gt=0, lt=1)
    patience: Int("an integer >= 0", ge=0)
    min_learning_rate: Number("a number >= 0", ge=0)


class VoiceReduceLR(Section):
    """As :class:`ReduceLR`; ``alskit.voice_cv`` reads the numbers with ``float`` only."""

    factor: Decimal("a number in (0, 1)", gt=0, lt=1)
    patience: Int("an integer >= 0", ge=0)
    min_learning_rate: Decimal("a decimal number >= 0 (e.g. 0.00001; 0.0, not 0)", ge=0)


# --- bdb (seed 001) ------------------------------------------------------------------------------------------

class BdbDemo(Section):
    seed: Seed
    n_als: Int("an integer >= 0", ge=0)
    n_healthy: Int("an integer >= 0", ge=0)
    incomplete_als: Int("an integer >= 0", ge=0)
    incomplete_healthy: Int("an integer >= 0", ge=0)
    effect_scale: Number("a number >= 0", ge=0)


class BdbClean(Section):
    min_rows_per_class: Int("an integer >= 2", ge=2)


class BdbSplit(Section):
    seed: Seed
    train_fraction: Fraction


class BdbSynth(Section):
    seed: Seed
    factors: ListOf(Int("a positive integer", ge=1), "a non-empty list of positive integers without repeats",
                    min_length=1, unique=True)
    default_distribution: OneOf(*SDV_DISTRIBUTIONS)
    enforce_min_max_values: Bool
    enforce_rounding: Bool


class BdbTrain(Section):
    seed: Seed
    cv_folds: Int("an integer >= 2", ge=2)
    scaler: OneOf(*SCALERS)
    threshold: Fraction
    class_weight: OneOf(*CLASS_WEIGHTS)


class BdbSpread(Section):
    repeats: Int("an integer >= 2", ge=2)
    first_seed: Seed
    models: ListOf(OneOf(*BDB_MODELS), f"a non-empty list of {', '.join(BDB_MODELS)} without repeats",
                   min_length=1, unique=True)


class Boosting(Section):
    n_estimators: PositiveInt
    learning_rate: Number("a number > 0", gt=0)


class Mlp(Section):
    hidden_units: ListOf(PositiveInt, "a non-empty list of layer sizes (integers >= 1)", min_length=1)
    dropout: Rate
    learning_rate: Number("a number > 0", gt=0)
    batch_size: PositiveInt
    max_epochs: PositiveInt
    early_stopping_patience: Int("an integer >= 0", ge=0)
    reduce_lr: ReduceLR
    validation_fraction: Fraction


class Bdb(Section):
    raw: Text("a path to the workbook (.xlsx or .csv)")
    read: Read
    demo: BdbDemo
    clean: BdbClean
    split: BdbSplit
    synth: BdbSynth
    train: BdbTrain
    spread: BdbSpread
    models: ListOf(OneOf(*BDB_MODELS), f"a non-empty list of {', '.join(BDB_MODELS)} without repeats",
                   min_length=1, unique=True)
    lightgbm: Optional[Boosting] = None
    adaboost: Optional[Boosting] = None
    mlp: Optional[Mlp] = None


# --- voice (seed 002) ----------------------------------------------------------------------------------------

class VoiceDemo(Section):
    seed: Seed
    n_als: PositiveInt
    n_hc: PositiveInt
    sample_rate: PositiveInt
    snr_db: Number()


class Clinical(Section):
    workbook: Text("a file name inside voice.root")
    read: Read
    id_column: Column
    label_column: Column
    categorical: Columns
    strategy: OneOf("constant", "median", "mean")
    fill_value: Number()


class Audio(Section):
    sample_rate: PositiveInt
    top_db: Number("a number > 0", gt=0)
    min_seconds: Number("a number >= 0", ge=0)


class Mel(Section):
    n_fft: PositiveInt
    hop_length: PositiveInt
    n_mels: PositiveInt
    fmax: Number("a number > 0", gt=0)
    frames: PositiveInt


class Mfcc(Section):
    n_mfcc: PositiveInt
    n_filters: PositiveInt
    pre_emphasis: Rate
    frame_length: Number("a number of seconds > 0", gt=0)
    frame_step: Number("a number of seconds > 0", gt=0)


class VoiceCV(Section):
    folds: Int("an integer >= 2", ge=2)
    seed: Seed
    group_by_subject: Bool


class VoiceTrain(Section):
    batch_size: PositiveInt
    max_epochs: PositiveInt
    learning_rate: Decimal("a decimal number > 0 (e.g. 0.001)", gt=0)
    early_stopping_patience: PositiveInt
    early_stopping_min_delta: Decimal("a decimal number >= 0 (e.g. 0.001; 0.0, not 0)", ge=0)
    reduce_lr: VoiceReduceLR
    validation_fraction: Decimal("a number in (0, 0.5)", gt=0, lt=0.5)
    threads: PositiveInt
    class_weight: OneOf("balanced", "none")


class Grid(Section):
    scenarios: ListOf(OneOf(*CNN_SCENARIOS), "a non-empty list of CNN scenarios (S1A..S5B) without repeats",
                      min_length=1, unique=True)
    dropouts: ListOf(Rate, "a non-empty list of dropout rates in [0, 1) without repeats", min_length=1,
                     unique=True)
    dense_units: PositiveInt


class Multimodal(Section):
    filters: PositiveInt
    dropout: Rate
    image_dense: PositiveInt
    tabular_units: ListOf(PositiveInt, "a non-empty list of layer sizes (integers >= 1)", min_length=1)
    fusion_units: PositiveInt


class AcousticGB(Section):
    n_estimators: PositiveInt
    max_depth: PositiveInt
    learning_rate: Number("a number > 0", gt=0)
    subsample: Number("a number in (0, 1]", gt=0, le=1)


class AcousticRF(Section):
    n_estimators: PositiveInt
    min_samples_leaf: PositiveInt
    max_features: OneOf("sqrt", "log2")


class AcousticLogreg(Section):
    C: Number("a number > 0", gt=0)


class Acoustic(Section):
    sample_rate: Int("an integer >= 8000 (Hz)", ge=8000)
    top_db: Number("a number > 0", gt=0)
    window_seconds: Optional[Number("a number of seconds >= 0.5, or null (the whole recording)", ge=0.5)]
    f0_min: Number("a number of Hz > 0", gt=0)
    f0_max: Number("a number of Hz > 0", gt=0)
    models: ListOf(OneOf(*ACOUSTIC_MODELS), "a non-empty list of acoustic models (gb, rf, logreg) without repeats",
                   min_length=1, unique=True)
    class_weight: OneOf("balanced", "none")
    gb: AcousticGB
    rf: AcousticRF
    logreg: AcousticLogreg


class Voice(Section):
    root: Text("a path to the VOC-ALS folder")
    tasks: ListOf(Text("a task folder name"), "a non-empty list of task folder names without repeats",
                  min_length=1, unique=True)
    on_missing_clinical: OneOf("error", "skip")
    on_bad_audio: OneOf("error", "skip")
    demo: VoiceDemo
    clinical: Clinical
    audio: Audio
    mel: Mel
    mfcc: Mfcc
    cv: VoiceCV
    train: VoiceTrain
    grid: Grid
    multimodal: Multimodal
    acoustic: Acoustic


# --- prognosis (seed 000) ------------------------------------------------------------------------------------

class Outcome(Section):
    column: Column
    positive: Annotated[Union[Annotated[str, Field(min_length=1)], StrictInt],
                        _expect("the outcome value that counts as positive (a string or an integer)")]


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
    "learning_rate": (Annotated[float, Field(strict=True, gt=0)], "a number > 0"),
    "subsample": (Annotated[float, Field(strict=True, gt=0, le=1)], "a number in (0, 1]"),
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


# --- audit (all studies) -------------------------------------------------------------------------------------

class Bootstrap(Section):
    iterations: Int("an integer >= 100", ge=100)
    seed: Seed
    level: Decimal("a number in [0.5, 1)", ge=0.5, lt=1)


class Privacy(Section):
    seed: Seed


class Audit(Section):
    bootstrap: Bootstrap
    privacy: Privacy
    seed: Seed
    folds: Int("an integer >= 2", ge=2)
    missing_by_design_share: Decimal("a decimal number in (0.5, 1] (1.0, not 1)", gt=0.5, le=1)


SECTION_MODELS: dict[str, type[Section]] = {"bdb": Bdb, "voice": Voice, "prognosis": Prognosis, "audit": Audit}


# --- checking ------------------------------------------------------------------------------------------------

def check_study(params: dict, study: str) -> Section:
    """Validate ``params[study]`` (``bdb``, ``voice``, ``prognosis`` or ``audit``) and return it as a model.

    Raises :class:`UserError` with one line: the first problem, naming its dotted key and what was expected,
    and how many more there are. Facts involving several keys are checked once every key is well formed.
    """
    if study not in SECTION_MODELS:
        raise UserError(f"unknown params.yaml section '{study}'; expected one of {', '.join(SECTION_MODELS)}")
    if not isinstance(params, dict) or study not in params:
        near = difflib.get_close_matches(study, [str(k) for k in params] if isinstance(params, dict) else [], 1)
        hint = f" (is '{near[0]}' a misspelling of it?)" if near else ""
        raise UserError(f"params.yaml: missing section {study}{hint}")
    try:
        checked = SECTION_MODELS[study].model_validate(params[study])
    except ValidationError as err:
        errors = err.errors(include_url=False)
        more = len(errors) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''} in {study})" if more else ""
        raise UserError(f"params.yaml: {_describe(study, errors[0])}{suffix}") from None
    _CROSS_CHECKS.get(study, lambda _: None)(checked)
    return checked


def _describe(study: str, error: dict) -> str:
    """One error of pydantic's as '<dotted.key> must be ..., got ...'."""
    loc, kind = error["loc"], error["type"]
    if loc and loc[-1] == "[key]":
        expected = error["ctx"]["expected"] if kind == "expected" else "a string"
        return f"{_dotted(study, loc[:-2])} has the key {error['input']!r}; a key there must be {expected}"
    dotted = _dotted(study, loc)
    got = f", got {_short(error['input'])}"
    if kind == "expected":
        return f"{dotted} must be {error['ctx']['expected']}{got}"
    if kind == "extra_forbidden":
        return f"{dotted} is not a parameter{_suggestion(study, loc)}"
    if kind == "missing":
        return f"missing parameter {dotted}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{dotted} must be a mapping (indented key: value lines){got}"
    if kind in ("list_type", "tuple_type"):
        return f"{dotted} must be a list{got}"
    return f"{dotted}: {error['msg'][:1].lower()}{error['msg'][1:]}{got}"


def _dotted(study: str, loc: tuple) -> str:
    text = study
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _suggestion(study: str, loc: tuple) -> str:
    """' (did you mean bdb.train?)' for an unknown key: a moved key, a near sibling, or the key elsewhere."""
    dotted = _dotted(study, loc)
    if dotted in MOVED:
        return f" any more: it moved to {MOVED[dotted]}"
    parent = _model_at(SECTION_MODELS[study], loc[:-1])
    key = str(loc[-1])
    if parent is not None:
        near = difflib.get_close_matches(key, list(parent.model_fields), n=1, cutoff=0.6)
        if near:
            return f" (did you mean {_dotted(study, (*loc[:-1], near[0]))}?)"
    paths = _paths(SECTION_MODELS[study], ())
    elsewhere = [p for p in paths if p[-1] == key]
    if not elsewhere:
        names = difflib.get_close_matches(key, sorted({p[-1] for p in paths}), n=1, cutoff=0.75)
        elsewhere = [p for p in paths if names and p[-1] == names[0]]
    if elsewhere:
        shared = lambda path: next((i for i, (a, b) in enumerate(zip(path, loc)) if a != b), len(loc))  # noqa: E731
        return f" (did you mean {_dotted(study, max(elsewhere, key=shared))}?)"
    return ""


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The section model inside an annotation (through Optional / Annotated), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel] | None, loc: tuple) -> type[BaseModel] | None:
    for part in loc:
        if model is None or part not in model.model_fields:
            return None
        model = _nested_model(model.model_fields[part].annotation)
    return model


def _paths(model: type[BaseModel], prefix: tuple) -> list[tuple]:
    found = []
    for name, field in model.model_fields.items():
        found.append((*prefix, name))
        inner = _nested_model(field.annotation)
        if inner is not None:
            found.extend(_paths(inner, (*prefix, name)))
    return found


# --- facts that involve several keys -------------------------------------------------------------------------

def _names(columns: list) -> str:
    """'a', 'b' which are / 'a', which is: for messages naming one or several columns."""
    listed = ", ".join(map(repr, columns))
    return f"{listed}, which {'is' if len(columns) == 1 else 'are'}"


def _check_bdb(bdb: Bdb) -> None:
    for key in ("als", "healthy"):
        if getattr(bdb.demo, f"incomplete_{key}") > getattr(bdb.demo, f"n_{key}"):
            raise UserError(f"params.yaml: bdb.demo.incomplete_{key} must be at most bdb.demo.n_{key} "
                            f"({getattr(bdb.demo, f'n_{key}')}), got {getattr(bdb.demo, f'incomplete_{key}')}")
    _sections_for_models("bdb", bdb, bdb.models)
    _sections_for_models("bdb", bdb, bdb.spread.models, "spread.models")
    unknown = [c for c in bdb.read.detection_limits if c not in BDB_NUMERIC]
    if unknown:
        raise UserError(f"params.yaml: bdb.read.detection_limits names {_names(unknown)} not among the numeric "
                        f"BDB columns ({', '.join(BDB_NUMERIC[:4])}, ... DATA_CONTRACTS.md section 1)")


def _check_voice(voice: Voice) -> None:
    if voice.acoustic.f0_min >= voice.acoustic.f0_max:
        raise UserError(f"params.yaml: voice.acoustic.f0_min must be below voice.acoustic.f0_max "
                        f"({voice.acoustic.f0_max}), got {voice.acoustic.f0_min}")
    if voice.mfcc.n_mfcc > voice.mfcc.n_filters:
        raise UserError(f"params.yaml: voice.mfcc.n_mfcc must be at most voice.mfcc.n_filters "
                        f"({voice.mfcc.n_filters}), got {voice.mfcc.n_mfcc}")
    clinical = voice.clinical
    if clinical.label_column == clinical.id_column:
        raise UserError(f"params.yaml: voice.clinical.label_column must differ from voice.clinical.id_column, "
                        f"got {clinical.label_column!r} for both")
    listed = [c for c in clinical.categorical if c in (clinical.id_column, clinical.label_column)]
    if listed:
        raise UserError(f"params.yaml: voice.clinical.categorical must list clinical feature columns, got "
                        f"{listed[0]!r} (the ID or label column)")


def _check_prognosis(prognosis: Prognosis) -> None:
    """The column mapping as ``alskit.prognosis.schema_from_params`` checks it, and the keys that name columns."""
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
        raise UserError(f"params.yaml: prognosis.categorical names {_names(stray)} not listed in "
                        "prognosis.features")
    # recoding applies to category columns only: a numeric column's entry would be silently ignored
    recodable = {*groups.genetic, *prognosis.categorical, prognosis.outcome.column}
    stray = [c for c in prognosis.recode if c not in recodable]
    if stray:
        raise UserError(f"params.yaml: prognosis.recode names {_names(stray)} not a category column "
                        "(prognosis.features.genetic, prognosis.categorical or prognosis.outcome.column)")
    numeric = [c for c in listed if c not in groups.genetic and c not in prognosis.categorical]
    stray = [c for c in prognosis.read.detection_limits if c not in numeric]
    if stray:
        raise UserError(f"params.yaml: prognosis.read.detection_limits names {_names(stray)} not a numeric "
                        "feature (listed in prognosis.features, not genetic or categorical)")
    _sections_for_models("prognosis", prognosis, prognosis.models)
    for model in prognosis.models:
        grid = getattr(prognosis, model).grid
        if not any(values is not None for values in dict(grid).values()):
            raise UserError(f"params.yaml: prognosis.{model}.grid must list at least one parameter to search, "
                            "got {}")


def _sections_for_models(study: str, section: Section, models: list[str], key: str = "models") -> None:
    """Every model listed under ``<study>.<key>`` has its ``<study>.<model>`` settings section."""
    missing = [m for m in models if getattr(section, m) is None]
    if missing:
        raise UserError(f"params.yaml: {study}.{key} lists {missing[0]}, but there is no {study}.{missing[0]} "
                        "section with its settings")


_CROSS_CHECKS = {"bdb": _check_bdb, "voice": _check_voice, "prognosis": _check_prognosis}

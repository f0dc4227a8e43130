"""Study 1's parameters (``bdb`` in ``params.yaml``), typed and checked once: ``cfg = load()`` in every stage.

Light on purpose (pydantic and ``alskit.common`` only): the ``check_params`` stage runs it in about a second.
"""
from typing import Optional

from alskit.common.errors import UserError
from alskit.common.config import (Bool, Fraction, Int, ListOf, Number, OneOf, PositiveInt, Rate, Read,
                                  ReduceLR, Section, Seed, Subgroups, Text, load_section, names, sections_for_models)

# The study's registry: model IDs (what params.yaml names) and their names in charts and the report.
MODEL_NAMES = {"lightgbm": "LightGBM", "adaboost": "AdaBoost", "mlp": "Keras network"}
BDB_MODELS = tuple(MODEL_NAMES)
HEADLINE = ("x20", "adaboost")   # (training set, model): the paper's best result, the report's and subgroups' headline
STUDY, SCORED_ON = "BDB", "real held-out half"   # the study and where it scores: in chart titles and the report
# The chart kinds (alskit.common.plots.CHARTS) drawn besides the four curve kinds, and on what: in chart titles.
OTHER_CHARTS = {**dict.fromkeys(("loss", "accuracy"), "the network's final fit"),
                "spread": "the real held-out half, per training set"}
# Copies of choices defined in modules too heavy to import here (tests/test_params.py keeps them in step).
SCALERS = ("minmax", "standard")                                 # alskit.bdb.models.SCALERS
CLASS_WEIGHTS = ("balanced", "none")                             # alskit.bdb.models.CLASS_WEIGHTS
SDV_DISTRIBUTIONS = ("norm", "beta", "truncnorm", "gamma", "uniform", "gaussian_kde")  # SDV GaussianCopula
# alskit.bdb.cohort.NUMERIC
BDB_NUMERIC = ("Età", "GCSF", "IFNgamma", "IL10", "IL15", "IL17A", "IL1beta", "IL2", "IL4", "IL6", "IL8", "MCP1",
               "MIP1alfa", "TNFalfa", "VEGF", "TTVlog", "TTVcopies", "acetic", "Propionic", "Butyric", "isoButyric",
               "isoValeric", "@MethylButyric", "valeric", "Hexanoic", "Heptanoic", "Nonanoic", "@EthylHexanoic",
               "Octanoic", "Decanoic", "Benzoic", "Dodecanoic", "Tetradecanoic", "Hexadecanoic", "Octadecanoic")


def run_name(model: str, training_set: str) -> str:
    """The folder of one model's run on one training set under ``data/bdb/models`` (``adaboost_x20``), as dvc.yaml's
    ``bdb_train`` and ``bdb_baseline`` matrices name their outputs."""
    return f"{model}_{training_set}"


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
    subgroups: Subgroups
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


def _check_bdb(bdb: Bdb) -> None:
    for key in ("als", "healthy"):
        if getattr(bdb.demo, f"incomplete_{key}") > getattr(bdb.demo, f"n_{key}"):
            raise UserError(f"params.yaml: bdb.demo.incomplete_{key} must be at most bdb.demo.n_{key} "
                            f"({getattr(bdb.demo, f'n_{key}')}), got {getattr(bdb.demo, f'incomplete_{key}')}")
    sections_for_models("bdb", bdb, bdb.models)
    sections_for_models("bdb", bdb, bdb.spread.models, "spread.models")
    unknown = [c for c in bdb.read.detection_limits if c not in BDB_NUMERIC]
    if unknown:
        raise UserError(f"params.yaml: bdb.read.detection_limits names {names(unknown)} not among the numeric "
                        f"BDB columns ({', '.join(BDB_NUMERIC[:4])}, ... docs/data.md, study 1)")


def load(params: dict | None = None) -> Bdb:
    """The ``bdb`` section of ``params`` (of ``params.yaml`` when not given), typed and checked."""
    return load_section("bdb", Bdb, params, _check_bdb)

"""Study 2's parameters (``voice`` in ``params.yaml``), typed and checked once: ``cfg = load()`` in every stage.

Light on purpose (pydantic and ``alskit.common`` only): the ``check_params`` stage runs it in about a second.
"""
from typing import Optional

from alskit.common.errors import UserError
from alskit.common.config import (Bool, Column, Columns, Decimal, Int, ListOf, Number, OneOf, PositiveInt, Rate,
                                  Read, ReduceLR, Section, Seed, Subgroups, Text, load_section)

# Copies of choices defined in modules too heavy to import here (tests/test_params.py keeps them in step).
CNN_SCENARIOS = tuple(f"S{n}{p}" for n in range(1, 6) for p in "AB")  # alskit.voice.cnn.parse_scenario: S1A..S5B
FEATURE_SETS = ("egemaps", "praat", "both")                      # alskit.voice.nested.feature_columns

# The two classes as the clinical workbook spells them, and their codes (1: the positive class, first in charts).
CLASSES = {"ALS": 1, "HC": 0}
CLASS_NAMES = {code: name for name, code in CLASSES.items()}
RUN_NAMES = {"audio": "CNN, audio only (best grid configuration)", "audio_clinical": "Multimodal, audio + clinical",
             "audio_clinical_common": "Multimodal, without columns missing by design"}   # in charts and the report
ACOUSTIC_NAMES = {"gb": "Gradient boosting, acoustic measures", "rf": "Random forest, acoustic measures",
                  "logreg": "Logistic regression, acoustic measures"}                   # in charts and the report
ACOUSTIC_MODELS = tuple(ACOUSTIC_NAMES)        # the acoustic model IDs params.yaml may name
NESTED_NAME = "Nested CV, acoustic candidates"             # the voice headline, in charts and the report
SEVERITY_NAME = "Speech item from voice, nested CV"          # the severity task, in charts and the report
STUDY, SCORED_ON = "Voice", "subjects out of fold"   # the study and where it scores: in chart titles and the report
# The chart kinds (alskit.common.plots.CHARTS) drawn besides the four curve kinds, and on what: in chart titles.
OTHER_CHARTS = {"severity": "nested CV, per subject",
                **dict.fromkeys(("loss", "accuracy"), "the networks, every CV fold"),
                "importance": "acoustic measures, one chart per model"}


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
    reduce_lr: ReduceLR
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
    max_features: Optional[OneOf("sqrt", "log2")]


class AcousticRF(Section):
    n_estimators: PositiveInt
    min_samples_leaf: PositiveInt
    max_features: OneOf("sqrt", "log2")


class AcousticLogreg(Section):
    C: Number("a number > 0", gt=0)


class Acoustic(Section):
    min_sample_rate: Int("an integer >= 10000 (Hz; Praat's CPPS reads up to 5 kHz)", ge=10000)
    top_db: Number("a number > 0", gt=0)
    window_seconds: ListOf(Optional[Number("a number of seconds >= 0.5, or null (the whole recording)", ge=0.5)],
                           "a non-empty list of window lengths in seconds (null: the whole recording) without "
                           "repeats", min_length=1, unique=True)
    f0_min: Number("a number of Hz > 0", gt=0)
    f0_max: Number("a number of Hz > 0", gt=0)
    models: ListOf(OneOf(*ACOUSTIC_MODELS), "a non-empty list of acoustic models (gb, rf, logreg) without repeats",
                   min_length=1, unique=True)
    class_weight: OneOf("balanced", "none")
    gb: AcousticGB
    rf: AcousticRF
    logreg: AcousticLogreg


class Nested(Section):
    repeats: Int("an integer >= 1 (outer CV fold seeds)", ge=1)
    inner_folds: Int("an integer >= 2", ge=2)
    feature_sets: ListOf(OneOf(*FEATURE_SETS), "a non-empty list of feature sets (egemaps, praat, both) without "
                         "repeats", min_length=1, unique=True)


class Severity(Section):
    target: Column
    repeats: Int("an integer >= 1 (outer CV fold seeds)", ge=1)
    models: ListOf(OneOf(*ACOUSTIC_MODELS), "a non-empty list of acoustic models (gb, rf, logreg) without repeats",
                   min_length=1, unique=True)


class Figures(Section):
    min_recordings: PositiveInt


class Voice(Section):
    root: Text("a path to the VOC-ALS folder")
    tasks: ListOf(Text("a task folder name"), "a non-empty list of task folder names without repeats",
                  min_length=1, unique=True)
    on_missing_clinical: OneOf("error", "skip")
    on_bad_audio: OneOf("error", "skip")
    demo: VoiceDemo
    clinical: Clinical
    subgroups: Subgroups
    audio: Audio
    mel: Mel
    mfcc: Mfcc
    figures: Figures
    cv: VoiceCV
    train: VoiceTrain
    grid: Grid
    multimodal: Multimodal
    acoustic: Acoustic
    nested: Nested
    severity: Severity


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


def load(params: dict | None = None) -> Voice:
    """The ``voice`` section of ``params`` (of ``params.yaml`` when not given), typed and checked."""
    return load_section("voice", Voice, params, _check_voice)

"""Study 2's metrics files as typed records (:mod:`alskit.common.records`): what the voice stages write and the
report reads. Runs, scenarios, dropout rates, tasks, candidates and fold seeds are keys set by params."""
from __future__ import annotations

from typing_extensions import NotRequired, TypedDict

from alskit.common.metrics import PART_METRICS, WEIGHTED_METRICS
from alskit.common.records import Ledger, MeanSd, Score, Trust, closed, with_intervals


@closed
class Fold(TypedDict):
    """One CV fold's health (:func:`alskit.voice.evaluate.fold_health`); the epoch fields for networks only."""
    fold: int
    predicted_als_share: float
    one_class: bool
    epochs: NotRequired[int]
    best_epoch: NotRequired[int | None]
    never_improved: NotRequired[bool]
    collapsed: bool


@closed
class Folds(TypedDict):
    collapsed: int
    of: int
    folds: list[Fold]


Task = with_intervals("Task", PART_METRICS, {"n": int, "informative": bool})
"""One recording task's recordings scored on their own."""

WEIGHTED = {f"{metric}{suffix}": kind for metric in WEIGHTED_METRICS
            for suffix, kind in (("", MeanSd), ("_ci_low", Score), ("_ci_high", Score))}
"""Seed 002's weighted metrics: mean and sd over folds, and an interval over subjects."""

Run = closed(TypedDict("Run", {**WEIGHTED, "per_recording": Trust, "per_subject": Trust, "folds": Folds,
                               "per_task": dict[str, Task]}))
"""One model's out-of-fold scores (:func:`alskit.voice.evaluate.summarise`): seed 002's fold means of the
weighted metrics with intervals, then per recording, per subject, per fold and per task."""


class Networks(TypedDict, extra_items=Run):
    """``metrics/voice.json``: per multimodal run, and the runs not run with the reason."""
    runs_not_run: dict[str, str]


Grid = dict[str, dict[str, Run]]
"""``metrics/voice_grid.json``: per CNN scenario and dropout rate."""


SPREAD_STATISTICS = ("mean", "sd", "min", "max")
_SPREAD = {f"{metric}_{statistic}": float for metric in PART_METRICS for statistic in SPREAD_STATISTICS}
OverSeeds = closed(TypedDict("OverSeeds", {"repeats": int, **_SPREAD}))
"""The nested estimate's spread over fold seeds (:func:`alskit.voice.nested.spread_of`)."""


@closed
class Candidate(TypedDict):
    auroc_mean: Score
    auroc_sd: Score
    chosen: int


@closed
class BestOfCandidates(TypedDict):
    candidate: str
    auroc_mean: Score
    of: int


@closed
class NestedSettings(TypedDict):
    outer_folds: int
    inner_folds: int
    candidates: int


@closed
class Nested(TypedDict):
    """``metrics/voice_nested.json``: the voice headline (:func:`alskit.voice.nested.diagnosis_summary`)."""
    per_subject: Trust
    over_seeds: OverSeeds
    per_seed: dict[str, dict[str, Score]]
    candidates: dict[str, Candidate]
    best_of_candidates: BestOfCandidates
    settings: NestedSettings


Severity = with_intervals("Severity", ("macro_f1", "balanced_accuracy", "patients_macro_f1", "mae", "kappa"), {
    "majority_macro_f1": Score, "majority_balanced_accuracy": Score, "majority_level_patients_macro_f1": Score,
    "median_item": float, "median_item_mae": float, "subjects": int, "patients": int, "classes": dict[str, int],
    "merged": dict[str, int], "patients_without_item": int, "clinical_columns_read": int,
    "candidates": dict[str, int]})
"""The bulbar severity task's scores (:func:`alskit.voice.severity.summary`) and the candidates chosen."""


@closed
class Skipped(TypedDict):
    """A task the data cannot support, with the reason."""
    skipped: str


SeverityFile = Severity | Skipped
"""``metrics/voice_severity.json``."""


@closed
class Clinical(Ledger):
    """``metrics/voice_clinical.json``: the clinical workbook as read (:func:`alskit.voice.workbook.read`)."""
    rows_in: int
    subjects: int
    class_counts: dict[str, int]
    numeric_columns: int
    categorical_columns: int
    empty_columns_dropped: int
    blank_for_every_control: int


@closed
class Audio(TypedDict):
    """``metrics/voice_audio.json``: every recording found, read, skipped or repaired, per task and class
    (:func:`alskit.voice.wav.audio_counts`)."""
    files_found: dict[str, int]
    system_files_ignored: int
    other_files_ignored: int
    subjects_without_clinical_row: int
    recordings_without_clinical_row: int
    clinical_subjects_without_recordings: int
    recordings_in: int
    recordings_out: int
    skipped: dict[str, int]
    channels_replaced: dict[str, int]
    truncated_read: int
    not_wav_read: int
    recordings_clipped: int
    subjects_in: int
    subjects_out: int
    subjects_with_all_tasks: int
    subjects_out_with_all_tasks: int
    subjects_missing_tasks: dict[str, int]
    by_class: dict[str, dict[str, int]]


@closed
class Measures(TypedDict):
    """The acoustic measures of one window setting (:func:`alskit.voice.acoustic.measures_report`): recordings,
    measures, undefined values per measure, syllable-task recordings and the source sample rates per class."""
    recordings: int
    measures: int
    egemaps_measures: int
    undefined: dict[str, int]
    egemaps_undefined_cells: int
    syllable_task_recordings: int
    source_rates: dict[str, dict[str, int]]


AcousticFeatures = dict[str, Measures]
"""``metrics/voice_acoustic_features.json``: per window setting."""

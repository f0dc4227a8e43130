"""Standard acoustic measures of each recording, and the classic models that use them (beside seed 002's CNNs).

At the size of a clinical voice cohort the field's evidence favours standard measures over spectrogram networks
(SAND challenge, ICASSP 2026: gradient boosting on glottal and formant features, macro-F1 0.86, against 0.64-0.70
for spectrogram CNNs and ViTs). Per recording:

- openSMILE's eGeMAPSv02 functionals (88 measures of pitch, loudness, spectral balance, formants, jitter, shimmer,
  HNR; the ``opensmile`` package), columns ``egemaps_<name>``;
- Praat measures through ``praat-parselmouth`` (:data:`PRAAT`): jitter local/rap/ppq5, shimmer local/apq3/apq11,
  harmonics-to-noise ratio, smoothed cepstral peak prominence, F0 mean and variability;
- for the syllable tasks (``rhythm*``), the diadochokinetic rate and its regularity (:func:`ddk_measures`);
  blank for sustained vowels.

Measures are taken on the original recording (checked and mixed to mono as for the CNNs), with only its leading
and trailing silence trimmed: the CNN's clean-up joins the voiced stretches, which would put splices into the
jitter and shimmer periods and delete the pauses that define the syllable rate. A recording is measured at its own
sample rate when that is at least ``voice.acoustic.min_sample_rate`` (16 kHz by default); a slower one is
resampled up to it, because eGeMAPS's spectral measures and Praat's CPPS read bands up to 5 kHz. Upsampling adds
nothing above the recording's own Nyquist frequency: an 8-kHz recording's measures of the 4-5 kHz band read an
empty band (docs/voice.md, "Sample rates", measures what that costs). Each recording keeps its own rate in the
``source_rate`` column, which the models never read; a cohort of mixed rates is counted per class
(:func:`rates_report`), because a rate that differs between the classes lets a model read the recorder.

Each recording is measured on every window of ``voice.acoustic.window_seconds`` (one row per window, column
``window``): which window serves best is chosen inside the nested CV (:mod:`alskit.voice.nested`).
"""
from __future__ import annotations

import functools
import logging
import math

import numpy as np
import pandas as pd

from alskit.common import compute, folds as cv_folds
from alskit.common.document import value
from alskit.common.models import Catalogue
from alskit.voice import cv, evaluate, wav
from alskit.voice.config import ACOUSTIC_NAMES, Voice
from alskit.common.uncertainty import interval

log = logging.getLogger("alskit")

PRAAT = ("jitter_local", "jitter_rap", "jitter_ppq5", "shimmer_local", "shimmer_apq3", "shimmer_apq11", "hnr_db",
         "cpps_db", "f0_mean_hz", "f0_sd_semitones")
DDK = ("ddk_rate_hz", "ddk_interval_cv")
MIN_SYLLABLES = 3  # fewer onsets than this give no rate


def load(path: str, min_rate: int, top_db: float) -> tuple[np.ndarray, int, int]:
    """The recording at ``path`` as :mod:`alskit.voice.wav` reads it (unusable audio raises
    :class:`voice.Unusable`), mono, leading and trailing silence (``top_db`` below the peak) trimmed; with the
    rate it is measured at (its own, or ``min_rate`` when its own is lower) and its own rate."""
    import librosa

    samples, rate_in, bits = wav.read_wav(path)
    kept, _ = wav.check_samples(samples, bits, path)
    mono, rate = kept.mean(axis=1), max(rate_in, min_rate)
    if rate != rate_in:
        mono = librosa.resample(mono, orig_sr=rate_in, target_sr=rate, res_type="soxr_hq")
    trimmed, _ = librosa.effects.trim(mono, top_db=top_db)
    return trimmed, rate, rate_in


def _bind_opensmile_to_its_own_fft() -> None:
    """Load openSMILE's C library so that it calls its own functions, before ``opensmile`` loads it by name.

    libSMILEapi and TensorFlow's libtensorflow_framework both export Ooura's FFT routines (``rdft``, ``cdft``,
    ``bitrv2``, ...) under the same names, openSMILE's for single and TensorFlow's for double precision. In a
    process that has imported TensorFlow (a notebook, a test session), openSMILE's calls bind to TensorFlow's copy,
    which writes doubles into openSMILE's float buffers: the heap is corrupted (measured: ``malloc(): invalid
    size``, then an abort) or, worse, the measures come out wrong. ``RTLD_DEEPBIND`` makes the library resolve its
    own symbols first whatever was loaded before or after it; a later ``ctypes`` load by ``opensmile`` returns
    this same handle. Linux only (macOS's two-level namespaces already keep the libraries apart).
    """
    import ctypes
    import glob
    import importlib.util
    import os

    if not hasattr(os, "RTLD_DEEPBIND"):
        return
    package = importlib.util.find_spec("opensmile").submodule_search_locations[0]
    for library in glob.glob(os.path.join(package, "core", "bin", "*", "libSMILEapi.so")):
        ctypes.CDLL(library, mode=os.RTLD_LOCAL | os.RTLD_DEEPBIND)


@functools.lru_cache(maxsize=1)
def _smile():
    """One openSMILE extractor per process (building it parses the feature-set configuration), its library bound
    to its own FFT (:func:`_bind_opensmile_to_its_own_fft`)."""
    _bind_opensmile_to_its_own_fft()
    import opensmile

    return opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                           feature_level=opensmile.FeatureLevel.Functionals)


def egemaps(signal: np.ndarray, rate: int) -> dict[str, float]:
    """openSMILE's eGeMAPSv02 functionals of one signal, keyed ``egemaps_<feature>``. The extractor is called
    directly (its raw values, the same numbers ``process_signal`` puts in a table, without building the table)."""
    smile = _smile()
    values = smile(signal.astype(np.float32), rate).ravel()
    return {f"egemaps_{name}": float(value) for name, value in zip(smile.feature_names, values, strict=True)}


def praat_measures(signal: np.ndarray, rate: int, f0_min: float, f0_max: float) -> dict[str, float]:
    """:data:`PRAAT` through Praat's own algorithms (``nan`` where Praat finds them undefined, e.g. no voiced
    frames). Jitter and shimmer use Praat's standard settings (periods 0.1-20 ms, period factor 1.3, amplitude
    factor 1.6), as voice clinics report them.

    CPPS is Praat's ``Get CPPS`` as Hillenbrand defined it (smoothed over 20 ms and 0.5 ms of quefrency, the
    peak's height above a straight least-squares regression line) on a cepstrogram every 20 ms instead of Praat's
    2 ms, and HNR is sampled every 20 ms instead of 10. Measured on 2-s windows here: Praat's finer steps and
    robust line fit cost 3x as much (its "robust slow" fit, which some scripts use, 28 s per recording), more
    than the stage's time allows (docs/speed.md, "The acoustic measures"); HNR moved by under 0.2 dB on the demo
    voices. The pitch is tracked once, for the F0 statistics and for the glottal pulses of jitter and shimmer
    (Praat's "To PointProcess (periodic, cc)" tracks the same pitch again inside; the pulses come out identical).
    """
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(signal.astype(np.float64), sampling_frequency=rate)
    pitch = sound.to_pitch(pitch_floor=f0_min, pitch_ceiling=f0_max)
    points = call([sound, pitch], "To PointProcess (cc)")  # "To PointProcess (periodic, cc)" on the same pitch
    jitter = {k: call(points, f"Get jitter ({k})", 0, 0, 0.0001, 0.02, 1.3) for k in ("local", "rap", "ppq5")}
    shimmer = {k: call([sound, points], f"Get shimmer ({k})", 0, 0, 0.0001, 0.02, 1.3, 1.6)
               for k in ("local", "apq3", "apq11")}
    harmonicity = call(sound, "To Harmonicity (cc)", 0.02, f0_min, 0.1, 1.0)
    cepstrogram = call(sound, "To PowerCepstrogram", 60, 0.02, 5000, 50)
    cpps = call(cepstrogram, "Get CPPS", "no", 0.02, 0.0005, f0_min, f0_max, 0.05, "parabolic", 0.001, 0.0,
                "Straight", "Least squares")
    return {**{f"jitter_{k}": _number(v) for k, v in jitter.items()},
            **{f"shimmer_{k}": _number(v) for k, v in shimmer.items()},
            "hnr_db": _number(call(harmonicity, "Get mean", 0, 0)), "cpps_db": _number(cpps),
            "f0_mean_hz": _number(call(pitch, "Get mean", 0, 0, "Hertz")),
            "f0_sd_semitones": _number(call(pitch, "Get standard deviation", 0, 0, "semitones"))}


def ddk_measures(signal: np.ndarray, rate: int, max_rate: float = 12.0) -> dict[str, float]:
    """Diadochokinetic rate (syllables per second) and regularity (coefficient of variation of the intervals
    between syllable onsets; 0 = perfectly even) of a /pa/-/ta/-/ka/ repetition.

    Syllables are the peaks of the 10-ms intensity contour (dB, smoothed over 30 ms) that rise at least 6 dB
    above the dips on either side and lie at least ``1 / max_rate`` s apart. The rate counts intervals between
    the first and the last peak, so the recording's length does not dilute it. Fewer than
    :data:`MIN_SYLLABLES` peaks give ``nan`` for both.
    """
    from scipy.signal import find_peaks

    hop = int(round(0.01 * rate))
    frames = len(signal) // hop
    if frames < 3:
        return dict.fromkeys(DDK, math.nan)
    power = np.mean(signal[:frames * hop].reshape(frames, hop) ** 2, axis=1)
    level = 10 * np.log10(np.convolve(power, np.ones(3) / 3, mode="same") + 1e-12)
    peaks, _ = find_peaks(level, prominence=6.0, distance=max(1, int(round(1 / max_rate / 0.01))))
    if len(peaks) < MIN_SYLLABLES:
        return dict.fromkeys(DDK, math.nan)
    intervals = np.diff(peaks) * 0.01
    return {"ddk_rate_hz": float(len(intervals) / intervals.sum()),
            "ddk_interval_cv": float(intervals.std() / intervals.mean())}


def central(signal: np.ndarray, rate: int, seconds: float | None) -> np.ndarray:
    """The central ``seconds`` of ``signal`` (all of it when shorter, or when ``seconds`` is None)."""
    n = len(signal) if seconds is None else int(round(seconds * rate))
    start = max(0, (len(signal) - n) // 2)
    return signal[start:start + n]


def is_syllable_task(task: str) -> bool:
    """The syllable repetitions (``rhythmKA``, ``rhythmPA``, ``rhythmTA``), which have a diadochokinetic rate."""
    return task.lower().startswith("rhythm")


def undefined_counts(measures: pd.DataFrame, tasks: pd.Series) -> dict[str, int]:
    """Per Praat and DDK measure, the recordings it is undefined for (DDK counted over syllable tasks only, where
    it is defined by design)."""
    syllables = tasks.map(is_syllable_task).to_numpy()
    return {name: int(measures[name][syllables if name in DDK else slice(None)].isna().sum())
            for name in (*PRAAT, *DDK)}


def window_name(seconds: float | None) -> str:
    """How a window of ``voice.acoustic.window_seconds`` is named in tables and candidate names."""
    return "whole" if seconds is None else f"{seconds:g}s"


def features(path: str, task: str, min_sample_rate: int, top_db: float, f0_min: float, f0_max: float,
             window_seconds: list[float | None]) -> list[dict[str, float]]:
    """Every measure of one recording, one row per window of ``window_seconds``: the voice measures on its central
    stretch of that length (the stable part of a sustained vowel, without onset and offset, as clinics measure it;
    None = all of it), the syllable rate (only for ``rhythm*`` tasks, ``nan`` otherwise) on the whole repetition;
    with the window's name and the recording's own rate (``source_rate``)."""
    signal, rate, source_rate = load(path, min_sample_rate, top_db)
    syllables = ddk_measures(signal, rate) if is_syllable_task(task) else dict.fromkeys(DDK, math.nan)
    rows = []
    for seconds in window_seconds:
        window = central(signal, rate, seconds)
        rows.append({"window": window_name(seconds), "source_rate": source_rate,
                     **praat_measures(window, rate, f0_min, f0_max), **syllables, **egemaps(window, rate)})
    return rows


def _number(value) -> float:
    value = float(value)
    return value if math.isfinite(value) else math.nan


# --- models -------------------------------------------------------------------------------------------------

NOT_MEASURES = ("subject", "task", "label", "window", "source_rate")  # columns of the table no model reads


def _gradient_boosting(settings: dict, seed: int):
    from sklearn.ensemble import GradientBoostingClassifier
    return GradientBoostingClassifier(random_state=seed, **settings)


def _random_forest(settings: dict, seed: int):
    from sklearn.ensemble import RandomForestClassifier
    return RandomForestClassifier(random_state=seed, n_jobs=1, **settings)


def _logistic_regression(settings: dict, seed: int):
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(max_iter=5000, **settings)


MODELS = Catalogue("voice acoustic", ACOUSTIC_NAMES, {"gb": _gradient_boosting, "rf": _random_forest,
                                                      "logreg": _logistic_regression})
"""The acoustic models: sklearn's gradient boosting, random forest and L2-regularised logistic regression, with
their ``params.yaml`` settings."""


def make_model(name: str, settings: dict, seed: int):
    """An unfitted pipeline: median imputation and standard scaling (fitted inside each CV fold), then the
    model ``name`` of :data:`MODELS`."""
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler(),
                         MODELS.build(name, settings, seed))


def design_matrix(table: pd.DataFrame, tasks: list[str]) -> pd.DataFrame:
    """The models' inputs: every measure, plus one indicator column per task (``task_<name>``), so that one
    model over all recordings can read a measure in the light of the task it came from."""
    measures = table.drop(columns=[c for c in NOT_MEASURES if c in table.columns])
    indicators = pd.DataFrame({f"task_{t}": (table["task"] == t).astype(float) for t in tasks}, index=table.index)
    return pd.concat([measures, indicators], axis=1)


def _fit_fold(name: str, settings: dict, seed: int, balanced: bool, X: np.ndarray, y: np.ndarray,
              train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.utils.class_weight import compute_sample_weight

    model = make_model(name, settings, seed)
    weights = compute_sample_weight("balanced", y[train]) if balanced else None
    model.fit(X[train], y[train], **{f"{model.steps[-1][0]}__sample_weight": weights})
    estimator = model.steps[-1][1]
    importance = (estimator.feature_importances_ if hasattr(estimator, "feature_importances_")
                  else np.abs(estimator.coef_[0]))
    return model.predict_proba(X[test])[:, 1], importance / (importance.sum() or 1.0)


def cross_validate(name: str, settings: dict, X: pd.DataFrame, labels: np.ndarray, folds: np.ndarray, seed: int,
                   balanced: bool) -> tuple[pd.DataFrame, pd.Series]:
    """Out-of-fold ALS probabilities (columns ``row``, ``fold``, ``y_true``, ``p``) over the given folds, and each
    feature's importance (impurity importance for the trees, |coefficient| of the standardised feature for
    logistic regression), normalised per fold and averaged over folds. Folds run in parallel on all cores;
    with ``balanced``, each class weighs the inverse of its share of the fold's training recordings."""
    values = X.to_numpy(dtype=float)
    splits = [(np.flatnonzero(folds != k), np.flatnonzero(folds == k)) for k in range(int(folds.max()) + 1)]
    fitted = compute.run(_fit_fold, [(name, settings, seed, balanced, values, labels, train, test)
                                     for train, test in splits],
                         [f"{name} fold {k + 1}" for k in range(len(splits))], desc=name, unit="fold",
                         workers=-1 if len(values) > 200 else 1)
    parts = [cv_folds.predictions(k, test, labels[test], p)
             for k, ((_, test), (p, _)) in enumerate(zip(splits, fitted))]
    importance = pd.Series(np.mean([imp for _, imp in fitted], axis=0), index=X.columns, name="importance")
    return pd.concat(parts, ignore_index=True), importance.sort_values(ascending=False, kind="stable")


# Fewer files are measured in this process: each worker process first imports librosa, openSMILE and Praat (about
# 5 s), more than 50 files take here.
PARALLEL_FROM = 50
PLOTTED = 15  # measures in the importance chart (all of them in the run's importance.csv)


def measure_all(paths: list[str], tasks: list[str], settings: dict) -> pd.DataFrame:
    """:func:`features` of every recording (one row per recording and window, recordings in order, each
    recording's windows together, column ``recording``: its position in ``paths``), in parallel from
    :data:`PARALLEL_FROM` on."""
    measured = compute.run(functools.partial(features, **settings), list(zip(paths, tasks)), paths,
                           desc="acoustic features", unit="file", batch_size=8,
                           workers=-1 if len(paths) >= PARALLEL_FROM else 1)
    return pd.DataFrame([{"recording": i, **row} for i, rows in enumerate(measured) for row in rows])


def rates_report(source_rates: pd.Series, labels: pd.Series) -> dict:
    """Recordings per own sample rate and class (``{rate: {class: n}}``), logged; more than one rate in the
    cohort is a warning, because spectral measures differ with the rate, and a rate more common in one class lets
    a model read the recorder instead of the voice."""
    counts = pd.crosstab(source_rates, labels)
    table = {str(rate): {str(k): int(n) for k, n in row.items()} for rate, row in counts.iterrows()}
    if len(counts) > 1:
        log.warning("recordings at %d sample rates (%s): spectral measures depend on the rate, and a rate more "
                    "common in one class lets a model read the recorder; see docs/voice.md, 'Sample rates'",
                    len(counts), "; ".join(f"{r} Hz: {c}" for r, c in table.items()))
    else:
        log.info("every recording at %s Hz", next(iter(table), "-"))
    return table


def measures_report(measures: pd.DataFrame, tasks: pd.Series, labels: pd.Series) -> dict:
    """Counts of the measures table of one window: recordings, measures, eGeMAPS measures, undefined values per
    Praat measure (logged; imputed inside the CV folds), undefined eGeMAPS cells, recordings of syllable tasks,
    recordings per own sample rate and class."""
    rates = rates_report(measures["source_rate"], labels)
    measures = measures.drop(columns=[c for c in NOT_MEASURES if c in measures.columns])
    undefined = undefined_counts(measures, tasks)
    for name, count in undefined.items():
        if count:
            log.info("%s undefined (Praat found no periodic voice, or too few syllables) for %d recording(s); "
                     "imputed inside the CV folds", name, count)
    egemaps = [c for c in measures.columns if c.startswith("egemaps_")]
    return {"recordings": len(measures), "measures": measures.shape[1], "egemaps_measures": len(egemaps),
            "undefined": undefined, "egemaps_undefined_cells": int(measures[egemaps].isna().sum().sum()),
            "syllable_task_recordings": int(tasks.map(is_syllable_task).sum()), "source_rates": rates}


def importance_rows(importance: pd.Series, name: str) -> list[dict]:
    """The :data:`PLOTTED` most important measures as bar-chart rows, with the chart's header (``chart``: the
    model's display name ``name`` and what the numbers are)."""
    chart = f"{name}: importance averaged over the CV folds"
    return [{"chart": chart, "feature": f, "importance": v} for f, v in importance.head(PLOTTED).items()]


def first_window(table: pd.DataFrame, cfg: Voice) -> pd.DataFrame:
    """The rows of the measures table taken on the first window of ``voice.acoustic.window_seconds``, the one
    the per-model views use (the nested CV chooses among all of them)."""
    return table[table["window"] == window_name(cfg.acoustic.window_seconds[0])].reset_index(drop=True)


def score_model(model: str, table: pd.DataFrame, cfg: Voice, bootstrap: dict
                ) -> tuple[pd.DataFrame, pd.Series, dict]:
    """One acoustic model cross-validated on the voice study's folds (grouped by subject as ``voice.cv`` says), on
    every measure of the first window (:func:`first_window`):
    out-of-fold predictions with subject and task, importance per measure, and the metrics against the trivial
    answer per recording, per subject and per task (:func:`alskit.voice.evaluate.summarise`)."""
    settings = cv.cv_settings(cfg)
    table = first_window(table, cfg)
    labels, subjects = table["label"].to_numpy(), table["subject"].to_numpy()
    folds = cv.study_folds(labels, subjects, settings)
    X = design_matrix(table, cfg.tasks)
    log.info("%s: %d-fold CV on %d recordings of %d subjects x %d measures (folds grouped by subject: %s)", model,
             settings.folds, len(X), len(set(subjects)), X.shape[1], settings.group_by_subject)
    predictions, importance = cross_validate(model, getattr(cfg.acoustic, model).model_dump(), X, labels, folds,
                                             settings.seed, cfg.acoustic.class_weight == "balanced")
    predictions.insert(1, "subject", subjects[predictions["row"]])
    predictions.insert(2, "task", table["task"].to_numpy()[predictions["row"]])
    result = evaluate.summarise(predictions, bootstrap)
    subject = result["per_subject"]
    log.info("%s: per recording AUROC %s; per subject AUROC %s, balanced accuracy %s (majority rate %.3f)", model,
             value(result["per_recording"]["auroc"]), value(subject["auroc"], interval(subject, "auroc")),
             value(subject["balanced_accuracy"]), subject["majority_rate"])
    log.info("%s: most important measures: %s", model, ", ".join(importance.index[:5]))
    return predictions, importance, result

"""Acoustic measures on short synthetic signals whose jitter and syllable rate are known, and the classic models'
cross-validation (folds, imputation inside them, no signal -> chance)."""
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import soundfile
from scipy.signal import lfilter
from sklearn.metrics import roc_auc_score

from alskit.voice import acoustic, config, cv as voice_cv, evaluate as voice_eval

RATE = 16000


def vowel(f0: float, jitter: float, seconds: float = 1.5, seed: int = 0) -> np.ndarray:
    """A glottal pulse train whose periods vary by ``jitter`` (relative sd, independent from period to period)
    through one formant resonance: Praat's local jitter of it is about 1.13 x ``jitter`` (mean absolute
    difference of consecutive periods of iid periods)."""
    rng = np.random.default_rng(seed)
    pulses, t = np.zeros(int(seconds * RATE)), 0.01
    while t < seconds - 0.02:
        pulses[int(round(t * RATE))] = 1.0
        t += (1 / f0) * (1 + jitter * rng.standard_normal())
    r, theta = 0.97, 2 * np.pi * 700 / RATE
    out = lfilter([1.0], [1.0, -2 * r * np.cos(theta), r * r], pulses)
    return 0.5 * out / np.abs(out).max()


def syllables(rate_hz: float, irregularity: float = 0.0, seconds: float = 3.0, seed: int = 0) -> np.ndarray:
    """Repeated /pa/: 80-ms voiced bursts at ``rate_hz`` (interval sd ``irregularity`` x the mean interval),
    near-silent closures between them."""
    rng = np.random.default_rng(seed)
    voiced = vowel(150, 0.005, seconds, seed)
    envelope, start = np.full(len(voiced), 0.01), 0.05
    while start < seconds - 0.1:
        a, b = int(start * RATE), int((start + 0.08) * RATE)
        envelope[a:b] = np.hanning(b - a) * 0.99 + 0.01
        start += (1 / rate_hz) * (1 + irregularity * rng.standard_normal())
    return voiced * envelope


@pytest.mark.parametrize("jitter", [0.0, 0.01, 0.03])
def test_praat_jitter_follows_the_period_perturbation(jitter):
    """Pulses on whole samples carry a rounding jitter of about 0.5% at 120 Hz and 16 kHz; above it, Praat's
    local jitter tracks 1.13 x the period perturbation (measured 0.87-0.90 of it: its cross-correlation
    pitch marks smooth a little)."""
    measures = acoustic.praat_measures(vowel(120, jitter), RATE, 75, 600)
    if jitter:
        assert 0.75 < measures["jitter_local"] / (1.13 * jitter) < 1.15
    else:
        assert measures["jitter_local"] < 0.006
    assert measures["f0_mean_hz"] == pytest.approx(120, rel=0.02)
    assert set(measures) == set(acoustic.PRAAT)


def test_one_pitch_track_gives_praats_own_jitter_and_shimmer():
    """The measures track the pitch once and share it; Praat's one-step "To PointProcess (periodic, cc)" tracks
    it again inside. Both must give the same glottal pulses, so the same jitter and shimmer to the last bit."""
    import parselmouth
    from parselmouth.praat import call

    signal = vowel(140, 0.02, seed=3)
    sound = parselmouth.Sound(signal, sampling_frequency=RATE)
    points = call(sound, "To PointProcess (periodic, cc)", 75, 600)
    measures = acoustic.praat_measures(signal, RATE, 75, 600)
    assert measures["jitter_ppq5"] == call(points, "Get jitter (ppq5)", 0, 0, 0.0001, 0.02, 1.3)
    assert measures["shimmer_apq11"] == call([sound, points], "Get shimmer (apq11)", 0, 0, 0.0001, 0.02, 1.3, 1.6)


def test_egemaps_values_are_opensmiles_table():
    """The eGeMAPS measures are read from openSMILE's raw output; they equal its ``process_signal`` table, name
    for name."""
    signal = vowel(160, 0.01).astype(np.float32)
    table = acoustic._smile().process_signal(signal, RATE).iloc[0]
    assert acoustic.egemaps(signal, RATE) == {f"egemaps_{k}": float(v) for k, v in table.items()}


def test_more_jitter_means_higher_jitter_and_lower_hnr():
    clean, rough = (acoustic.praat_measures(vowel(200, j), RATE, 75, 600) for j in (0.002, 0.04))
    for name in ("jitter_local", "jitter_rap", "jitter_ppq5"):
        assert rough[name] > 3 * clean[name]
    assert rough["hnr_db"] < clean["hnr_db"] - 5


@pytest.mark.parametrize("rate_hz", [4.0, 6.5])
def test_diadochokinetic_rate_of_an_even_repetition(rate_hz):
    measures = acoustic.ddk_measures(syllables(rate_hz), RATE)
    assert measures["ddk_rate_hz"] == pytest.approx(rate_hz, rel=0.03)
    assert measures["ddk_interval_cv"] < 0.05


def test_irregular_repetition_has_a_larger_interval_cv():
    even = acoustic.ddk_measures(syllables(5.0, 0.0), RATE)["ddk_interval_cv"]
    uneven = acoustic.ddk_measures(syllables(5.0, 0.25, seed=1), RATE)["ddk_interval_cv"]
    assert uneven > 0.1 > 0.05 > even


def test_the_central_window():
    signal = np.arange(10 * RATE, dtype=float)
    window = acoustic.central(signal, RATE, 2.0)
    assert len(window) == 2 * RATE and window[0] == 4 * RATE
    assert len(acoustic.central(signal[:RATE], RATE, 2.0)) == RATE
    assert len(acoustic.central(signal, RATE, None)) == 10 * RATE


def test_a_sustained_tone_has_no_syllable_rate():
    measures = acoustic.ddk_measures(vowel(150, 0.005), RATE)
    assert np.isnan(measures["ddk_rate_hz"]) and np.isnan(measures["ddk_interval_cv"])


MEASURE_AFTER_TENSORFLOW = """
import json, sys
import numpy as np
if sys.argv[1] == "tensorflow":
    import tensorflow  # noqa: F401
from alskit.voice import acoustic
t = np.arange(24000) / 16000
voice = 0.5 * np.sin(2 * np.pi * 150 * t) * (1 + 0.1 * np.sin(2 * np.pi * 3 * t))
print(json.dumps(acoustic.egemaps(voice.astype(np.float32), 16000)))
"""


@pytest.mark.slow
def test_opensmile_measures_the_same_in_a_process_that_imported_tensorflow():
    """TensorFlow exports openSMILE's FFT routines under the same names: unbound, openSMILE called TensorFlow's
    double-precision copy on its float buffers and corrupted the heap (an abort in the test session)."""
    def measured(first_import):
        run = subprocess.run([sys.executable, "-c", MEASURE_AFTER_TENSORFLOW, first_import],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-500:]
        return json.loads(run.stdout.strip().splitlines()[-1])

    alone, after_tensorflow = measured("nothing"), measured("tensorflow")
    assert len(alone) == 88 and after_tensorflow == alone


@pytest.mark.slow
def test_features_of_a_wav_file(tmp_path):
    """The whole extraction from a file: one row per window, 88 eGeMAPS functionals, the Praat measures, DDK for
    rhythm tasks only and over the whole repetition (not the 2-s window of the voice measures); leading silence
    trimmed, so it does not count as pauses."""
    signal = np.concatenate([np.zeros(RATE // 2), syllables(5.0), np.zeros(RATE // 2)])
    path = tmp_path / "PZ001_rhythmPA.wav"
    soundfile.write(path, (signal * 32767).astype(np.int16), RATE)
    rhythm, whole = acoustic.features(str(path), "rhythmPA", RATE, 30, 75, 600, window_seconds=[2.0, None])
    [vowel_task] = acoustic.features(str(path), "phonationA", RATE, 30, 75, 600, window_seconds=[None])
    assert (rhythm["window"], whole["window"], rhythm["source_rate"]) == ("2s", "whole", RATE)
    assert len([k for k in rhythm if k.startswith("egemaps_")]) == 88
    assert rhythm["ddk_rate_hz"] == whole["ddk_rate_hz"] == pytest.approx(5.0, rel=0.03)
    assert rhythm["egemaps_loudness_sma3_amean"] != whole["egemaps_loudness_sma3_amean"]
    assert np.isnan(vowel_task["ddk_rate_hz"])
    assert all(np.isfinite(v) for k, v in rhythm.items() if k.startswith("egemaps_"))


@pytest.mark.parametrize("rate, measured_at", [(8000, RATE), (RATE, RATE), (44100, 44100)])
def test_recordings_are_measured_at_their_own_rate_or_raised_to_the_minimum(tmp_path, rate, measured_at):
    """A recording at or above ``min_sample_rate`` is measured at its own rate (no resampling); a slower one is
    raised to it; the pitch is the same either way."""
    t = np.arange(int(1.5 * rate)) / rate
    path = tmp_path / "PZ001_phonationA.wav"
    soundfile.write(path, (0.5 * np.sin(2 * np.pi * 150 * t) * 32767).astype(np.int16), rate)
    signal, used, own = acoustic.load(str(path), RATE, 30)
    assert (used, own) == (measured_at, rate)
    assert len(signal) == pytest.approx(1.5 * measured_at, rel=0.01)
    [row] = acoustic.features(str(path), "phonationA", RATE, 30, 75, 600, window_seconds=[None])
    assert row["f0_mean_hz"] == pytest.approx(150, rel=0.01) and row["source_rate"] == rate


def test_mixed_rates_are_counted_per_class(caplog):
    rates = pd.Series([8000, 8000, 44100, 44100, 44100])
    labels = pd.Series([1, 1, 1, 0, 0])
    assert acoustic.rates_report(rates, labels) == {"8000": {"0": 0, "1": 2}, "44100": {"0": 2, "1": 1}}
    assert "2 sample rates" in caplog.text
    assert acoustic.rates_report(rates[2:], labels[2:]) == {"44100": {"0": 2, "1": 1}}


def recordings_table(n_als=30, n_hc=15, informative=True, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_als + n_hc):
        label = int(i < n_als)
        for task in ("phonationA", "rhythmPA"):
            shift = 1.5 * label if informative else 0.0
            rows.append({"subject": f"{'PZ' if label else 'CT'}{i:03d}", "task": task, "label": label,
                         "jitter_local": rng.normal(shift, 1), "hnr_db": rng.normal(-shift, 1),
                         "ddk_rate_hz": rng.normal(5 - shift, 1) if task == "rhythmPA" else np.nan})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("model", config.ACOUSTIC_MODELS)
def test_cross_validation_scores_every_recording_once_on_grouped_folds(model):
    table = recordings_table()
    settings = {"gb": {"n_estimators": 20, "max_depth": 2}, "rf": {"n_estimators": 30},
                "logreg": {"C": 1.0}}[model]
    labels, subjects = table["label"].to_numpy(), table["subject"].to_numpy()
    folds = voice_cv.assign_folds(labels, subjects, 3, seed=0, group_by_subject=True)
    X = acoustic.design_matrix(table, ["phonationA", "rhythmPA"])
    assert list(X.columns) == ["jitter_local", "hnr_db", "ddk_rate_hz", "task_phonationA", "task_rhythmPA"]
    predictions, importance = acoustic.cross_validate(model, settings, X, labels, folds, seed=0, balanced=True)
    assert sorted(predictions["row"]) == list(range(len(table)))
    assert (predictions["fold"].to_numpy() == folds[predictions["row"]]).all()
    assert importance.sum() == pytest.approx(1) and set(importance.index) == set(X.columns)
    assert importance.index[0] in ("jitter_local", "hnr_db", "ddk_rate_hz")
    frame = predictions.assign(subject=subjects[predictions["row"]], task=table["task"].to_numpy()[predictions["row"]])
    assert voice_eval.evaluate(frame, {"iterations": 300, "seed": 0, "level": 0.95})["per_subject"]["auroc"] > 0.8


def test_no_signal_gives_a_result_that_carries_no_information():
    table = recordings_table(informative=False, seed=4)
    labels, subjects = table["label"].to_numpy(), table["subject"].to_numpy()
    folds = voice_cv.assign_folds(labels, subjects, 3, seed=0, group_by_subject=True)
    predictions, _ = acoustic.cross_validate("logreg", {"C": 1.0}, acoustic.design_matrix(table, ["phonationA",
                                                                                                 "rhythmPA"]),
                                             labels, folds, seed=0, balanced=True)
    frame = predictions.assign(subject=subjects[predictions["row"]], task=table["task"].to_numpy()[predictions["row"]])
    assert not voice_eval.evaluate(frame, {"iterations": 300, "seed": 0, "level": 0.95})["per_subject"]["informative"]


def test_imputation_and_scaling_are_fit_inside_the_folds():
    """A recording's score depends on its own measures and the training folds only: changing the other held-out
    recordings of its fold (their values and labels) must leave it unchanged, which it would not if the median
    imputer or the scaler had seen them."""
    table = recordings_table()
    labels, subjects = table["label"].to_numpy(), table["subject"].to_numpy()
    folds = voice_cv.assign_folds(labels, subjects, 3, seed=0, group_by_subject=True)
    X = acoustic.design_matrix(table, ["phonationA", "rhythmPA"])
    first, _ = acoustic.cross_validate("logreg", {"C": 1.0}, X, labels, folds, seed=0, balanced=True)
    held = np.flatnonzero(folds == 0)
    others = held[1:]
    changed, flipped = X.copy(), labels.copy()
    changed.iloc[others, changed.columns.get_loc("hnr_db")] += 1000.0
    changed.iloc[others, changed.columns.get_loc("ddk_rate_hz")] = np.nan
    flipped[others] = 1 - flipped[others]
    second, _ = acoustic.cross_validate("logreg", {"C": 1.0}, changed, flipped, folds, seed=0, balanced=True)
    p_first, p_second = first.set_index("row")["p"], second.set_index("row")["p"]
    assert p_first[held[0]] == pytest.approx(p_second[held[0]], abs=1e-12)
    leaky = X.copy()   # the same change in a training row does move it: the check can fail
    leaky.iloc[np.flatnonzero(folds == 1)[:20], leaky.columns.get_loc("hnr_db")] += 1000.0
    third, _ = acoustic.cross_validate("logreg", {"C": 1.0}, leaky, labels, folds, seed=0, balanced=True)
    assert abs(third.set_index("row")["p"][held[0]] - p_first[held[0]]) > 1e-6


@pytest.mark.slow
def test_the_demo_voices_separate_the_classes_but_not_trivially(tmp_path):
    """Real voices do not separate ALS from controls trivially, so neither may the demo's. A small demo cohort
    as the stages generate it (the demo's own settings in params.yaml, 40 speakers, the sustained vowel),
    measured and scored as the acoustic stages do: per-subject AUROC above chance, below near-perfect."""
    from conftest import params_with
    from alskit.voice import config as voice_config, demo

    cfg = voice_config.load(params_with())
    clinical, audio = demo.make_cohort(24, 16, ["phonationA"], cfg.demo.sample_rate, cfg.demo.snr_db, cfg.demo.seed)
    paths = []
    for i, recordings in enumerate(audio):
        paths.append(str(tmp_path / f"S{i:02d}_phonationA.wav"))
        soundfile.write(paths[-1], recordings["phonationA"], cfg.demo.sample_rate)
    settings = {**cfg.acoustic.model_dump(include={"min_sample_rate", "top_db", "f0_min", "f0_max"}),
                "window_seconds": [None]}
    measured = acoustic.measure_all(paths, ["phonationA"] * len(paths), settings)
    X = measured.filter(regex="^egemaps_")
    labels = clinical["Category"].eq("ALS").to_numpy(dtype=int)
    subjects = np.array([f"S{i:02d}" for i in range(len(paths))])
    folds = voice_cv.assign_folds(labels, subjects, 5, seed=0, group_by_subject=True)
    predictions, _ = acoustic.cross_validate("rf", cfg.acoustic.rf.model_dump(), X, labels, folds, seed=0,
                                             balanced=True)
    predictions["subject"] = subjects[predictions["row"]]
    per_subject = voice_eval.subject_predictions(predictions)
    auroc = roc_auc_score(per_subject["y_true"], per_subject["p"])
    assert 0.65 <= auroc <= 0.97, f"demo per-subject AUROC {auroc:.3f}"

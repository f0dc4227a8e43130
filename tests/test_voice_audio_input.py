"""voice_audio on audio that is not a voice (issue 10, section 3), each case built as real files in a VOC-ALS root.

Refused (error naming the file, or a logged skip under voice.on_bad_audio: skip): digital silence, float
samples written at integer scale, files that are not audio, too little sound after silence removal.
Repaired and logged: channels that cancel in the mono mix or a dead channel, truncated files. Ignored:
system files. Counted (metrics, no subject IDs): all of these, tasks missing per subject, per class.
"""
import json
import re
import shutil
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import soundfile
import yaml

from alskit.voice import spectra, wav
from conftest import REPO, run_stage
from test_bdb_cli import assert_user_error

RATE = 8000
TASKS = ["phonationA", "rhythmKA"]
OUTPUTS = ("out/audio", "out/recordings.csv", "out/voice_audio.json")


def voiced(seconds: float = 0.6, seed: int = 0, peak: float = 0.5) -> np.ndarray:
    """A 150 Hz harmonic tone with a little noise, between 0.2 s of near-silence (-60 dBFS) on each side."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    tone = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 6)) + 0.01 * rng.standard_normal(len(t))
    tone *= peak / np.abs(tone).max()
    quiet = int(0.2 * RATE)
    return np.concatenate([1e-3 * rng.standard_normal(quiet), tone, 1e-3 * rng.standard_normal(quiet)])


def write_wav(path, samples, subtype="PCM_16"):
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, samples, RATE, subtype=subtype)
    return path


def set_voice_params(cwd, **values):
    params = yaml.safe_load((cwd / "params.yaml").read_text())
    params["voice"].update(values)
    (cwd / "params.yaml").write_text(yaml.safe_dump(params))


def make_root(cwd, subjects=("PZ001", "PZ002", "CT001", "CT002"), clinical_extra=()):
    """``cwd/root`` with every subject's recordings of both tasks, ``cwd/clinical.csv`` as voice_clinical
    writes it (``subject``, ``label``) and params.yaml with the two tasks and voice.on_bad_audio: error;
    tests then overwrite files."""
    set_voice_params(cwd, tasks=TASKS, on_bad_audio="error")
    for i, subject in enumerate(subjects):
        for j, task in enumerate(TASKS):
            write_wav(cwd / "root" / task / f"{subject}_{task}.wav", voiced(seed=10 * i + j))
    ids = list(subjects) + list(clinical_extra)
    pd.DataFrame({"subject": ids, "label": [int(s.upper().startswith("PZ")) for s in ids]}).to_csv(
        cwd / "clinical.csv", index=False)
    return cwd / "root"


def audio_stage(cwd):
    return run_stage("voice_audio", "root", "clinical.csv", *OUTPUTS, cwd=cwd)


def assert_no_outputs(cwd):
    """Neither the outputs nor the hidden staging files or folders beside them (``out/.audio.*`` ...)."""
    out = cwd / "out"
    assert not out.exists() or not any(out.iterdir()), sorted(p.name for p in out.iterdir())


# --- refused: one error line naming the file, exit 2, nothing written ----------------------------------------


def int16_noise_of_one_step(seconds=1.0):
    return np.random.default_rng(1).integers(-1, 2, int(seconds * RATE)).astype(np.int16)


@pytest.mark.parametrize("case,fragments", [
    ("zeros", ["all samples are 0 (digital silence)"]),
    ("one_step", ["digital silence (peak -90 dBFS, below -80 dBFS)"]),
    ("integer_scale", ["float samples reach 32767.0, beyond ±1: written at integer scale?"]),
    ("text", ["not a readable WAV file (Format not recognised"]),
    ("header_only", ["the WAV file holds no samples (its header promises 8000 frames: truncated)"]),
])
def test_unusable_audio_is_one_error_naming_the_file(stage_dir, case, fragments):
    """The bad file alone (fast: the stage never loads librosa); see the cohort below for one among good files."""
    root = make_root(stage_dir, subjects=("CT001",))
    (root / "phonationA" / "CT001_phonationA.wav").unlink()
    bad = root / "rhythmKA" / "CT001_rhythmKA.wav"
    if case == "zeros":
        write_wav(bad, np.zeros(RATE))
    elif case == "one_step":  # dither-level noise: +-1 step of 16 bits, -90 dBFS
        write_wav(bad, int16_noise_of_one_step())
    elif case == "integer_scale":
        signal = voiced()
        write_wav(bad, signal / np.abs(signal).max() * 32767.0, subtype="FLOAT")
    elif case == "text":
        bad.write_text("subject,task\nCT001,rhythmKA\n")
    elif case == "header_only":  # cut right after the header: the data chunk promises frames, none are there
        bad.write_bytes(bad.read_bytes()[:44])
    result = audio_stage(stage_dir)
    assert_user_error(result, str(bad.relative_to(stage_dir)), *fragments,
                      "(1 unusable file(s); set voice.on_bad_audio: skip to leave them out)")
    assert_no_outputs(stage_dir)


def test_ids_that_differ_only_in_case_are_one_subject_and_collide(stage_dir):
    root = make_root(stage_dir)
    write_wav(root / "phonationA" / "pz001_phonationA.wav", voiced(seed=99))
    result = audio_stage(stage_dir)
    assert_user_error(result, "root/phonationA/PZ001_phonationA.wav and root/phonationA/pz001_phonationA.wav",
                      "subject PZ001", "expected one file per subject and task")
    assert_no_outputs(stage_dir)


def test_old_four_argument_call_names_the_new_argument(stage_dir):
    make_root(stage_dir)
    result = run_stage("voice_audio", "root", "clinical.csv", *OUTPUTS[:2], cwd=stage_dir)
    assert_user_error(result, "wrong number of arguments", "AUDIO_METRICS_JSON")
    assert_no_outputs(stage_dir)


# --- accepted under voice.on_bad_audio: skip: one cohort holding every case, run once --------------------


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """Six subjects (3 ALS, 3 HC) with a clinical row, plus CT004 with a row but no recordings:

    PZ001  phonationA stereo, right = -0.98 x left (cancels)    rhythmKA 24-bit stereo, left channel dead
    PZ002  phonationA truncated (header: 8000 frames, 6000 held) rhythmKA missing
    PZ003  phonationA named pz003_... (lower-case ID)          rhythmKA float, peak 1.5 (clipped)
    CT001  phonationA all zeros (skip: silence)                  rhythmKA float at integer scale (skip)
    CT002  phonationA text in a .wav (skip: unreadable)          rhythmKA 0.05 s of voice (skip: too short)
    CT003  phonationA normal                                     rhythmKA 16-bit, clipped at full scale
    and in the task folders ._PZ001_phonationA.wav, .DS_Store, Thumbs.db (system files) and notes.txt.
    Run under voice.on_bad_audio: error (refused), then skip.
    """
    cwd = tmp_path_factory.mktemp("voice_audio_input")
    shutil.copy(REPO / "params.yaml", cwd / "params.yaml")
    root = make_root(cwd, ("PZ001", "PZ002", "PZ003", "CT001", "CT002", "CT003"), clinical_extra=("CT004",))
    a, k = root / "phonationA", root / "rhythmKA"
    left = voiced(seed=1)
    write_wav(a / "PZ001_phonationA.wav", np.column_stack([left, -0.98 * left]))
    write_wav(k / "PZ001_rhythmKA.wav", np.column_stack([np.zeros_like(left), left]), subtype="PCM_24")
    whole = write_wav(a / "PZ002_phonationA.wav", voiced(seed=2)).read_bytes()  # 8000 frames of 2 bytes
    (a / "PZ002_phonationA.wav").write_bytes(whole[:len(whole) - 2 * 2000])
    (k / "PZ002_rhythmKA.wav").unlink()
    (a / "PZ003_phonationA.wav").rename(a / "pz003_phonationA.wav")
    write_wav(k / "PZ003_rhythmKA.wav", voiced(seed=3, peak=1.5), subtype="FLOAT")
    write_wav(a / "CT001_phonationA.wav", np.zeros(RATE))
    write_wav(k / "CT001_rhythmKA.wav", voiced(seed=4) * 32767 * 2, subtype="FLOAT")
    (a / "CT002_phonationA.wav").write_text("not audio\n")
    write_wav(k / "CT002_rhythmKA.wav", voiced(seconds=0.05, seed=5))
    write_wav(k / "CT003_rhythmKA.wav", np.clip(voiced(seed=6, peak=2.0), -1, 1))
    (a / "._PZ001_phonationA.wav").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00" + bytes(74))
    (a / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(100))
    (k / "Thumbs.db").write_bytes(bytes(64))
    (k / "notes.txt").write_text("recorded in room 2\n")
    refused = audio_stage(cwd)  # under voice.on_bad_audio: error, the good files are prepared before it stops
    left = sorted(p.name for p in (cwd / "out").iterdir()) if (cwd / "out").exists() else []
    set_voice_params(cwd, on_bad_audio="skip")
    result = audio_stage(cwd)
    assert result.returncode == 0, result.stderr
    index = pd.read_csv(cwd / "out/recordings.csv").set_index("file")
    return SimpleNamespace(cwd=cwd, log=result.stderr, index=index, refused=refused, left=left,
                           metrics=json.loads((cwd / "out/voice_audio.json").read_text()))


def test_cohort_under_error_policy_stops_at_the_first_bad_file_with_no_outputs(cohort):
    refused, left = cohort.refused, cohort.left
    assert_user_error(refused, "root/phonationA/CT001_phonationA.wav: all samples are 0",
                      "(4 unusable file(s); set voice.on_bad_audio: skip to leave them out)")
    assert left == [], "no audio folder, index, metrics or staging files after the error"


def test_metrics_count_every_case_exactly(cohort):
    cwd, metrics = cohort.cwd, cohort.metrics
    assert metrics == {
        "files_found": {"phonationA": 6, "rhythmKA": 5},
        "system_files_ignored": 3,
        "other_files_ignored": 1,
        "subjects_without_clinical_row": 0,
        "recordings_without_clinical_row": 0,
        "clinical_subjects_without_recordings": 1,
        "recordings_in": 11,
        "recordings_out": 7,
        "skipped": {"unreadable": 1, "empty": 0, "not_finite": 0, "integer_scale_float": 1, "silence": 1,
                    "too_short": 1},
        "channels_replaced": {"cancelling": 1, "dead": 1},
        "truncated_read": 1,
        "not_wav_read": 0,
        "recordings_clipped": 2,
        "subjects_in": 6,
        "subjects_out": 4,
        "subjects_with_all_tasks": 5,
        "subjects_out_with_all_tasks": 3,
        "subjects_missing_tasks": {"1": 1},
        "by_class": {
            "ALS": {"subjects_in": 3, "subjects_out": 3, "subjects_skipped": 0, "recordings_in": 5,
                    "recordings_out": 5, "recordings_skipped": 0},
            "HC": {"subjects_in": 3, "subjects_out": 1, "subjects_skipped": 2, "recordings_in": 6,
                   "recordings_out": 2, "recordings_skipped": 4}},
    }
    text = (cwd / "out/voice_audio.json").read_text()
    assert not re.search(r"(PZ|CT)\d{3}", text, re.IGNORECASE), "no subject IDs in committed metrics"


def test_skipped_files_are_logged_and_absent_from_the_index(cohort):
    cwd, log, index = cohort.cwd, cohort.log, cohort.index
    expected = ["phonationA/PZ001_phonationA.flac", "phonationA/PZ002_phonationA.flac",
                "phonationA/PZ003_phonationA.flac", "phonationA/CT003_phonationA.flac",
                "rhythmKA/PZ001_rhythmKA.flac", "rhythmKA/PZ003_rhythmKA.flac", "rhythmKA/CT003_rhythmKA.flac"]
    assert sorted(index.index) == sorted(expected)
    written = [str(p.relative_to(cwd / "out/audio")) for p in (cwd / "out/audio").rglob("*.flac")]
    assert sorted(written) == sorted(expected), "no placeholder for the skipped files"
    assert not list((cwd / "out").glob(".*")), "no staging files or folders left behind"
    for name, why in [("CT001_phonationA.wav", "all samples are 0"),
                      ("CT001_rhythmKA.wav", "written at integer scale"),
                      ("CT002_phonationA.wav", "not a readable WAV file"),
                      ("CT002_rhythmKA.wav", "less than voice.audio.min_seconds")]:
        assert re.search(rf"skipping: \S*{name}: .*{why}", log), name
    assert "ignored 3 system file(s)" in log and "ignored 1 other file(s)" in log
    assert "1 of 6 subject(s) lack recordings of some tasks: PZ002 (rhythmKA)" in log
    assert "Traceback" not in log and ": error: " not in log


def rms(x):
    return float(np.sqrt(np.mean(np.square(x))))


def test_cancelling_stereo_uses_the_louder_channel(cohort):
    cwd, log, index = cohort.cwd, cohort.log, cohort.index
    assert re.search(r"PZ001_phonationA.wav: channels cancel in the mono mix \(-40 dB\); using channel 1", log)
    row = index.loc["phonationA/PZ001_phonationA.flac"]
    assert (row["channels_in"], str(row["channel"]), row["channel_fix"]) == (2, "1", "cancelling")
    prepared, _ = soundfile.read(cwd / "out/audio/phonationA/PZ001_phonationA.flac")
    left = voiced(seed=1)
    assert abs(20 * np.log10(rms(prepared) / rms(left[1600:-1600]))) < 1.5, "the voice, not the residue"


def test_dead_channel_is_replaced_by_the_live_one(cohort):
    cwd, log, index = cohort.cwd, cohort.log, cohort.index
    assert re.search(r"PZ001_rhythmKA.wav: channel 1 silent; using channel 2", log)
    row = index.loc["rhythmKA/PZ001_rhythmKA.flac"]
    assert (row["bits_in"], str(row["channel"]), row["channel_fix"]) == (24, "2", "dead")
    prepared, _ = soundfile.read(cwd / "out/audio/rhythmKA/PZ001_rhythmKA.flac")
    assert np.abs(prepared).max() > 0.45, "full level (the mean with the dead channel would halve it to 0.25)"


def test_truncated_wav_is_read_up_to_its_end_and_logged(cohort, tmp_path):
    cwd, log, index = cohort.cwd, cohort.log, cohort.index
    assert re.search(r"PZ002_phonationA.wav: truncated: the header promises 8000 frames, the file holds 6000; "
                     r"reading those \(0.75 s\)", log)
    row = index.loc["phonationA/PZ002_phonationA.flac"]
    assert row["truncated"] and row["seconds_in"] == pytest.approx(0.75)
    intact = write_wav(tmp_path / "x.wav", voiced())
    assert wav.wav_header_frames(intact) == (8000, 8000)
    assert wav.wav_header_frames(cwd / "root/phonationA/PZ002_phonationA.wav") == (8000, 6000)


def test_clipped_share_is_recorded_for_integer_and_float_files(cohort):
    cwd, log, index = cohort.cwd, cohort.log, cohort.index
    over = voiced(seed=3, peak=1.5).astype(np.float32)
    assert index.loc["rhythmKA/PZ003_rhythmKA.flac", "clipped_share"] == pytest.approx(
        np.mean(np.abs(over) >= 1 - 2 ** -15), rel=1e-6)
    assert re.search(r"PZ003_rhythmKA.wav: float samples reach 1.50, beyond ±1: \d+\.\d\d% of samples clipped", log)
    codes, _ = soundfile.read(cwd / "root/rhythmKA/CT003_rhythmKA.wav", dtype="int16")
    full = np.mean((codes == 32767) | (codes == -32768))
    assert full > 0.05 and index.loc["rhythmKA/CT003_rhythmKA.flac", "clipped_share"] == pytest.approx(full, rel=1e-6)
    assert index.loc["phonationA/CT003_phonationA.flac", "clipped_share"] == 0
    assert index.loc["phonationA/PZ003_phonationA.flac", "subject"] == "PZ003", "pz003_ names subject PZ003"
    assert re.search(r"2 recording\(s\) clipped \(at least 0.1% of samples at full scale\): "
                     r"CT003_rhythmKA \(\d+\.\d%\), PZ003_rhythmKA \(\d+\.\d%\)", log)


def test_prepare_returns_nothing_for_digital_silence():
    """effects.split keeps all of an all-zero signal (its peak is the 0 dB reference); prepare must not."""
    assert len(spectra.prepare(np.zeros((RATE, 1)), RATE, 22050, 30)) == 0
    samples = np.column_stack([np.zeros(len(voiced())), voiced()])
    kept, facts = wav.check_samples(samples, 16, "x.wav")
    assert kept.shape == (len(samples), 1) and facts["channel"] == "2" and facts["channel_fix"] == "dead"

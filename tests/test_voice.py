"""Units of the voice study: VOC-ALS reader, any-WAV handling, audio clean-up, features, demo cohort."""
import numpy as np
import pandas as pd
import pytest
import soundfile
import yaml

from alskit.voice import cv, demo, spectra, wav, workbook
from alskit.common.errors import UserError
from alskit.common.io import AtomicOutputs
from conftest import params_with, read_settings, run_stage

CLINICAL = read_settings("voice.clinical.read", header_row=1)  # the VOC-ALS sheet: a title row above the header

RATE = 22050


def tone(seconds: float, rate: int, lead: float = 0.5, trail: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    voiced = 0.5 * np.sin(2 * np.pi * 180 * t) * (1 + 0.3 * np.sin(2 * np.pi * 5 * t))
    return np.concatenate([np.zeros(int(lead * rate)), voiced, np.zeros(int(trail * rate))])


@pytest.mark.parametrize("subtype,rate,channels", [("PCM_16", 8000, 1), ("PCM_24", 44100, 2),
                                                    ("FLOAT", 16000, 1), ("PCM_U8", 11025, 1)])
def test_any_valid_wav_becomes_mono_22k_without_silence(tmp_path, subtype, rate, channels):
    signal = tone(1.0, rate)
    path = tmp_path / "x.wav"
    soundfile.write(path, np.column_stack([signal] * channels), rate, subtype=subtype)
    samples, rate_in, bits = wav.read_wav(path)
    assert rate_in == rate and samples.shape == (len(signal), channels)
    assert bits == {"PCM_16": 16, "PCM_24": 24, "FLOAT": 0, "PCM_U8": 8}[subtype]
    prepared = spectra.prepare(samples, rate_in, RATE, top_db=30)
    assert prepared.ndim == 1
    assert 0.9 < len(prepared) / RATE < 1.1, "the 1 s tone stays, the 1 s of silence goes"
    assert np.allclose(prepared * 32767, np.round(prepared * 32767)), "16-bit quantised"


def test_unreadable_and_empty_wavs_are_named(tmp_path):
    (tmp_path / "junk.wav").write_bytes(b"RIFF not really a wave file")
    with pytest.raises(UserError, match="junk.wav: not a readable WAV"):
        wav.read_wav(tmp_path / "junk.wav")
    soundfile.write(tmp_path / "empty.wav", np.zeros((0, 1)), 8000, subtype="PCM_16")
    with pytest.raises(UserError, match="empty.wav: the WAV file holds no samples"):
        wav.read_wav(tmp_path / "empty.wav")


@pytest.mark.filterwarnings("error:Empty filters detected")
def test_features_have_fixed_shapes_for_short_and_long_recordings():
    mel = dict(n_fft=2048, hop_length=512, n_mels=128, fmax=11025, frames=128)
    short, long = tone(0.5, RATE, 0, 0), tone(6.0, RATE, 0, 0)
    short_image, long_image = spectra.log_mel(short, RATE, **mel), spectra.log_mel(long, RATE, **mel)
    assert short_image.shape == long_image.shape == (128, 128)
    assert (short_image[:, -10:] == short_image.min()).all(), "short recordings are padded with the floor"
    assert long_image.max() <= 0 and long_image.min() >= -80
    summary = spectra.mfcc_summary(long, RATE, n_mfcc=13, n_filters=40, pre_emphasis=0.97, frame_length=0.025,
                                 frame_step=0.01)
    assert summary.shape == (26,) and np.isfinite(summary).all()


def write_layout(root, clinical: pd.DataFrame, audio, tasks, rate=8000):
    for subject, recordings in zip(clinical["ID"], audio):
        for task in tasks:
            (root / task).mkdir(parents=True, exist_ok=True)
            soundfile.write(root / task / f"{subject}_{task}.wav", recordings[task], rate, subtype="PCM_16")
    with AtomicOutputs() as out:
        out.excel(clinical, root / "VOC-ALS.xlsx", title=demo.TITLE)


@pytest.fixture(scope="module")
def tiny_cohort():
    tasks = ["phonationA", "rhythmKA"]
    clinical, audio = demo.make_cohort(n_als=4, n_hc=3, tasks=tasks, rate=8000, snr_db=35, seed=2)
    return clinical, audio, tasks


def test_demo_cohort_layout_and_clinical_design(tiny_cohort, tmp_path):
    clinical, audio, tasks = tiny_cohort
    write_layout(tmp_path, clinical, audio, tasks)
    listed = wav.list_recordings(tmp_path, tasks)
    assert len(listed) == 7 * 2 and set(listed["task"]) == set(tasks)
    assert listed["subject"].str.match(r"^(PZ|CT)\d{3}$").all()
    categorical = ["Sex", "GeneticTest", "KingClinicalStage", "RegionOfOnset", "Treatment", "ElEscorial"]
    read, report = workbook.read_clinical(tmp_path / "VOC-ALS.xlsx", "ID", "Category", categorical, options=CLINICAL)
    assert read["label"].value_counts().to_dict() == {1: 4, 0: 3} and report["class_counts"] == {"ALS": 4, "HC": 3}
    controls = read[read["label"] == 0]
    assert controls["ALSFRS-R_TotalScore"].isna().all() and controls["Cantagallo_Questionnaire"].notna().all()
    recording = audio[0]["phonationA"]
    assert recording.dtype == np.int16
    assert np.abs(recording[:int(0.25 * 8000)]).max() < 0.05 * np.abs(recording).max(), "leading silence"


def test_severity_drives_voice_and_clinical_scores():
    rng = np.random.default_rng(0)
    subjects = demo.make_subjects(200, 50, rng)
    clinical = demo.clinical_table(subjects, rng)
    als = subjects["label"] == "ALS"
    speech = clinical.loc[als, "ALSFRS-R_Speech"]
    assert np.corrcoef(subjects.loc[als, "severity"], speech)[0, 1] < -0.5
    assert clinical.loc[~als, "Cantagallo_Questionnaire"].mean() < clinical.loc[als, "Cantagallo_Questionnaire"].mean()
    mild = als & (subjects["severity"] < 0.1)
    assert mild.sum() > 5, "some patients are mild and sound healthy"


def test_missing_task_folder_and_bad_names_are_errors(tmp_path):
    (tmp_path / "phonationA").mkdir()
    with pytest.raises(UserError, match="rhythmKA: task folder missing"):
        wav.list_recordings(tmp_path, ["phonationA", "rhythmKA"])
    soundfile.write(tmp_path / "phonationA" / "patient1.wav", np.zeros(800), 8000)
    with pytest.raises(UserError, match="patient1.wav: expected a file named like PZ001_phonationA.wav"):
        wav.list_recordings(tmp_path, ["phonationA"])


def test_unknown_category_is_named(tiny_cohort, tmp_path):
    clinical = tiny_cohort[0].copy()
    clinical.loc[0, "Category"] = "PLS"
    with AtomicOutputs() as out:
        out.excel(clinical, tmp_path / "VOC-ALS.xlsx", title="t")
    with pytest.raises(UserError, match="column 'Category' has 'PLS' \\(first on row 3\\); expected ALS or HC"):
        workbook.read_clinical(tmp_path / "VOC-ALS.xlsx", "ID", "Category", options=CLINICAL)


@pytest.fixture
def voice_root(tiny_cohort, stage_dir):
    clinical, audio, tasks = tiny_cohort
    import yaml
    params = yaml.safe_load((stage_dir / "params.yaml").read_text())
    params["voice"]["tasks"] = tasks
    (stage_dir / "params.yaml").write_text(yaml.safe_dump(params))
    write_layout(stage_dir / "root", clinical, audio, tasks)
    assert run_stage("voice_clinical", "root", "clinical.csv", "voice_clinical.json", cwd=stage_dir).returncode == 0
    return stage_dir


def audio_stage(cwd):
    return run_stage("voice_audio", "root", "clinical.csv", "out/audio", "out/recordings.csv", "out/voice_audio.json",
                     cwd=cwd)


@pytest.mark.slow
def test_audio_stage_writes_prepared_files_and_index(voice_root):
    result = audio_stage(voice_root)
    assert result.returncode == 0, result.stderr
    index = pd.read_csv(voice_root / "out/recordings.csv")
    assert len(index) == 14 and set(index["label"]) == {0, 1}
    assert (index["seconds_out"] < index["seconds_in"]).all()
    data, rate = soundfile.read(voice_root / "out/audio" / index["file"][0])
    assert rate == 22050 and data.ndim == 1
    features = run_stage("voice_features", "out/recordings.csv", "out/audio", "out/mel.npy", "out/mfcc.csv",
                         "out/mel_examples.png", cwd=voice_root)
    assert features.returncode == 0, features.stderr
    assert np.load(voice_root / "out/mel.npy").shape == (14, 128, 128)
    assert (voice_root / "out/mel_examples.png").read_bytes()[:4] == b"\x89PNG"
    assert pd.read_csv(voice_root / "out/mfcc.csv").shape == (14, 3 + 26)


def test_subject_without_clinical_row_is_an_error_or_a_logged_skip(voice_root):
    clinical = pd.read_csv(voice_root / "clinical.csv")
    dropped = clinical["subject"].iloc[0]
    clinical.iloc[1:].to_csv(voice_root / "clinical.csv", index=False)
    result = audio_stage(voice_root)
    assert result.returncode == 2 and dropped in result.stderr.splitlines()[-1]
    assert "Traceback" not in result.stderr and not (voice_root / "out" / "recordings.csv").exists()
    params = (voice_root / "params.yaml").read_text().replace("on_missing_clinical: error", "on_missing_clinical: skip")
    (voice_root / "params.yaml").write_text(params)
    result = audio_stage(voice_root)
    assert result.returncode == 0 and f"skipping 1 subject(s) with no clinical row: {dropped}" in result.stderr
    assert dropped not in set(pd.read_csv(voice_root / "out/recordings.csv")["subject"])


def test_corrupt_wav_is_named_or_skipped(voice_root):
    broken = next((voice_root / "root" / "rhythmKA").glob("*.wav"))
    broken.write_bytes(b"RIFF....WAVEfmt broken")
    result = audio_stage(voice_root)
    assert result.returncode == 2 and broken.name in result.stderr.splitlines()[-1]
    assert not (voice_root / "out" / "recordings.csv").exists()
    assert not list((voice_root / "out").rglob("*.flac")), "no partial outputs"
    params = (voice_root / "params.yaml").read_text().replace("on_bad_audio: error", "on_bad_audio: skip")
    (voice_root / "params.yaml").write_text(params)
    result = audio_stage(voice_root)
    assert result.returncode == 0, result.stderr
    assert len(pd.read_csv(voice_root / "out/recordings.csv")) == 13
    assert len(list((voice_root / "out/audio").rglob("*.flac"))) == 13, "no placeholder for the skipped file"
    assert not list(voice_root.glob("out/.alskit-tmp.*")), "no staging folder left behind"


@pytest.mark.parametrize("code,convs,pooling", [("S1A", 1, "MaxPooling2D"), ("S1B", 1, "AveragePooling2D"),
                                                ("S5B", 5, "AveragePooling2D")])
def test_cnn_scenarios_follow_table_1(code, convs, pooling, tensorflow_one_thread):
    from alskit.voice import cnn
    model = cnn.build(code, dropout=0.3, input_shape=(32, 32), dense_units=8, learning_rate=1e-3, seed=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds.count("Conv2D") == convs and kinds.count(pooling) == convs and kinds.count("Dropout") == 1
    assert [layer.filters for layer in model.layers if hasattr(layer, "filters")] == [16, 32, 64, 128, 256][:convs]
    assert "Dropout" not in [type(l).__name__ for l in cnn.build(code, 0.0, (32, 32), 8, 1e-3, 0).layers]
    assert model.output_shape == (None, 1)


def test_unknown_scenario_is_named():
    from alskit.voice import cnn
    with pytest.raises(UserError, match="unknown CNN scenario 'S6A'"):
        cnn.parse_scenario("S6A")


@pytest.mark.parametrize("group_by_subject", [True, False])
def test_folds_keep_each_subject_on_one_side_when_grouping(group_by_subject):
    from alskit.voice import cnn
    subjects = np.repeat([f"PZ{i:03d}" for i in range(30)] + [f"CT{i:03d}" for i in range(15)], 8)
    labels = np.array([1 if s.startswith("PZ") else 0 for s in subjects])
    folds = cv.assign_folds(labels, subjects, n_folds=5, seed=0, group_by_subject=group_by_subject)
    assert set(folds) == set(range(5))
    leaks = 0
    for k in range(5):
        train, test = folds != k, folds == k
        leaks += len(set(subjects[train]) & set(subjects[test]))
        held = cnn.validation_mask(labels[train], subjects[train], 0.15, 0, group_by_subject)
        leaks += len(set(subjects[train][held]) & set(subjects[train][~held]))
        assert 0.05 < held.mean() < 0.3 and set(labels[train][held]) == {0, 1}
    if group_by_subject:
        assert leaks == 0, "no subject on both sides of any split"
    else:
        assert leaks > 0, "recording-level folds (the paper's protocol) put speakers on both sides"


def test_clinical_preprocessing_is_fit_on_training_rows_only():
    frame = pd.DataFrame({"score": [1.0, 2.0, np.nan, 100.0], "gene": ["SOD1", None, "FUS", "C9"]})
    encoder = workbook.clinical_preprocessor(["score"], ["gene"], "constant", 0).fit(frame.iloc[:3])
    encoded = encoder.transform(frame)
    assert encoded[:3].min() >= 0 and encoded[:3].max() <= 1
    assert encoded[3, 0] == pytest.approx(50.0), "the test row's 100 is scaled with the training range 0..2"
    assert encoded.shape[1] == 1 + 3, "score + one-hot of SOD1, FUS, blank (C9 unseen in training)"


def test_bad_grid_configuration_is_named(stage_dir):
    for grid, message in [({"dropouts": ["lots"]}, "voice.grid.dropouts"),
                          ({"scenarios": ["S7C"]}, "voice.grid.scenarios")]:
        (stage_dir / "params.yaml").write_text(yaml.safe_dump(params_with(voice={"grid": grid})))
        result = run_stage("voice_cnn", "rec.csv", "mel.npy", "out", cwd=stage_dir)
        last = result.stderr.splitlines()[-1]
        assert result.returncode == 2 and message in last, result.stderr
        assert "Traceback" not in result.stderr and not (stage_dir / "out").exists()


def test_too_few_subjects_to_split_is_named_not_a_sklearn_traceback():
    from alskit.voice import cnn

    labels, subjects = np.array([1, 1, 0, 0]), np.array(["PZ001", "PZ002", "CT001", "CT002"])
    with pytest.raises(UserError, match=r"^params.yaml: voice.cv.folds, voice.train.validation_fraction must be "
                                        r"between 2 and the "
                                        r"larger class size of the recordings \(2\) and its number of subjects "
                                        r"\(4\), got 4$"):
        cnn.validation_mask(labels, subjects, 1 / 7, seed=0, group_by_subject=True)
    assert cnn.validation_mask(np.repeat(labels, 4), np.repeat(subjects, 4), 0.5, 0, True).sum() == 8


def _grid_result(mean: float, low: float, high: float, majority_rate: float) -> dict:
    return {"accuracy": {"mean": mean, "std": 0.02}, "accuracy_ci_low": low, "accuracy_ci_high": high,
            "per_recording": {"majority_class": "ALS", "majority_rate": majority_rate}}


def test_table_4_chart_is_a_heat_map_for_a_grid_and_a_dot_beside_the_majority_for_one_configuration(tmp_path,
                                                                                                    monkeypatch):
    """One configuration: its mean CV accuracy as a dot, its interval over subjects as the bar, the majority rate as
    a red vertical line (a one-cell heat map shows a colour, not a comparison); more than one: the heat map."""
    from alskit.common import plots
    from alskit.voice import grid

    drawn = []
    monkeypatch.setattr(plots, "save_png", lambda figure, path, dpi: drawn.append(figure))
    grid.grid_chart({"S1B": {"0.3": _grid_result(0.70, 0.62, 0.77, 0.6667)}}, np.array([[0.70]]), ["S1B"], [0.3],
                    tmp_path / "one.png")
    axes = drawn[-1].axes[0]
    assert not axes.images
    vertical = [line for line in axes.lines if len(set(line.get_xdata())) == 1 and line.get_color() == "red"]
    assert [line.get_xdata()[0] for line in vertical] == [0.6667]
    dot = [line for line in axes.lines if line.get_marker() == "o"]
    assert [tuple(line.get_xdata()) for line in dot] == [(0.70,)]
    bar = axes.collections[0].get_segments()[0]
    assert (bar[0][0], bar[1][0]) == pytest.approx((0.62, 0.77))
    table = {s: {k: _grid_result(0.7, 0.6, 0.8, 0.6667) for k in ("0.3", "0.5")} for s in ("S1A", "S1B")}
    grid.grid_chart(table, np.array([[0.68, 0.70], [0.66, 0.69]]), ["S1A", "S1B"], [0.3, 0.5], tmp_path / "two.png")
    assert drawn[-1].axes[0].images[0].get_array().tolist() == [[0.68, 0.70], [0.66, 0.69]]

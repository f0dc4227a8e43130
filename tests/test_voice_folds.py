"""The voice study's folds called directly (no network, no audio): grouped by speaker when asked, stratified,
seeded, every recording held out once, the settings named when there are too few speakers to split."""
import inspect

import numpy as np
import pytest

from alskit.common import training
from alskit.common.errors import UserError
from alskit.voice import config as voice_config, cv
from conftest import params_with

SUBJECTS = np.repeat([f"S{i:02d}" for i in range(20)], 3)
LABELS = np.repeat(np.arange(20) % 2, 3)


def test_grouped_folds_keep_each_speaker_in_one_fold_stratified_and_seeded():
    folds = cv.assign_folds(LABELS, SUBJECTS, 4, seed=1, group_by_subject=True)
    assert sorted(set(folds)) == [0, 1, 2, 3] and (folds >= 0).all()
    assert all(len(set(folds[SUBJECTS == s])) == 1 for s in set(SUBJECTS))
    assert all(set(LABELS[folds == k]) == {0, 1} for k in range(4))
    assert (folds == cv.assign_folds(LABELS, SUBJECTS, 4, seed=1, group_by_subject=True)).all()
    assert (folds != cv.assign_folds(LABELS, SUBJECTS, 4, seed=2, group_by_subject=True)).any()


def test_recording_level_folds_split_speakers_as_the_paper_did():
    folds = cv.assign_folds(LABELS, SUBJECTS, 4, seed=1, group_by_subject=False)
    assert sorted(set(folds)) == [0, 1, 2, 3]
    assert any(len(set(folds[SUBJECTS == s])) > 1 for s in set(SUBJECTS))
    assert (folds == cv.assign_folds(LABELS, SUBJECTS, 4, seed=1, group_by_subject=False)).all()
    assert (folds != cv.assign_folds(LABELS, SUBJECTS, 4, seed=2, group_by_subject=False)).any()


def test_too_few_speakers_or_recordings_name_the_settings():
    with pytest.raises(UserError, match=r"^params.yaml: voice.cv.folds, voice.train.validation_fraction must be "
                                        r"between 2 and the "
                                        r"larger class size of the recordings \(6\) and its number of subjects "
                                        r"\(4\), got 5$"):
        cv.assign_folds(LABELS[:12], SUBJECTS[:12], 5, seed=0, group_by_subject=True)
    assert len(set(cv.assign_folds(LABELS[:12], SUBJECTS[:12], 4, seed=0, group_by_subject=True))) == 4, \
        "as many folds as speakers is enough"
    with pytest.raises(UserError, match=r"^params.yaml: my.param must be between 2 and the larger class size of the "
                                        r"recordings "
                                        r"\(6\), got 7$"):
        cv.assign_folds(LABELS[:12], SUBJECTS[:12], 7, seed=0, group_by_subject=False, params="my.param")


def test_the_study_folds_follow_voice_cv_and_every_model_shares_them():
    cfg = voice_config.load(params_with(voice={"cv": {"folds": 4, "seed": 3, "group_by_subject": True}}))
    settings = cv.cv_settings(cfg)
    assert (settings.folds, settings.seed, settings.group_by_subject) == (4, 3, True)
    assert (cv.study_folds(LABELS, SUBJECTS, settings)
            == cv.assign_folds(LABELS, SUBJECTS, 4, seed=3, group_by_subject=True)).all()
    assert settings.fit_params["max_epochs"] == cfg.train.max_epochs
    assert settings.balanced == (cfg.train.class_weight == "balanced")


def test_the_network_settings_carry_every_training_parameter_under_the_name_fit_reads():
    cfg = voice_config.load(params_with(voice={"train": {
        "batch_size": 7, "max_epochs": 11, "learning_rate": 0.003, "early_stopping_patience": 4,
        "early_stopping_min_delta": 0.002, "reduce_lr": {"factor": 0.3, "patience": 2, "min_learning_rate": 0.0002},
        "validation_fraction": 0.25, "threads": 1}}))
    settings = cv.cv_settings(cfg)
    assert settings.fit_params == {"batch_size": 7, "max_epochs": 11, "patience": 4, "min_delta": 0.002,
                                   "lr_factor": 0.3, "lr_patience": 2, "min_lr": 0.0002}
    assert set(settings.fit_params) <= set(inspect.signature(training.fit).parameters)
    assert (settings.validation_fraction, settings.learning_rate, settings.threads) == (0.25, 0.003, 1)

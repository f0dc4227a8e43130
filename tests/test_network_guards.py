"""The networks' early stopping, learning-rate schedule and best-weights checkpoint watch a validation share of
the training subjects, never the scored fold (the CNN grid's CV and the fusion CV), checked by spying on every
fold's fit. Apart from tests/test_guards.py because these import TensorFlow (make mutate runs test_guards.py in
processes forked from a server, which TensorFlow does not survive)."""
import numpy as np
import pandas as pd

from alskit.common import audit
from conftest import params_with


class _Constant:
    """A stand-in network: predicts 0.5 for every row it is shown (a tuple of inputs: rows of the first)."""

    def predict(self, rows, batch_size=None, verbose=0):
        return np.full((len(rows[0] if isinstance(rows, tuple) else rows), 2), 0.5)


def test_early_stopping_watches_training_subjects_never_the_scored_fold(monkeypatch):
    """Planted bug: the networks' validation data (early stopping, the learning-rate schedule, the best-weights
    checkpoint) taken from the scored fold. Every fold's fit is spied on: its validation rows are training rows of
    that fold, of subjects neither in the scored fold nor among the rows it fits on."""
    from alskit.voice import cnn, cv as voice_cv

    seen = []
    monkeypatch.setattr(cnn.training, "set_threads", lambda threads: None)
    monkeypatch.setattr(cnn.training, "seed_everything", lambda seed: None)
    monkeypatch.setattr(cnn.training, "fit", lambda model, x, y, x_val, y_val, **kw: seen.append((x, x_val)) or {})
    subjects = np.repeat([f"S{i:02d}" for i in range(20)], 4)
    labels = np.repeat(np.arange(20) % 2, 4)
    folds = voice_cv.assign_folds(labels, subjects, 5, seed=0, group_by_subject=True)
    predictions, _ = cnn.cross_validate(lambda example: _Constant(), lambda train: (lambda rows: rows), labels,
                                        subjects, folds, {}, 0.25, True, seed=0, threads=1, desc="spy",
                                        balanced=False)
    assert len(seen) == 5 and len(predictions) == 80
    for k, (fit_rows, validation_rows) in enumerate(seen):
        scored = set(subjects[folds == k])
        assert len(validation_rows) and set(validation_rows) <= set(np.flatnonzero(folds != k))
        assert not set(subjects[validation_rows]) & scored
        assert not set(subjects[validation_rows]) & set(subjects[fit_rows])
        assert not set(subjects[fit_rows]) & scored


def test_the_fusion_cv_validates_on_training_subjects_and_fits_its_encoder_without_the_fold(monkeypatch):
    """The multimodal CV, as the stage runs it: each fold's clinical encoder is fit on that fold's training
    recordings only, and early stopping watches recordings of training subjects, never the scored fold. Each
    image carries its row number, so the rows every fit saw are read back from what it was given."""
    from alskit.voice import cnn, config as voice_config, cv as voice_cv, multimodal

    seen = []
    monkeypatch.setattr(cnn.training, "set_threads", lambda threads: None)
    monkeypatch.setattr(cnn.training, "seed_everything", lambda seed: None)
    monkeypatch.setattr(cnn, "build_multimodal", lambda *args, **kw: _Constant())
    monkeypatch.setattr(cnn.training, "fit",
                        lambda model, x, y, x_val, y_val, **kw: seen.append((x[0][:, 0, 0], x_val[0][:, 0, 0])) or {})
    subjects = np.repeat([f"S{i:02d}" for i in range(20)], 4)
    labels = np.repeat(np.arange(20) % 2, 4)
    recordings = pd.DataFrame({"subject": subjects, "label": labels})
    images = np.broadcast_to(np.arange(80.0)[:, None, None], (80, 4, 4)).copy()
    tabular = pd.DataFrame({"age": np.random.default_rng(0).normal(60, 10, 80)})
    cfg = voice_config.load(params_with(voice={"cv": {"folds": 5}}))
    folds = voice_cv.assign_folds(labels, subjects, 5, seed=0, group_by_subject=True)
    predictions, _, encoders = multimodal.fusion_cv(images, tabular, recordings, folds, ["age"], cfg, "spy")
    assert len(seen) == 5 and sorted(predictions["row"]) == list(range(80))
    assert audit.folds_fit_on_held_out_rows(encoders, pd.Series(folds), tabular) == []
    for k, (fit_rows, validation_rows) in enumerate(seen):
        fit_rows, validation_rows = fit_rows.astype(int), validation_rows.astype(int)
        scored = set(subjects[folds == k])
        assert len(validation_rows) and not set(subjects[validation_rows]) & scored
        assert not set(subjects[validation_rows]) & set(subjects[fit_rows])
        assert not set(subjects[fit_rows]) & scored

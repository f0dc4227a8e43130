"""Benchmark of the acoustic stages (seed 002): eGeMAPS + Praat + DDK extraction per recording, then each classic
model's subject-grouped CV, with the settings and demo sizes of ``params.yaml``.

Prints recordings per second on all cores (target: the demo's 1224 recordings in under 60 s on 2 cores) and peak
memory. Run: .venv/bin/python benchmarks/voice_acoustic.py [n_subjects]   (or `make bench`)
"""
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import soundfile
from _measure import params, timed
from joblib import Parallel, delayed

from alskit.voice import acoustic, config, cv as voice_cv, demo as demo_voice

cfg = config.load(params())
demo, settings, cv = cfg.demo, cfg.acoustic, cfg.cv
n_subjects = int(sys.argv[1]) if len(sys.argv) > 1 else demo.n_als + demo.n_hc
n_als = round(n_subjects * demo.n_als / (demo.n_als + demo.n_hc))
with tempfile.TemporaryDirectory() as folder:
    root = Path(folder)
    with timed(f"demo cohort: {n_subjects} subjects x {len(cfg.tasks)} tasks"):
        clinical, audio = demo_voice.make_cohort(n_als, n_subjects - n_als, cfg.tasks, demo.sample_rate,
                                                 demo.snr_db, seed=demo.seed)
    rows = []
    for subject, label, recordings in zip(clinical["ID"], clinical["Category"], audio):
        for task, samples in recordings.items():
            path = root / f"{subject}_{task}.wav"
            soundfile.write(path, samples, demo.sample_rate, subtype="PCM_16")
            rows.append({"subject": subject, "task": task, "label": int(label == "ALS"), "path": str(path)})
    table = pd.DataFrame(rows)
    extract = settings.model_dump(include={"sample_rate", "top_db", "f0_min", "f0_max", "window_seconds"})
    Parallel(n_jobs=-1)(delayed(acoustic.features)(p, t, **extract) for p, t in zip(table["path"][:4],
                                                                                   table["task"][:4]))  # warm up
    start = time.perf_counter()
    with timed(f"acoustic features: {len(table)} recordings"):
        measures = pd.DataFrame(Parallel(n_jobs=-1, batch_size=8)(
            delayed(acoustic.features)(p, t, **extract) for p, t in zip(table["path"], table["task"])))
    print(f"acoustic features throughput: {len(table) / (time.perf_counter() - start):.1f} recordings/s on all cores")
    features = pd.concat([table[["subject", "task", "label"]], measures], axis=1)
    labels, subjects = features["label"].to_numpy(), features["subject"].to_numpy()
    folds = voice_cv.study_folds(labels, subjects, voice_cv.cv_settings(cfg))
    X = acoustic.design_matrix(features, cfg.tasks)
    for model in settings.models:
        with timed(f"{model}: {cv.folds}-fold CV, {X.shape[0]} x {X.shape[1]}"):
            acoustic.cross_validate(model, getattr(settings, model).model_dump(), X, labels, folds, cv.seed,
                                    settings.class_weight == "balanced")

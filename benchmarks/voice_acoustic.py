"""Benchmark of the acoustic stages (voice study): eGeMAPS + Praat + DDK extraction on every window, each classic
model's subject-grouped CV, the nested repeated CV of the headline and the severity task, with the settings and
demo sizes of ``params.yaml``.

With a demo rate above ``voice.acoustic.min_sample_rate`` (``--rate 44100``) it also measures the same recordings
resampled to that minimum first: extraction time and the per-subject AUROC of each model, native against
resampled. With a demo rate below it (the default 8-kHz demo) it also measures the recordings at their own rate,
without the resample up: extraction time, and how far each measure moves (its correlation over recordings with
the resampled measure). Both inform docs/voice.md, "Sample rates".

Run: .venv/bin/python benchmarks/voice_acoustic.py [n_subjects] [--rate HZ]   (or `make bench`)
"""
import argparse
import tempfile
import time
from pathlib import Path

import librosa
import numpy as np
import pandas as pd
import soundfile
from _measure import params, timed

from alskit.common import metrics
from alskit.voice import acoustic, config, cv as voice_cv, demo as demo_voice, evaluate, nested, severity

cfg = config.load(params())
demo, settings, cv = cfg.demo, cfg.acoustic, cfg.cv
parser = argparse.ArgumentParser()
parser.add_argument("n_subjects", nargs="?", type=int, default=demo.n_als + demo.n_hc)
parser.add_argument("--rate", type=int, default=demo.sample_rate)
args = parser.parse_args()
n_als = round(args.n_subjects * demo.n_als / (demo.n_als + demo.n_hc))
extract = settings.model_dump(include={"min_sample_rate", "top_db", "f0_min", "f0_max", "window_seconds"})


def measure(table: pd.DataFrame, label: str, min_rate: int = settings.min_sample_rate) -> pd.DataFrame:
    """The stage's long measures table of the recordings in ``table`` (column ``path``), timed, with recordings
    below ``min_rate`` resampled up to it."""
    chosen = {**extract, "min_sample_rate": min_rate}
    acoustic.measure_all(list(table["path"][:4]), list(table["task"][:4]), chosen)  # warm up the workers
    start = time.perf_counter()
    with timed(f"{label}: {len(table)} recordings x {len(settings.window_seconds)} windows"):
        measures = acoustic.measure_all(list(table["path"]), list(table["task"]), chosen)
    print(f"{label}: {len(table) / (time.perf_counter() - start):.1f} recordings/s on all cores")
    source = table.iloc[measures.pop("recording")].reset_index(drop=True)
    return pd.concat([source[["subject", "task", "label"]], measures], axis=1)


def agreement(resampled: pd.DataFrame, own: pd.DataFrame) -> None:
    """How far each voice measure moves when taken at the recordings' own rate instead of resampled up: its
    Pearson correlation over recordings and windows with the resampled measure (measures defined on both)."""
    names = [c for c in resampled.columns if c not in (*acoustic.NOT_MEASURES, *acoustic.DDK)]
    r = resampled[names].corrwith(own[names]).dropna().sort_values()
    print(f"own rate against resampled: {(r > 0.99).sum()} of {len(r)} measures correlate above 0.99, "
          f"{(r > 0.9).sum()} above 0.9; lowest: " + ", ".join(f"{c} {v:.2f}" for c, v in r.head(5).items()))


def per_model(features: pd.DataFrame, label: str) -> None:
    """Each model's subject-grouped CV on the first window, timed, with its per-subject AUROC."""
    first = acoustic.first_window(features, cfg)
    labels, subjects = first["label"].to_numpy(), first["subject"].to_numpy()
    folds = voice_cv.study_folds(labels, subjects, voice_cv.cv_settings(cfg))
    X = acoustic.design_matrix(first, cfg.tasks)
    for model in settings.models:
        with timed(f"{label}, {model}: {cv.folds}-fold CV, {X.shape[0]} x {X.shape[1]}"):
            predictions, _ = acoustic.cross_validate(model, getattr(settings, model).model_dump(), X, labels, folds,
                                                     cv.seed, settings.class_weight == "balanced")
        people = evaluate.subject_predictions(predictions.assign(subject=subjects[predictions["row"]]))
        print(f"{label}, {model}: per-subject AUROC "
              f"{metrics.clinical_metrics(people['y_true'], people['p'])['auroc']:.3f}")


with tempfile.TemporaryDirectory() as folder:
    root = Path(folder)
    with timed(f"demo cohort: {args.n_subjects} subjects x {len(cfg.tasks)} tasks at {args.rate} Hz"):
        clinical, audio = demo_voice.make_cohort(n_als, args.n_subjects - n_als, cfg.tasks, args.rate, demo.snr_db,
                                                 seed=demo.seed)
    rows = []
    for subject, label, recordings in zip(clinical["ID"], clinical["Category"], audio):
        for task, samples in recordings.items():
            path = root / f"{subject}_{task}.wav"
            soundfile.write(path, samples, args.rate, subtype="PCM_16")
            rows.append({"subject": subject, "task": task, "label": int(label == "ALS"), "path": str(path)})
    table = pd.DataFrame(rows)
    measured_at = f"{max(args.rate, settings.min_sample_rate)} Hz"
    features = measure(table, f"features at {measured_at}")
    per_model(features, measured_at)
    if args.rate > settings.min_sample_rate:
        for path in table["path"]:
            samples, _ = soundfile.read(path)
            down = librosa.resample(samples, orig_sr=args.rate, target_sr=settings.min_sample_rate,
                                    res_type="soxr_hq")
            soundfile.write(path, down, settings.min_sample_rate, subtype="PCM_16")
        per_model(measure(table, f"features resampled to {settings.min_sample_rate} Hz"), "resampled")
    elif args.rate < settings.min_sample_rate:
        own = measure(table, f"features at the recordings' own {args.rate} Hz", min_rate=args.rate)
        agreement(features, own)
        per_model(own, f"{args.rate} Hz, own rate")

    recordings = nested.recordings_of(features)
    labels, subjects = recordings["label"].to_numpy(), recordings["subject"].to_numpy()
    models = {m: getattr(settings, m).model_dump() for m in settings.models}
    candidates = nested.candidates_of(features, settings.models, models, cfg.nested.feature_sets, cfg.tasks, cv.seed)
    with timed(f"nested CV: {len(candidates)} candidates x {cv.folds} folds x {cfg.nested.repeats} seeds"):
        result = nested.nested_cv(candidates, labels, subjects, cv.folds, cfg.nested.inner_folds,
                                  nested.seeds_of(cv.seed, cfg.nested.repeats), "auroc",
                                  settings.class_weight == "balanced")
    print(f"nested CV: best of candidates {nested.best_of_candidates(result)}")

    people_table = clinical.rename(columns={"ID": "subject"}).assign(label=(clinical["Category"] == "ALS").astype(int))
    people, levels = severity.classes(people_table, cfg.severity.target, cv.folds)
    codes = people.set_index("subject")["code"]
    models = {m: getattr(settings, m).model_dump() for m in cfg.severity.models}
    candidates = nested.candidates_of(features, cfg.severity.models, models, cfg.nested.feature_sets, cfg.tasks,
                                      cv.seed)
    with timed(f"severity: {len(candidates)} candidates x {cv.folds} folds x {cfg.severity.repeats} seeds"):
        nested.nested_cv(candidates, codes[subjects].to_numpy(), subjects, cv.folds, cfg.nested.inner_folds,
                         nested.seeds_of(cv.seed, cfg.severity.repeats), "macro_f1",
                         settings.class_weight == "balanced")
    print(f"severity classes: {levels['subjects']}; {np.mean(labels):.3f} of recordings ALS")

"""Standard acoustic measures of every recording kept by voice_audio: openSMILE eGeMAPSv02 functionals, Praat's
jitter, shimmer, HNR, CPPS and F0, and for the syllable tasks the diadochokinetic rate and regularity
(``alskit.voice.acoustic``), taken on the original files, trimmed at both ends only.

Usage: python stages/voice_acoustic_features.py VOC_ALS_ROOT RECORDINGS_CSV FEATURES_CSV METRICS_JSON
Writes one row per recording (in RECORDINGS_CSV's order: subject, task, label, measures) and counts only (no
subject IDs): recordings, measures, and per Praat/DDK measure how many recordings it is undefined for.
"""
import logging

import pandas as pd
from joblib import Parallel, delayed
from tqdm import tqdm

from alskit.voice import acoustic, dataset as voice
from alskit.common.cli import run
from alskit.voice import config
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")
# Fewer files are measured in this process: each worker process first imports librosa, openSMILE and Praat (about
# 5 s), more than 50 files take here.
PARALLEL_FROM = 50


def main(root: str, recordings_path: str, features_path: str, metrics_path: str) -> None:
    cfg = config.load()
    settings = cfg.acoustic.model_dump(include={"sample_rate", "top_db", "f0_min", "f0_max", "window_seconds"})
    recordings = read_csv(recordings_path)
    sources = voice.list_recordings(root, cfg.tasks).set_index(["subject", "task"])["path"]
    paths = sources.loc[list(zip(recordings["subject"], recordings["task"]))].to_numpy()
    log.info("%d recordings of %d subjects: eGeMAPSv02 + Praat measures at %d Hz on the central %s s",
             len(recordings), recordings["subject"].nunique(), settings["sample_rate"],
             settings["window_seconds"] or "all")
    jobs = (delayed(acoustic.features)(path, task, **settings) for path, task in zip(paths, recordings["task"]))
    workers = -1 if len(paths) >= PARALLEL_FROM else 1
    rows = list(tqdm(Parallel(n_jobs=workers, return_as="generator", batch_size=8)(jobs), total=len(paths),
                     desc="acoustic features", unit="file"))
    measures = pd.DataFrame(rows)
    table = pd.concat([recordings[["subject", "task", "label"]], measures], axis=1)
    undefined = acoustic.undefined_counts(measures, recordings["task"])
    for name, count in undefined.items():
        if count:
            log.info("%s undefined (Praat found no periodic voice, or too few syllables) for %d recording(s); "
                     "imputed inside the CV folds", name, count)
    egemaps = [c for c in measures.columns if c.startswith("egemaps_")]
    report = {"recordings": len(table), "measures": measures.shape[1], "egemaps_measures": len(egemaps),
              "undefined": undefined, "egemaps_undefined_cells": int(measures[egemaps].isna().sum().sum()),
              "syllable_task_recordings": int(recordings["task"].map(acoustic.is_syllable_task).sum())}
    with AtomicOutputs() as out:
        out.csv(table, features_path)
        out.json(report, metrics_path)
    log.info("%d recordings x %d measures written", len(table), measures.shape[1])


if __name__ == "__main__":
    run(main)

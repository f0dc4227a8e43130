"""Standard acoustic measures of every recording kept by voice_audio: openSMILE eGeMAPSv02 functionals, Praat's
jitter, shimmer, HNR, CPPS and F0, and for the syllable tasks the diadochokinetic rate and regularity
(``alskit.voice.acoustic``), taken on the original files, trimmed at both ends only.

Usage: python stages/voice_acoustic_features.py VOC_ALS_ROOT RECORDINGS_CSV FEATURES_CSV METRICS_JSON
Writes one row per recording (in RECORDINGS_CSV's order: subject, task, label, measures) and counts only (no
subject IDs): recordings, measures, and per Praat/DDK measure how many recordings it is undefined for.
"""
import logging

import pandas as pd

from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv
from alskit.voice import acoustic, config, dataset

log = logging.getLogger("alskit")


def main(root: str, recordings_path: str, features_path: str, metrics_path: str) -> None:
    cfg = config.load()
    settings = cfg.acoustic.model_dump(include={"sample_rate", "top_db", "f0_min", "f0_max", "window_seconds"})
    recordings = read_csv(recordings_path)
    sources = dataset.list_recordings(root, cfg.tasks).set_index(["subject", "task"])["path"]
    paths = sources.loc[list(zip(recordings["subject"], recordings["task"]))].to_numpy()
    log.info("%d recordings of %d subjects: eGeMAPSv02 + Praat measures at %d Hz on the central %s s",
             len(recordings), recordings["subject"].nunique(), settings["sample_rate"],
             settings["window_seconds"] or "all")
    measures = acoustic.measure_all(paths, recordings["task"], settings)
    table = pd.concat([recordings[["subject", "task", "label"]], measures], axis=1)
    with AtomicOutputs() as out:
        out.csv(table, features_path)
        out.json(acoustic.measures_report(measures, recordings["task"]), metrics_path)
    log.info("%d recordings x %d measures written", len(table), measures.shape[1])


if __name__ == "__main__":
    run(main)

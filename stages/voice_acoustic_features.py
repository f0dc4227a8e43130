"""Standard acoustic measures of every recording kept by voice_audio: openSMILE eGeMAPSv02 functionals, Praat's
jitter, shimmer, HNR, CPPS and F0, and for the syllable tasks the diadochokinetic rate and regularity
(``alskit.voice.acoustic``), taken on the original files at their own rate (16 kHz at least), trimmed at both
ends only, on every window of ``voice.acoustic.window_seconds``.

Usage: python stages/voice_acoustic_features.py VOC_ALS_ROOT RECORDINGS_CSV FEATURES_CSV METRICS_JSON
Writes one row per recording and window (in RECORDINGS_CSV's order: subject, task, label, window, source_rate,
measures) and counts only (no subject IDs), per window: recordings, measures, per Praat/DDK measure how many
recordings it is undefined for, and recordings per own sample rate and class.
"""
import logging

import pandas as pd

from alskit.common import records
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv
from alskit.voice import acoustic, config, records as voice_records, wav

log = logging.getLogger("alskit")


def main(root: str, recordings_path: str, features_path: str, metrics_path: str) -> None:
    cfg = config.load()
    settings = cfg.acoustic.model_dump(include={"min_sample_rate", "top_db", "f0_min", "f0_max", "window_seconds"})
    recordings = read_csv(recordings_path)
    sources = wav.list_recordings(root, cfg.tasks).set_index(["subject", "task"])["path"]
    paths = sources.loc[list(zip(recordings["subject"], recordings["task"]))].to_numpy()
    windows = [acoustic.window_name(w) for w in settings["window_seconds"]]
    log.info("%d recordings of %d subjects: eGeMAPSv02 + Praat measures at the recording's own rate (%d Hz at "
             "least) on windows %s", len(recordings), recordings["subject"].nunique(), settings["min_sample_rate"],
             ", ".join(windows))
    measures = acoustic.measure_all(paths, recordings["task"], settings)
    source = recordings.iloc[measures.pop("recording")].reset_index(drop=True)
    table = pd.concat([source[["subject", "task", "label"]], measures], axis=1)
    report = {window: acoustic.measures_report(part, source["task"][part.index], source["label"][part.index])
              for window, part in measures.groupby("window", sort=False)}
    with AtomicOutputs() as out:
        out.csv(table, features_path)
        out.json(records.checked(voice_records.AcousticFeatures, report), metrics_path)
    log.info("%d recordings x %d windows x %d measures written", len(recordings), len(windows),
             measures.shape[1] - 2)


if __name__ == "__main__":
    run(main)

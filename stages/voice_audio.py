"""Seed 002, IV.B (audio part): every recording to mono, 22.05 kHz, 16-bit, with silences removed.

Usage: python stages/voice_audio.py VOC_ALS_ROOT CLINICAL_CSV AUDIO_DIR RECORDINGS_CSV AUDIO_METRICS_JSON
Writes AUDIO_DIR/<task>/<ID>_<task>.flac (lossless 16-bit), an index of all recordings with each file's
facts (input format, peak, clipped share, channel used, truncation), and counts only (no subject IDs):
files per task, files ignored or skipped and why, channels replaced, subjects missing tasks, per class.
"""
from alskit.common import records
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv
from alskit.voice import config, preparation, records as voice_records, wav


def main(root: str, clinical_path: str, audio_dir: str, recordings_path: str, metrics_path: str) -> None:
    cfg = config.load()
    labels = read_csv(clinical_path, index_col="subject")["label"]
    recordings, found, ignored, unknown = preparation.matched_recordings(root, labels, clinical_path, cfg.tasks,
                                                                         cfg.on_missing_clinical)
    with AtomicOutputs() as out:
        staging = out.directory(audio_dir)  # swapped in whole at the end: skipped files leave no placeholder
        index, facts, bad = preparation.prepare_all(recordings, staging, cfg.audio, cfg.on_bad_audio, root)
        out.csv(index, recordings_path)
        counts = wav.audio_counts(recordings, facts, bad, cfg.tasks, found, ignored, unknown, labels)
        out.json(records.checked(voice_records.Audio, counts), metrics_path)
    preparation.log_summary(recordings, index)


if __name__ == "__main__":
    run(main)

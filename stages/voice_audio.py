"""Seed 002, IV.B (audio part): every recording to mono, 22.05 kHz, 16-bit, with silences removed.

Usage: python stages/voice_audio.py VOC_ALS_ROOT CLINICAL_CSV AUDIO_DIR RECORDINGS_CSV
Writes AUDIO_DIR/<task>/<ID>_<task>.flac (lossless 16-bit) and an index of all recordings.
"""
import logging
from pathlib import Path

import pandas as pd
import soundfile
from joblib import Parallel, delayed
from tqdm import tqdm

from alskit import voice
from alskit.cli import UserError, load_params, param, run
from alskit.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")
CHOICES = ("error", "skip")


def prepare_one(source: str, target: Path, rate: int, top_db: float, min_seconds: float) -> dict:
    """Prepare one file; return its facts, or the reason it is unusable under ``error``."""
    try:
        samples, rate_in, bits = voice.read_wav(source)
    except UserError as err:
        return {"error": str(err)}
    prepared = voice.prepare(samples, rate_in, rate, top_db)
    if len(prepared) < min_seconds * rate:
        return {"error": f"{source}: {len(prepared) / rate:.2f} s of sound after silence removal, "
                         f"less than voice.audio.min_seconds = {min_seconds}"}
    soundfile.write(target, prepared, rate, subtype="PCM_16", format="FLAC")
    return {"error": None, "rate_in": rate_in, "channels_in": samples.shape[1], "bits_in": bits,
            "seconds_in": len(samples) / rate_in, "seconds_out": len(prepared) / rate}


def main(root: str, clinical_path: str, audio_dir: str, recordings_path: str) -> None:
    params = load_params()
    rate = param(params, "voice.audio.sample_rate", int, lambda v: v > 0, "a positive integer")
    top_db = param(params, "voice.audio.top_db", (int, float), lambda v: v > 0, "a positive number")
    min_seconds = param(params, "voice.audio.min_seconds", (int, float))
    on_missing = param(params, "voice.on_missing_clinical", str, lambda v: v in CHOICES, " or ".join(CHOICES))
    on_bad = param(params, "voice.on_bad_audio", str, lambda v: v in CHOICES, " or ".join(CHOICES))
    recordings = voice.list_recordings(root, param(params, "voice.tasks", list))
    labels = read_csv(clinical_path, index_col="subject")["label"]
    unknown = sorted(set(recordings["subject"]) - set(labels.index))
    if unknown and on_missing == "error":
        raise UserError(f"{root}: subject(s) {', '.join(unknown[:5])} have recordings but no clinical row "
                        "(set voice.on_missing_clinical: skip to leave them out)")
    if unknown:
        log.info("skipping %d subject(s) with no clinical row: %s", len(unknown), ", ".join(unknown))
    recordings = recordings[~recordings["subject"].isin(unknown)].reset_index(drop=True)
    recordings["label"] = recordings["subject"].map(labels).astype(int)
    recordings["file"] = [f"{task}/{subject}_{task}.flac" for subject, task in
                          zip(recordings["subject"], recordings["task"])]
    with AtomicOutputs() as out:
        staging = out.directory(audio_dir)  # swapped in whole at the end: skipped files leave no placeholder
        for task in recordings["task"].unique():
            (staging / task).mkdir()
        jobs = (delayed(prepare_one)(src, staging / f, rate, top_db, min_seconds)
                for src, f in zip(recordings["path"], recordings["file"]))
        facts = pd.DataFrame(list(tqdm(Parallel(n_jobs=-1, return_as="generator")(jobs), total=len(recordings),
                                       desc="audio prep", unit="file")))
        bad = facts["error"].notna().to_numpy()
        if bad.any() and on_bad == "error":
            raise UserError(f"{facts['error'][bad].iloc[0]} ({bad.sum()} unusable file(s); "
                            "set voice.on_bad_audio: skip to leave them out)")
        for message in facts["error"][bad]:
            log.info("skipping: %s", message)
        index = pd.concat([recordings, facts], axis=1)[~bad].drop(columns=["path", "error"])
        out.csv(index, recordings_path)
    log.info("%d recordings in (%d subjects), %d out; %.0f s of audio before, %.0f s after silence removal",
             len(recordings), recordings["subject"].nunique(), len(index), index["seconds_in"].sum(),
             index["seconds_out"].sum())
    log.info("input sample rates %s, channels %s", sorted(index["rate_in"].unique().tolist()),
             sorted(index["channels_in"].unique().tolist()))


if __name__ == "__main__":
    run(main)

"""Seed 002, IV.B (audio part): the VOC-ALS folder's recordings matched to the clinical table and each one
prepared (mono, 22.05 kHz, 16-bit FLAC, silences removed), with every file accounted for.

Named policies decide what a surprise in the data does: ``voice.on_missing_clinical`` (recordings of a subject
with no clinical row: ``error`` stops, ``skip`` leaves the subject out and logs it) and ``voice.on_bad_audio``
(an unusable file: ``error`` stops naming it, ``skip`` leaves it out and counts it by reason).
"""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import soundfile

from alskit.common import compute
from alskit.common.errors import UserError
from alskit.voice import wav
from alskit.voice.config import Audio

log = logging.getLogger("alskit")
FACTS = ["format_in", "rate_in", "channels_in", "bits_in", "truncated", "seconds_in", "seconds_out", "peak_dbfs",
         "clipped_share", "channel", "channel_fix"]
# Fewer files are prepared in this process: worker processes each import numpy/scipy/librosa first, which
# costs more than they save (239 demo files on 2 busy cores: 24 s here, 51 s on workers).
PARALLEL_FROM = 500


def matched_recordings(root: str, labels: pd.Series, clinical_path: str, tasks: list[str], on_missing: str
                       ) -> tuple[pd.DataFrame, pd.DataFrame, dict, list[str]]:
    """The recordings under ``root`` whose subject has a clinical label (``labels``, by subject, read from
    ``clinical_path``), with their
    ``label`` and output ``file``; all files found, the files ignored by kind, and the subjects left out."""
    found, ignored = wav.scan_recordings(root, tasks)
    if ignored["system_files"]:
        log.info("ignored %d system file(s) in the task folders (._*, .DS_Store, Thumbs.db, other hidden names)",
                 ignored["system_files"])
    if ignored["other_files"]:
        log.info("ignored %d other file(s) in the task folders that are not .wav", ignored["other_files"])
    unknown = sorted(set(found["subject"]) - set(labels.index))
    if unknown and on_missing == "error":
        raise UserError(f"{root}: subject(s) {', '.join(unknown[:5])} have recordings but no clinical row "
                        "(set voice.on_missing_clinical: skip to leave them out)")
    if unknown:
        log.info("skipping %d subject(s) with no clinical row: %s", len(unknown), ", ".join(unknown))
    recordings = found[~found["subject"].isin(unknown)].reset_index(drop=True)
    if recordings.empty:
        raise UserError(f"{clinical_path}: none of the {len(unknown)} subject(s) with recordings in {root} has a "
                        "clinical row; expected the clinical table of these recordings")
    recordings["label"] = recordings["subject"].map(labels).astype(int)
    recordings["file"] = [f"{task}/{subject}_{task}.flac" for subject, task in
                          zip(recordings["subject"], recordings["task"])]
    lacking = wav.missing_tasks(recordings, tasks)
    if lacking:
        log.info("%d of %d subject(s) lack recordings of some tasks: %s", len(lacking),
                 recordings["subject"].nunique(),
                 "; ".join(f"{subject} ({', '.join(lack)})" for subject, lack in sorted(lacking.items())))
    return recordings, found, ignored, unknown


def prepare_one(source: str, target: Path, rate: int, top_db: float, min_seconds: float) -> dict:
    """Prepare one file; return its facts and log notes, or why it is unusable (message and reason)."""
    try:
        prepared, facts = wav.prepare_file(source, rate, top_db, min_seconds)
    except wav.Unusable as err:
        return {"error": str(err), "reason": err.reason, "notes": []}
    soundfile.write(target, prepared, rate, subtype="PCM_16", format="FLAC")
    return {"error": None, "reason": None, **facts}


def prepare_all(recordings: pd.DataFrame, folder: Path, audio: Audio, on_bad: str, root: str
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Every recording prepared into ``folder/<file>`` (in parallel from :data:`PARALLEL_FROM` files on): the
    index of usable recordings with their facts, every file's facts, and which files were unusable."""
    for task in recordings["task"].unique():
        (folder / task).mkdir()
    calls = [(src, folder / f, audio.sample_rate, audio.top_db, audio.min_seconds)
             for src, f in zip(recordings["path"], recordings["file"])]
    facts = pd.DataFrame(compute.run(prepare_one, calls, list(recordings["file"]), desc="audio prep", unit="file",
                                     workers=-1 if len(recordings) >= PARALLEL_FROM else 1))
    for notes in facts["notes"]:
        for note in notes:
            log.info("%s", note)
    bad = facts["error"].notna()
    if bad.any() and on_bad == "error":
        raise UserError(f"{facts['error'][bad].iloc[0]} ({bad.sum()} unusable file(s); "
                        "set voice.on_bad_audio: skip to leave them out)")
    if bad.all():
        raise UserError(f"{root}: none of the {len(recordings)} recordings is usable "
                        f"(first: {facts['error'].iloc[0]})")
    for message in facts["error"][bad]:
        log.info("skipping: %s", message)
    return pd.concat([recordings.drop(columns="path"), facts[FACTS]], axis=1)[~bad.to_numpy()], facts, bad


def log_summary(recordings: pd.DataFrame, index: pd.DataFrame) -> None:
    """Counts in and out, seconds before and after silence removal, input formats, clipped recordings."""
    log.info("%d recordings in (%d subjects), %d out; %.0f s of audio before, %.0f s after silence removal",
             len(recordings), recordings["subject"].nunique(), len(index), index["seconds_in"].sum(),
             index["seconds_out"].sum())
    log.info("input sample rates %s, channels %s", sorted(index["rate_in"].unique().tolist()),
             sorted(index["channels_in"].unique().tolist()))
    clipped = index[index["clipped_share"] >= wav.CLIPPED_SHARE]
    if len(clipped):
        log.info("%d recording(s) clipped (at least %.1f%% of samples at full scale): %s", len(clipped),
                 100 * wav.CLIPPED_SHARE, ", ".join(f"{s}_{t} ({share:.1%})" for s, t, share in
                                                 zip(clipped["subject"], clipped["task"], clipped["clipped_share"])))

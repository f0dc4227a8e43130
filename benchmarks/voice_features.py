"""Benchmark of the voice preprocessing stages (seed 002): audio clean-up and mel + MFCC extraction.

Prints recordings per second on all cores (target: at least 100/s on 2 cores) and peak memory.
Run: .venv/bin/python benchmarks/voice_features.py [n_subjects]   (or `make bench`)
"""
import sys
import tempfile
import time
from pathlib import Path

import soundfile
from _measure import timed
from joblib import Parallel, delayed

from alskit import demo_voice, voice

MEL = dict(n_fft=2048, hop_length=512, n_mels=128, fmax=11025, frames=128)
MFCC = dict(n_mfcc=13, n_filters=40, pre_emphasis=0.97, frame_length=0.025, frame_step=0.010)


def prepare_file(source: Path, target: Path) -> None:
    samples, rate, _ = voice.read_wav(source)
    soundfile.write(target, voice.prepare(samples, rate, 22050, 30), 22050, subtype="PCM_16", format="FLAC")


def features_file(path: Path) -> None:
    signal, rate = soundfile.read(path)
    voice.log_mel(signal, rate, **MEL)
    voice.mfcc_summary(signal, rate, **MFCC)


n_subjects = int(sys.argv[1]) if len(sys.argv) > 1 else 30
with tempfile.TemporaryDirectory() as folder:
    root = Path(folder)
    with timed(f"demo cohort: {n_subjects} subjects x 8 tasks"):
        clinical, audio = demo_voice.make_cohort(n_subjects * 2 // 3, n_subjects - n_subjects * 2 // 3,
                                                 voice.TASKS, 8000, 35, seed=0)
    wavs = []
    for subject, recordings in zip(clinical["ID"], audio):
        for task, samples in recordings.items():
            wavs.append(root / f"{subject}_{task}.wav")
            soundfile.write(wavs[-1], samples, 8000, subtype="PCM_16")
    flacs = [w.with_suffix(".flac") for w in wavs]
    Parallel(n_jobs=-1)(delayed(prepare_file)(w, f) for w, f in zip(wavs[:4], flacs))  # start workers, warm up librosa
    with timed(f"audio prep: {len(wavs)} recordings"):
        Parallel(n_jobs=-1, batch_size=16)(delayed(prepare_file)(w, f) for w, f in zip(wavs, flacs))
    start = time.perf_counter()
    with timed(f"mel + MFCC: {len(flacs)} recordings"):
        Parallel(n_jobs=-1, batch_size=16)(delayed(features_file)(f) for f in flacs)
    print(f"mel + MFCC throughput: {len(flacs) / (time.perf_counter() - start):.0f} recordings/s on all cores")

"""Benchmark of the voice preprocessing stages (seed 002): audio clean-up and mel + MFCC extraction.

Prints recordings per second on all cores (target: at least 100/s on 2 cores) and peak memory.
Run: .venv/bin/python benchmarks/voice_features.py [n_subjects]   (or `make bench`)
"""
import sys
import tempfile
import time
from pathlib import Path

import soundfile
from _measure import params, timed
from joblib import Parallel, delayed

from alskit.voice import config, demo as demo_voice, spectra, wav

cfg = config.load(params())
MEL, MFCC, AUDIO, DEMO = cfg.mel.model_dump(), cfg.mfcc.model_dump(), cfg.audio, cfg.demo


def prepare_file(source: Path, target: Path) -> None:
    samples, rate, _ = wav.read_wav(source)
    soundfile.write(target, spectra.prepare(samples, rate, AUDIO.sample_rate, AUDIO.top_db), AUDIO.sample_rate,
                    subtype="PCM_16", format="FLAC")


def features_file(path: Path) -> None:
    signal, rate = soundfile.read(path)
    spectra.log_mel(signal, rate, **MEL)
    spectra.mfcc_summary(signal, rate, **MFCC)


n_subjects = int(sys.argv[1]) if len(sys.argv) > 1 else 30
with tempfile.TemporaryDirectory() as folder:
    root = Path(folder)
    with timed(f"demo cohort: {n_subjects} subjects x 8 tasks"):
        clinical, audio = demo_voice.make_cohort(n_subjects * 2 // 3, n_subjects - n_subjects * 2 // 3,
                                                 cfg.tasks, DEMO.sample_rate, DEMO.snr_db, seed=DEMO.seed)
    wavs = []
    for subject, recordings in zip(clinical["ID"], audio):
        for task, samples in recordings.items():
            wavs.append(root / f"{subject}_{task}.wav")
            soundfile.write(wavs[-1], samples, DEMO.sample_rate, subtype="PCM_16")
    flacs = [w.with_suffix(".flac") for w in wavs]
    Parallel(n_jobs=-1)(delayed(prepare_file)(w, f) for w, f in zip(wavs[:4], flacs))  # start workers, warm up librosa
    with timed(f"audio prep: {len(wavs)} recordings"):
        Parallel(n_jobs=-1, batch_size=16)(delayed(prepare_file)(w, f) for w, f in zip(wavs, flacs))
    start = time.perf_counter()
    with timed(f"mel + MFCC: {len(flacs)} recordings"):
        Parallel(n_jobs=-1, batch_size=16)(delayed(features_file)(f) for f in flacs)
    print(f"mel + MFCC throughput: {len(flacs) / (time.perf_counter() - start):.0f} recordings/s on all cores")

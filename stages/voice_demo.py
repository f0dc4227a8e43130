"""Write the demo voice cohort in the VOC-ALS layout (DATA_CONTRACTS.md section 2).

Usage: python stages/voice_demo.py OUTPUT_ROOT
Writes OUTPUT_ROOT/<task>/<ID>_<task>.wav (8 kHz, 16-bit, mono) and OUTPUT_ROOT/VOC-ALS.xlsx.
"""
import logging
from pathlib import Path

import soundfile

from alskit import demo_voice
from alskit.cli import load_params, param, run
from alskit.io import AtomicOutputs

log = logging.getLogger("alskit")


def main(output_root: str) -> None:
    params = load_params()
    positive = lambda v: v > 0  # noqa: E731
    tasks = param(params, "voice.tasks", list)
    rate = param(params, "voice.demo.sample_rate", int, positive, "a positive integer")
    clinical, audio = demo_voice.make_cohort(
        n_als=param(params, "voice.demo.n_als", int, positive, "a positive integer"),
        n_hc=param(params, "voice.demo.n_hc", int, positive, "a positive integer"),
        tasks=tasks, rate=rate, snr_db=param(params, "voice.demo.snr_db", (int, float)),
        seed=param(params, "voice.demo.seed", int))
    root = Path(output_root)
    with AtomicOutputs() as out:
        for subject, recordings in zip(clinical["ID"], audio):
            for task, samples in recordings.items():
                soundfile.write(out.path(root / task / f"{subject}_{task}.wav"), samples, rate,
                                subtype="PCM_16", format="WAV")
        out.excel(clinical, root / "VOC-ALS.xlsx", title=demo_voice.TITLE)
    log.info("wrote %d subjects (%s) x %d tasks to %s", len(clinical),
             clinical["Category"].value_counts().to_dict(), len(tasks), root)


if __name__ == "__main__":
    run(main)

"""Write the demo voice cohort in the VOC-ALS layout (docs/data.md, study 2).

Usage: python stages/voice_demo.py OUTPUT_ROOT
Writes OUTPUT_ROOT/<task>/<ID>_<task>.wav (8 kHz, 16-bit, mono) and OUTPUT_ROOT/VOC-ALS.xlsx.
"""
import logging
from pathlib import Path

import soundfile

from alskit.voice import demo as demo_voice
from alskit.common.cli import run
from alskit.voice import config
from alskit.common.io import AtomicOutputs

log = logging.getLogger("alskit")


def main(output_root: str) -> None:
    cfg = config.load()
    tasks, demo = cfg.tasks, cfg.demo
    rate = demo.sample_rate
    clinical, audio = demo_voice.make_cohort(n_als=demo.n_als, n_hc=demo.n_hc, tasks=tasks, rate=rate,
                                             snr_db=demo.snr_db, seed=demo.seed)
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

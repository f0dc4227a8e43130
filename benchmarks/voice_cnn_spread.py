"""How much one fold split moves the CNN's number: the default grid configuration (the first of
``voice.grid.scenarios`` and ``voice.grid.dropouts``) cross-validated on several fold seeds, with the per-subject
AUROC and balanced accuracy of each, and the time. The pipeline scores the CNN on one split (its cost); this
measures once what that single split hides, to compare with the nested estimate's spread over seeds
(``metrics/voice_nested.json``, ``over_seeds``).

Needs the built spectrograms (``dvc repro voice_features`` first). About 1.5 minutes per seed on 2 cores.
Run: .venv/bin/python benchmarks/voice_cnn_spread.py [n_seeds]   (default 3: voice.cv.seed, +1, +2)
"""
import sys

import numpy as np
from _measure import REPO, params, timed

from alskit.common import metrics
from alskit.common.io import read_csv
from alskit.voice import config, evaluate, grid, spectra

cfg = config.load(params())
scenario, rate = cfg.grid.scenarios[0], cfg.grid.dropouts[0]
recordings = read_csv(REPO / "data/voice/recordings.csv")
images = spectra.load_images(REPO / "data/voice/mel.npy")
scores = []
for seed in range(cfg.cv.seed, cfg.cv.seed + (int(sys.argv[1]) if len(sys.argv) > 1 else 3)):
    seeded = cfg.model_copy(update={"cv": cfg.cv.model_copy(update={"seed": seed})})
    with timed(f"{scenario} dropout {rate}, fold seed {seed}"):
        predictions, _ = grid.grid_run(scenario, rate, recordings, images, seeded, f"seed {seed}")
    frame = predictions if "subject" in predictions else predictions.assign(
        subject=recordings["subject"].to_numpy()[predictions["row"]])
    people = evaluate.subject_predictions(frame)
    found = metrics.clinical_metrics(people["y_true"].to_numpy(), people["p"].to_numpy())
    scores.append(found["auroc"])
    print(f"fold seed {seed}: per-subject AUROC {found['auroc']:.3f}, balanced accuracy "
          f"{found['balanced_accuracy']:.3f}")
print(f"per-subject AUROC over {len(scores)} fold seeds: {np.mean(scores):.3f} +- {np.std(scores):.3f} "
      f"({min(scores):.3f}-{max(scores):.3f})")

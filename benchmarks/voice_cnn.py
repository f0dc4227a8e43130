"""Benchmark of seed 002's CNN scenarios on CPU: seconds per training epoch and peak memory.

An epoch here is one pass over 980 images of 128 x 128 (four fifths of the 1224 VOC-ALS recordings, i.e.
one 5-fold CV training split) in batches of 32, plus validation on the other 244.
Run: .venv/bin/python benchmarks/voice_cnn.py [scenario ...]   (or `make bench`)
"""
import sys
import time

import numpy as np
from _measure import params, timed

from alskit.voice import cnn, config

cfg = config.load(params())

rng = np.random.default_rng(0)
shape = (cfg.mel.n_mels, cfg.mel.frames, 1)
train_x, train_y = rng.random((980, *shape), dtype=np.float32), rng.integers(0, 2, 980)
val_x, val_y = rng.random((244, *shape), dtype=np.float32), rng.integers(0, 2, 244)
for code in sys.argv[1:] or [f"S{n}{p}" for n in range(1, 6) for p in "AB"]:
    model = cnn.build(code, dropout=0.3, input_shape=(cfg.mel.n_mels, cfg.mel.frames), dense_units=cfg.grid.dense_units,
                      learning_rate=cfg.train.learning_rate, seed=0)
    model.fit(train_x[:64], train_y[:64], batch_size=32, epochs=1, verbose=0)  # build and trace once
    with timed(f"{code}: 2 epochs ({model.count_params():,} parameters)"):
        start = time.perf_counter()
        model.fit(train_x, train_y, validation_data=(val_x, val_y), batch_size=cfg.train.batch_size, epochs=2,
                  verbose=0)
    print(f"{code}: {(time.perf_counter() - start) / 2:.1f} s per epoch", flush=True)

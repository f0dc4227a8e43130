"""Benchmark of the compute layer (alskit.common.compute): what going through a Dask scheduler costs per task, the
CNN grid as one fan-out with one and two trainings at a time, and a cost model of the full Table 4 grid.

1. Per-task overhead: 200 tasks that do nothing, on this machine's joblib workers and on a Dask cluster of two
   single-threaded worker processes on this machine (the ratio of the two per-task costs).
2. A 2 x 1 grid of tiny CNNs (2 folds, 3 epochs, synthetic 64 x 64 images): one training at a time with 2
   TensorFlow threads (this machine's default) against two at a time with 1 thread each (wall-time ratio).
3. Cost model: the full 60-configuration grid's wall time on N single-training workers, from each scenario's
   seconds per epoch (measured here as benchmarks/voice_cnn.py does: one epoch over 980 images of the demo's
   size) and the epochs per fold of the cached S1B run (early stopping decides them): the trainings sorted longest
   first onto the least-loaded worker, as a scheduler that starts the next task on the first free worker does.
4. With ``--check RATE``: the cost model's check, instead of 1-3. The 10 scenarios at dropout RATE trained for
   real on the demo cohort in data/ (``dvc repro voice_mel`` first), with the stage's settings and this machine's
   default workers, against the model's prediction for the same 50 trainings; and the prediction again with each
   configuration's real epochs per fold, which separates the two errors the model can make (seconds per epoch,
   epochs per fold). About an hour on 2 cores.

Run: .venv/bin/python benchmarks/compute.py [--workers 1,2,8,32] [--check 0.3]
"""
from __future__ import annotations

import argparse
import heapq
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _measure import REPO, params, timed

from alskit.common import compute
from alskit.voice import config, grid

SCENARIOS = [f"S{n}{p}" for n in range(1, 6) for p in "AB"]
DROPOUTS = [0.5, 0.4, 0.3, 0.2, 0.1, 0.0]


def nothing(i: int) -> int:
    return i


def overhead(n: int = 200) -> None:
    from dask.distributed import LocalCluster

    start = time.perf_counter()
    compute.run(nothing, [(i,) for i in range(n)], [str(i) for i in range(n)], desc="local", unit="task", workers=2)
    local = (time.perf_counter() - start) / n
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        os.environ["DASK_SCHEDULER_ADDRESS"] = cluster.scheduler_address
        try:
            with compute.cluster():
                start = time.perf_counter()
                compute.run(nothing, [(i,) for i in range(n)], [str(i) for i in range(n)], desc="dask", unit="task")
                dask = (time.perf_counter() - start) / n
        finally:
            del os.environ["DASK_SCHEDULER_ADDRESS"]
    print(f"per-task cost: local joblib {local * 1000:.2f} ms, Dask scheduler {dask * 1000:.2f} ms "
          f"(x{dask / local:.1f}; a CNN training takes minutes)", flush=True)


def tiny_grid(threads: int, folder: Path) -> float:
    raw = params()
    raw["voice"]["grid"].update(scenarios=["S1A", "S1B"], dropouts=[0.3])
    raw["voice"]["cv"]["folds"] = 2
    raw["voice"]["train"].update(max_epochs=3, early_stopping_patience=10, threads=threads)
    cfg = config.load(raw)
    rng = np.random.default_rng(0)
    n = 160
    recordings = pd.DataFrame({"subject": [f"S{i // 4:03d}" for i in range(n)], "task": "phonationA",
                               "label": np.repeat(np.arange(n // 4) % 2, 4)})
    np.save(folder / "mel.npy", rng.uniform(-80, 0, (n, 64, 64)).astype(np.float16))
    start = time.perf_counter()
    grid.grid_runs(recordings, str(folder / "mel.npy"), cfg)
    return time.perf_counter() - start


def fan_out() -> None:
    with tempfile.TemporaryDirectory() as folder:
        with timed("grid 2 x 2 folds, 1 at a time, 2 threads"):
            one = tiny_grid(2, Path(folder))
        with timed(f"grid 2 x 2 folds, {compute.network_workers(1)} at a time, 1 thread"):
            two = tiny_grid(1, Path(folder))
    print(f"wall time, {compute.network_workers(1)} trainings at once against one: x{two / one:.2f}", flush=True)


def epochs_per_fold() -> float:
    """Mean epochs per fold of the S1B run in data/ (its history.json); 20 where none has run."""
    history = REPO / "data/voice/cnn/S1B_0.3/history.json"
    if history.exists():
        return float(np.mean([len(fold["loss"]) for fold in json.loads(history.read_text())]))
    return 20.0


def predicted_wall_time(epoch_seconds: dict[str, float], epochs: float | dict[str, float], folds: int, workers: int,
                        configurations: list[str] | None = None) -> float:
    """Longest-first onto the least-loaded worker: the makespan of the trainings of ``configurations`` (one entry,
    its scenario, per configuration; default the full grid), at ``epochs`` per fold (one number, or per entry)."""
    configurations = configurations or [s for s in SCENARIOS for _ in DROPOUTS]
    per = epochs if isinstance(epochs, dict) else dict.fromkeys(configurations, epochs)
    tasks = sorted((epoch_seconds[s] * per[s] for s in configurations for _ in range(folds)), reverse=True)
    loads = [0.0] * workers
    for task in tasks:
        heapq.heappush(loads, heapq.heappop(loads) + task)
    return max(loads)


def seconds_per_epoch() -> dict[str, float]:
    """One training epoch of each scenario over 980 images of the demo's size, after one untimed epoch (tracing)."""
    from alskit.common import training
    from alskit.voice import cnn

    cfg = config.load(params())
    training.set_threads(cfg.train.threads)
    rng = np.random.default_rng(0)
    x, y = rng.random((980, cfg.mel.n_mels, cfg.mel.frames, 1), dtype=np.float32), rng.integers(0, 2, 980)
    seconds = {}
    for code in SCENARIOS:
        model = cnn.build(code, 0.3, (cfg.mel.n_mels, cfg.mel.frames), cfg.grid.dense_units, 1e-3, seed=0)
        model.fit(x[:64], y[:64], batch_size=32, epochs=1, verbose=0)
        start = time.perf_counter()
        model.fit(x, y, batch_size=cfg.train.batch_size, epochs=1, verbose=0)
        seconds[code] = time.perf_counter() - start
    print("seconds per epoch: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()), flush=True)
    return seconds


def cost_model(epoch_seconds: dict[str, float], workers: list[int]) -> None:
    epochs, folds = epochs_per_fold(), params()["voice"]["cv"]["folds"]
    print(f"cost model: 60 configurations x {folds} folds, {epochs:.1f} epochs per fold (the S1B run in data/)")
    for n in workers:
        hours = predicted_wall_time(epoch_seconds, epochs, folds, n) / 3600
        print(f"  {n:>3} worker(s): {hours:6.2f} h", flush=True)


def check(rate: float) -> None:
    """The cost model against a real run of the 10 scenarios at dropout ``rate`` on the demo cohort in data/."""
    from alskit.common.io import read_csv

    raw = params()
    raw["voice"]["grid"].update(scenarios=SCENARIOS, dropouts=[rate])
    cfg = config.load(raw)
    epoch_seconds, epochs, folds = seconds_per_epoch(), epochs_per_fold(), cfg.cv.folds
    workers = compute.network_workers(cfg.train.threads)
    recordings = read_csv(REPO / "data/voice/recordings.csv")
    start = time.perf_counter()
    with timed(f"real grid: 10 scenarios x dropout {rate} x {folds} folds, {workers} training(s) at a time"):
        runs = grid.grid_runs(recordings, str(REPO / "data/voice/mel.npy"), cfg)
    measured = time.perf_counter() - start
    real = {s: float(np.mean([len(h["loss"]) for h in histories])) for s, (_, histories) in zip(SCENARIOS, runs)}
    print("epochs per fold, real: " + ", ".join(f"{s} {e:.1f}" for s, e in real.items())
          + f" (the model assumes {epochs:.1f}, the S1B run in data/)")
    for label, per in (("model (S1B's epochs for every scenario)", epochs), ("model with the real epochs", real)):
        predicted = predicted_wall_time(epoch_seconds, per, folds, workers, SCENARIOS)
        print(f"{label}: {predicted / 60:.1f} min predicted, {measured / 60:.1f} min measured "
              f"(measured / predicted x{measured / predicted:.2f})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", default="1,2,8,32")
    parser.add_argument("--check", type=float, metavar="RATE", help="check the cost model on a real grid run")
    args = parser.parse_args()
    if args.check is not None:
        return check(args.check)
    overhead()
    fan_out()
    cost_model(seconds_per_epoch(), [int(n) for n in args.workers.split(",")])


if __name__ == "__main__":
    main()

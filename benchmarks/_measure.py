"""Time and peak-memory measurement shared by the benchmark scripts."""
from __future__ import annotations

import resource
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its finished children (CV workers), in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


@contextmanager
def timed(label: str):
    start = time.perf_counter()
    yield
    print(f"{label:<42} {time.perf_counter() - start:8.2f} s   peak RSS {peak_rss_mb():7.0f} MiB", flush=True)


def params() -> dict:
    """``params.yaml`` of this repository, whatever the working directory: the benchmarks run the pipeline's own
    values, through each study's ``config.load(params())``."""
    import yaml
    return yaml.safe_load((REPO / "params.yaml").read_text())


def bdb_demo_training_set():
    """Study 1's checked config and the balanced real training subsample of its demo cohort, built with the
    pipeline's functions and params.yaml values (what ``bdb_synthesize`` and the training stages start from)."""
    from alskit.bdb import cohort as bdb, config, demo as demo_bdb
    cfg = config.load(params())
    raw = demo_bdb.make_cohort(**cfg.demo.model_dump())
    encoded = bdb.encode(bdb.clean(raw, cfg.read.at("bdb.read"), cfg.clean.min_rows_per_class,
                                   "demo")[0], "demo")
    half = bdb.split_per_class(encoded, cfg.split.train_fraction, cfg.split.seed)[0]
    return cfg, bdb.undersample(half, cfg.split.seed).reset_index(drop=True)

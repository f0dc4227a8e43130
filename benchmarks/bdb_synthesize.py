"""Benchmark of the synthesis and quality stages (seed 001) on the default-size demo cohort.

Run: .venv/bin/python benchmarks/bdb_synthesize.py   (or `make bench`)
"""
from _measure import timed

from alskit import bdb, demo_bdb, synthetic

raw = demo_bdb.make_cohort(100, 34, 3, 13, effect_scale=3.0, seed=3)
encoded = bdb.encode(bdb.clean(raw, bdb.PAPER_READ, 2, "demo")[0], "demo")
train = bdb.undersample(bdb.split_per_class(encoded, 0.5, 42)[0], 42).reset_index(drop=True)
for factor in (10, 20, 100):
    with timed(f"synthesize x{factor} ({factor * len(train)} rows)"):
        sample = synthetic.synthesize(train, factor * len(train), [bdb.LABEL], "gaussian_kde", True, False, 42)
    with timed(f"quality report x{factor}"):
        synthetic.quality(train, sample, [bdb.LABEL])

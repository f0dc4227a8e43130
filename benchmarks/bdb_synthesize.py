"""Benchmark of the synthesis and quality stages (seed 001) on the default-size demo cohort.

Run: .venv/bin/python benchmarks/bdb_synthesize.py   (or `make bench`)
"""
from _measure import bdb_demo_training_set, timed

from alskit.bdb import cohort, synthetic

cfg, train = bdb_demo_training_set()
synth = cfg.synth
for factor in (*synth.factors, 100):
    with timed(f"synthesize x{factor} ({factor * len(train)} rows)"):
        sample = synthetic.synthesize(train, factor * len(train), [cohort.LABEL], synth.default_distribution,
                                      synth.enforce_min_max_values, synth.enforce_rounding, synth.seed)
    with timed(f"quality report x{factor}"):
        synthetic.quality(train, sample, [cohort.LABEL])

"""Benchmark of the synthesis and quality stages (seed 001) on the default-size demo cohort.

Run: .venv/bin/python benchmarks/bdb_synthesize.py   (or `make bench`)
"""
from _measure import params, timed

from alskit.bdb import cohort as bdb, config, demo as demo_bdb, synthetic
from alskit.common import tables

cfg = config.load(params())
raw = demo_bdb.make_cohort(**cfg.demo.model_dump())
encoded = bdb.encode(bdb.clean(raw, tables.read_options(cfg.read, "bdb.read"), cfg.clean.min_rows_per_class,
                               "demo")[0], "demo")
train = bdb.undersample(bdb.split_per_class(encoded, cfg.split.train_fraction, cfg.split.seed)[0],
                        cfg.split.seed).reset_index(drop=True)
synth = cfg.synth
for factor in (*synth.factors, 100):
    with timed(f"synthesize x{factor} ({factor * len(train)} rows)"):
        sample = synthetic.synthesize(train, factor * len(train), [bdb.LABEL], synth.default_distribution,
                                      synth.enforce_min_max_values, synth.enforce_rounding, synth.seed)
    with timed(f"quality report x{factor}"):
        synthetic.quality(train, sample, [bdb.LABEL])

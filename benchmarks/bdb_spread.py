"""Benchmark of the split-to-split spread stage (seed 001): the whole protocol over split seeds, with the
settings of params.yaml (bdb.spread), on the default-size demo cohort.

Run: .venv/bin/python benchmarks/bdb_spread.py [repeats]   (or `make bench`)
"""
import sys

from _measure import params, timed

from alskit.bdb import cohort as bdb, config, demo as demo_bdb, spread

cfg = config.load(params())
settings = cfg.spread
raw = demo_bdb.make_cohort(**cfg.demo.model_dump())
encoded = bdb.encode(bdb.clean(raw, cfg.read.at("bdb.read"), cfg.clean.min_rows_per_class,
                               "demo")[0], "demo")
repeats = int(sys.argv[1]) if len(sys.argv) > 1 else settings.repeats
for models in (settings.models, ["mlp"]):
    n = repeats if models == settings.models else 4
    with timed(f"{n} splits, {'+'.join(models)}"):
        spread.repeat(encoded, cfg, n, settings.first_seed, models)

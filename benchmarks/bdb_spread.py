"""Benchmark of the split-to-split spread stage (seed 001): the whole protocol over split seeds, with the
settings of params.yaml (bdb.spread), on the default-size demo cohort.

Run: .venv/bin/python benchmarks/bdb_spread.py [repeats]   (or `make bench`)
"""
import sys

import yaml
from _measure import REPO, timed

from alskit import bdb, demo_bdb, spread

params = yaml.safe_load((REPO / "params.yaml").read_text())["bdb"]
demo, settings = params["demo"], params["spread"]
raw = demo_bdb.make_cohort(demo["n_als"], demo["n_healthy"], demo["incomplete_als"], demo["incomplete_healthy"],
                           effect_scale=demo["effect_scale"], seed=demo["seed"])
encoded = bdb.encode(bdb.clean(raw, bdb.PAPER_READ, params["clean"]["min_rows_per_class"], "demo")[0], "demo")
repeats = int(sys.argv[1]) if len(sys.argv) > 1 else settings["repeats"]
for models in (settings["models"], ["mlp"]):
    n = repeats if models == settings["models"] else 4
    with timed(f"{n} splits, {'+'.join(models)}"):
        spread.repeat(encoded, params, n, settings["first_seed"], models)

"""Seed 001, II.D: fit SDV's Gaussian copula on the balanced real train subsample; sample FACTOR x its rows.

Usage: python stages/bdb_synthesize.py TRAIN_CSV FACTOR SYNTHETIC_CSV
"""
import logging

from alskit import bdb, synthetic
from alskit.cli import UserError, load_params, param, run
from alskit.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(train_path: str, factor: str, synthetic_path: str) -> None:
    params = load_params()
    factors = param(params, "bdb.synth.factors", list, lambda v: all(isinstance(f, int) and f > 0 for f in v),
                    "a list of positive integers")
    if int(factor) not in factors:
        raise UserError(f"factor {factor} is not listed in params.yaml bdb.synth.factors {factors}")
    train = read_csv(train_path, index_col=bdb.ID).reset_index(drop=True)
    n_rows = int(factor) * len(train)
    log.info("fitting a Gaussian copula on %d real rows x %d columns; sampling %d rows", *train.shape, n_rows)
    sample = synthetic.synthesize(
        train, n_rows, categorical=[bdb.LABEL],
        default_distribution=param(params, "bdb.synth.default_distribution", str),
        enforce_min_max_values=param(params, "bdb.synth.enforce_min_max_values", bool),
        enforce_rounding=param(params, "bdb.synth.enforce_rounding", bool),
        seed=param(params, "bdb.synth.seed", int))
    counts = bdb.class_counts(sample[bdb.LABEL].map({1: "ALS", 0: "HEALTHY"}))
    log.info("synthetic x%s: %d rows, %s", factor, len(sample), counts)
    with AtomicOutputs() as out:
        out.csv(sample, synthetic_path)


if __name__ == "__main__":
    run(main)

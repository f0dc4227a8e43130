"""Seed 001, II.D: fit SDV's Gaussian copula on the balanced real train subsample; sample FACTOR x its rows.

Usage: python stages/bdb_synthesize.py TRAIN_CSV FACTOR SYNTHETIC_CSV
"""
import logging

from alskit.bdb import cohort, config, synthetic
from alskit.common.cli import run
from alskit.common.errors import UserError
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(train_path: str, factor: str, synthetic_path: str) -> None:
    synth = config.load().synth
    if not factor.isdigit() or int(factor) not in synth.factors:
        raise UserError(f"factor {factor} is not listed in params.yaml bdb.synth.factors {synth.factors}")
    train = read_csv(train_path, index_col=cohort.ID).reset_index(drop=True)
    n_rows = int(factor) * len(train)
    log.info("fitting a Gaussian copula on %d real rows x %d columns; sampling %d rows", *train.shape, n_rows)
    sample = synthetic.synthesize(
        train, n_rows, categorical=[cohort.LABEL], default_distribution=synth.default_distribution,
        enforce_min_max_values=synth.enforce_min_max_values, enforce_rounding=synth.enforce_rounding, seed=synth.seed)
    counts = cohort.class_counts(sample[cohort.LABEL].map(cohort.CLASS_NAMES))
    log.info("synthetic x%s: %d rows, %s", factor, len(sample), counts)
    with AtomicOutputs() as out:
        out.csv(sample, synthetic_path)


if __name__ == "__main__":
    run(main)

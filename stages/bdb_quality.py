"""Seed 001, III.A / Table I: SDV quality report of each synthetic set against the real rows it was fit on,
and SDV's diagnostic report (validity, structure) beside it.

Usage: python stages/bdb_quality.py TRAIN_CSV SYNTHETIC_DIR QUALITY_METRICS_JSON
"""
import logging
from pathlib import Path

from alskit import bdb, synthetic
from alskit.cli import load_params, param, run
from alskit.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(train_path: str, synthetic_dir: str, metrics_path: str) -> None:
    factors = param(load_params(), "bdb.synth.factors", list)
    real = read_csv(train_path, index_col=bdb.ID).reset_index(drop=True)
    scores = {}
    for factor in factors:
        sample = read_csv(Path(synthetic_dir) / f"x{factor}.csv")
        scores[f"x{factor}"] = {**synthetic.quality(real, sample, categorical=[bdb.LABEL]),
                                "diagnostic": synthetic.diagnostic(real, sample, categorical=[bdb.LABEL])}
        log.info("x%s: %s", factor, scores[f"x{factor}"])
    with AtomicOutputs() as out:
        out.json(scores, metrics_path)


if __name__ == "__main__":
    run(main)

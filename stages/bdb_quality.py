"""Seed 001, III.A / Table I: SDV quality report of each synthetic set against the real rows it was fit on,
and SDV's diagnostic report (validity, structure) beside it.

Usage: python stages/bdb_quality.py TRAIN_CSV SYNTHETIC_DIR QUALITY_METRICS_JSON
"""
import logging
from pathlib import Path

from alskit.bdb import baselines, cohort, config, records as bdb_records, synthetic
from alskit.common import records
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(train_path: str, synthetic_dir: str, metrics_path: str) -> None:
    real = read_csv(train_path, index_col=cohort.ID).reset_index(drop=True)
    scores = {}
    for size in baselines.synthetic_sets(config.load().synth.factors):
        sample = read_csv(Path(synthetic_dir) / f"{size}.csv")
        scores[size] = {**synthetic.quality(real, sample, categorical=[cohort.LABEL]),
                        "diagnostic": synthetic.diagnostic(real, sample, categorical=[cohort.LABEL])}
        log.info("%s: %s", size, scores[size])
    with AtomicOutputs() as out:
        out.json(records.checked(bdb_records.Qualities, scores), metrics_path)


if __name__ == "__main__":
    run(main)

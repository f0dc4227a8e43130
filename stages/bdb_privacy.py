"""Seed 001 claims its synthetic sets are private by design; measure it. Per synthetic set: exact copies of real
training rows, distance to closest record against that of unseen real patients, SDMetrics' DCR overfitting
protection, and a membership-inference attack with the unseen patients as the control set.

Usage: python stages/bdb_privacy.py TRAIN_CSV TEST_CSV SYNTHETIC_DIR PRIVACY_METRICS_JSON
"""
import logging
from pathlib import Path

from alskit.bdb import baselines, cohort, config, privacy, records as bdb_records
from alskit.common import records
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(train_path: str, test_path: str, synthetic_dir: str, metrics_path: str) -> None:
    audit = load_audit()
    train = read_csv(train_path, index_col=cohort.ID).reset_index(drop=True)
    test = read_csv(test_path, index_col=cohort.ID).reset_index(drop=True)
    holdout = privacy.matched_holdout(test, train, cohort.LABEL, audit.privacy.seed)
    log.info("%d real training rows; %d held-out real rows matched to their class mix", len(train), len(holdout))
    report = {}
    for size in baselines.synthetic_sets(config.load().synth.factors):
        report[size] = privacy.measure(read_csv(Path(synthetic_dir) / f"{size}.csv"), train, holdout,
                                       [cohort.LABEL, cohort.SEX], audit.bootstrap.model_dump())
        log.info("%s: %s", size, privacy.summary_line(report[size]))
    with AtomicOutputs() as out:
        out.json(records.checked(bdb_records.Privacies, report), metrics_path)


if __name__ == "__main__":
    run(main)

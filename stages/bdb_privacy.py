"""Seed 001 claims its synthetic sets are private by design; measure it. Per synthetic set: exact copies of real
training rows, distance to closest record against that of unseen real patients, SDMetrics' DCR overfitting
protection, and a membership-inference attack with the unseen patients as the control set.

Usage: python stages/bdb_privacy.py TRAIN_CSV TEST_CSV SYNTHETIC_DIR PRIVACY_METRICS_JSON
"""
import logging
from pathlib import Path

from alskit.bdb import baselines, cohort as bdb, config, privacy
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(train_path: str, test_path: str, synthetic_dir: str, metrics_path: str) -> None:
    audit = load_audit()
    train = read_csv(train_path, index_col=bdb.ID).reset_index(drop=True)
    test = read_csv(test_path, index_col=bdb.ID).reset_index(drop=True)
    holdout = privacy.matched_holdout(test, train, bdb.LABEL, audit.privacy.seed)
    log.info("%d real training rows; %d held-out real rows matched to their class mix", len(train), len(holdout))
    report = {}
    for size in baselines.synthetic_sets(config.load().synth.factors):
        sample = read_csv(Path(synthetic_dir) / f"{size}.csv")
        report[size] = {**privacy.dcr_report(sample, train, holdout),
                        "overfitting_protection": privacy.overfitting_protection(
                            train, sample, holdout, categorical=[bdb.LABEL, bdb.SEX]),
                        "membership_inference": privacy.membership_inference(sample, train, holdout,
                                                                             audit.bootstrap.model_dump())}
        found = report[size]
        log.info("%s: %d exact copies of %d rows; median DCR %.3f (unseen patients %.3f); %.0f%% closer to "
                 "training than to held-out rows; membership attack AUROC %.3f", size, found["exact_copies"],
                 found["synthetic_rows"], found["dcr_synthetic_to_train"]["median"],
                 found["dcr_holdout_to_train"]["median"], 100 * found["overfitting_protection"]["closer_to_training"],
                 found["membership_inference"]["auroc"])
    with AtomicOutputs() as out:
        out.json(report, metrics_path)


if __name__ == "__main__":
    run(main)

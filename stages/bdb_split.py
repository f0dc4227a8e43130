"""Seed 001, II.D: per class half to train, half to test; undersample the train half to balance.

Usage: python stages/bdb_split.py ENCODED_CSV BALANCED_CSV TRAIN_ALL_CSV TEST_CSV SPLIT_METRICS_JSON
BALANCED_CSV is the balanced subsample the synthesizer is fit on; TRAIN_ALL_CSV the whole training half (for the
real-data baseline).
"""
import logging

from alskit.bdb import cohort, config, records as bdb_records
from alskit.common import records
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(encoded_path: str, balanced_path: str, train_all_path: str, test_path: str, metrics_path: str) -> None:
    split = config.load().split
    encoded = read_csv(encoded_path, index_col=cohort.ID)
    train_half, test = cohort.split_per_class(encoded, split.train_fraction, split.seed)
    train = cohort.undersample(train_half, split.seed)
    counts = {name: cohort.coded_counts(part[cohort.LABEL])
              for name, part in (("train_half", train_half), ("train_balanced", train), ("test", test))}
    for name, count in counts.items():
        log.info("%s: %s", name, " + ".join(f"{n} {label}" for label, n in count.items()))
    with AtomicOutputs() as out:
        out.csv(train, balanced_path, index=True)
        out.csv(train_half, train_all_path, index=True)
        out.csv(test, test_path, index=True)
        out.json(records.checked(bdb_records.Split, counts), metrics_path)


if __name__ == "__main__":
    run(main)

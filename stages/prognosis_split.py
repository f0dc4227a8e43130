"""Seed 000, section 4 (data preparation): a stratified, seeded train/test split (80/20 by default).

Usage: python stages/prognosis_split.py CLEAN_CSV TRAIN_CSV TEST_CSV SPLIT_METRICS_JSON
"""
import logging

from alskit import prognosis
from alskit.cli import load_params, param, run
from alskit.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(clean_path: str, train_path: str, test_path: str, metrics_path: str) -> None:
    params = load_params()
    test_size = param(params, "prognosis.split.test_size", float, lambda v: 0 < v < 1, "a number in (0, 1)")
    clean = read_csv(clean_path, index_col=0)
    train, test = prognosis.split(clean, test_size, param(params, "prognosis.split.seed", int))
    counts = {name: {"patients": len(part), "positive": int(part[prognosis.LABEL].sum())}
              for name, part in (("train", train), ("test", test))}
    log.info("train %s, test %s", counts["train"], counts["test"])
    with AtomicOutputs() as out:
        out.csv(train, train_path, index=True)
        out.csv(test, test_path, index=True)
        out.json(counts, metrics_path)


if __name__ == "__main__":
    run(main)

"""Seed 000, section 4 (data preparation): a stratified, seeded train/test split (80/20 by default).

Usage: python stages/prognosis_split.py CLEAN_CSV TRAIN_CSV TEST_CSV SPLIT_METRICS_JSON
A category found only in the test split would be encoded as all zeros by the encoder fit on the training split:
an error naming it, or (``prognosis.unseen_category: ignore``) logged and counted.
"""
import logging

from alskit.common import records
from alskit.common.cli import run
from alskit.common.errors import UserError
from alskit.common.io import AtomicOutputs, read_csv
from alskit.prognosis import cohort, config, records as prognosis_records

log = logging.getLogger("alskit")


def main(clean_path: str, train_path: str, test_path: str, metrics_path: str) -> None:
    cfg = config.load()
    clean = read_csv(clean_path, index_col=0)
    train, test = cohort.split(clean, cfg.split.test_size, cfg.split.seed)
    unseen = cohort.unseen_categories(train, test, cohort.schema_from_config(cfg))
    if unseen and cfg.unseen_category == "error":
        column, values = next(iter(unseen.items()))
        value, n = next(iter(values.items()))
        raise UserError(f"{clean_path}: column '{column}' has category {value!r} only in the test split ({n} "
                        f"patient(s)), which the encoder fit on training patients would encode as all zeros; "
                        "merge it with another category in prognosis.recode, or set prognosis.unseen_category: "
                        "ignore")
    for column, values in unseen.items():
        log.info("column '%s': categories only in the test split, encoded as all zeros: %s", column, values)
    counts = {name: {"patients": len(part), "positive": int(part[cohort.LABEL].sum())}
              for name, part in (("train", train), ("test", test))}
    counts["test_cells_with_unseen_category"] = sum(sum(v.values()) for v in unseen.values())
    log.info("train %s, test %s", counts["train"], counts["test"])
    with AtomicOutputs() as out:
        out.csv(train, train_path, index=True)
        out.csv(test, test_path, index=True)
        out.json(records.checked(prognosis_records.Split, counts), metrics_path)


if __name__ == "__main__":
    run(main)

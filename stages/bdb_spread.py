"""Split-to-split spread of seed 001's protocol: split, balance, synthesize, train and test repeated over
``bdb.spread.repeats`` split seeds, giving the distribution of test AUROC per model and training set.

Usage: python stages/bdb_spread.py ENCODED_CSV SPREAD_METRICS_JSON SPREAD_PLOTS_DIR
Writes the summary to SPREAD_METRICS_JSON, every split's AUROCs to SPREAD_PLOTS_DIR/<model>.json.
"""
import logging
from pathlib import Path

from alskit.bdb import cohort, config, records as bdb_records, spread
from alskit.common import records
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(encoded_path: str, metrics_path: str, plots_dir: str) -> None:
    cfg = config.load()
    settings = cfg.spread
    encoded = read_csv(encoded_path, index_col=cohort.ID)
    log.info("%d subjects; the protocol repeated over %d split seeds from %d for %s", len(encoded),
             settings.repeats, settings.first_seed, ", ".join(settings.models))
    rows = spread.repeat(encoded, cfg, settings.repeats, settings.first_seed, settings.models)
    summary = spread.summarise(rows, load_audit().bootstrap.level)
    for (size, model), values in rows.groupby(["set", "model"], sort=False)["auroc"]:
        log.info("%-13s %-8s test AUROC over %d splits: median %.3f, range %.3f-%.3f", size, model, len(values),
                 values.median(), values.min(), values.max())
    with AtomicOutputs() as out:
        out.json(records.checked(bdb_records.Spread, summary), metrics_path)
        for model in settings.models:
            out.json(spread.plot_rows(rows, model), Path(plots_dir) / f"{model}.json")


if __name__ == "__main__":
    run(main)

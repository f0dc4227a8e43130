"""Seed 000, section 4 (feature transformation): optional PCA, and the variance each component explains.

Usage: python stages/prognosis_transform.py ENCODED_TRAIN_CSV VARIANCE_PLOT_JSON PCA_METRICS_JSON
``prognosis.pca.components``: null (no PCA), a number of components, or the share of variance to keep.
The explained-variance curve is always computed, from the encoded training rows only.
"""
import logging

from alskit.common import records
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv
from alskit.prognosis import cohort, config, records as prognosis_records

log = logging.getLogger("alskit")


def main(encoded_path: str, plot_path: str, metrics_path: str) -> None:
    pca = config.load().pca
    encoded = read_csv(encoded_path, index_col=0).drop(columns=cohort.LABEL)
    rows, summary = cohort.explained_variance(encoded, pca.components, pca.seed)
    log.info("PCA %s: %d of %d dimensions kept (%.1f%% of the variance)", "on" if summary["enabled"] else "off",
             summary["components"], encoded.shape[1], 100 * summary["variance_kept"])
    with AtomicOutputs() as out:
        out.json(rows, plot_path)
        out.json(records.checked(prognosis_records.Pca, summary), metrics_path)


if __name__ == "__main__":
    run(main)

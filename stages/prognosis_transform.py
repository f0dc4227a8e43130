"""Seed 000, section 4 (feature transformation): optional PCA, and the variance each component explains.

Usage: python stages/prognosis_transform.py ENCODED_TRAIN_CSV VARIANCE_PLOT_JSON PCA_METRICS_JSON
``prognosis.pca.components``: null (no PCA), a number of components, or the share of variance to keep.
The explained-variance curve is always computed, from the encoded training rows only.
"""
import logging

import numpy as np
from sklearn.decomposition import PCA

from alskit.common.cli import UserError, run
from alskit.prognosis import cohort as prognosis, config
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(encoded_path: str, plot_path: str, metrics_path: str) -> None:
    pca_settings = config.load().pca
    components, seed = pca_settings.components, pca_settings.seed
    encoded = read_csv(encoded_path, index_col=0).drop(columns=prognosis.LABEL)
    if isinstance(components, int) and components > encoded.shape[1]:  # known only once the data are encoded
        raise UserError(f"params.yaml: prognosis.pca.components must be at most the {encoded.shape[1]} encoded "
                        f"features, got {components}")
    ratios = PCA(random_state=seed).fit(encoded).explained_variance_ratio_
    cumulative = np.cumsum(ratios)
    pca = prognosis.make_pca(components, seed)
    kept = encoded.shape[1] if pca is None else pca.fit(encoded).n_components_
    summary = {"enabled": pca is not None, "components": int(kept),
               "variance_kept": float(cumulative[kept - 1]) if pca is not None else 1.0,
               **{f"components_for_{int(share * 100)}pct": int(np.searchsorted(cumulative, share) + 1)
                  for share in (0.8, 0.9, 0.95)}}
    log.info("PCA %s: %d of %d dimensions kept (%.1f%% of the variance)", "on" if pca is not None else "off",
             kept, encoded.shape[1], 100 * summary["variance_kept"])
    with AtomicOutputs() as out:
        out.json([{"component": i, "explained": float(r), "cumulative": float(c)}
                  for i, (r, c) in enumerate(zip(ratios, cumulative), 1)], plot_path)
        out.json(summary, metrics_path)


if __name__ == "__main__":
    run(main)

"""Seed 000, section 3 (feature engineering, normalization): median / most-frequent imputation, one-hot encoding
of genetic and categorical columns, MinMax scaling -- all learnt from the training split only.

Usage: python stages/prognosis_encode.py TRAIN_CSV ENCODED_TRAIN_CSV
The encoded training rows feed the PCA curve; the training stage refits the same encoding inside every CV fold.
"""
import logging

from alskit.prognosis import cohort, config
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(train_path: str, encoded_path: str) -> None:
    schema = cohort.schema_from_config(config.load())
    train = read_csv(train_path, index_col=0)
    X, _ = cohort.features_and_labels(train, schema)
    encoder = cohort.make_encoder(schema).fit(X)
    encoded = encoder.transform(X)
    sources = cohort.encoded_sources(encoder, schema)
    log.info("%d training patients: %d columns -> %d encoded features (%s)", len(X), X.shape[1], encoded.shape[1],
             sources["modality"].value_counts().to_dict())
    with AtomicOutputs() as out:
        out.csv(encoded.assign(**{cohort.LABEL: train[cohort.LABEL]}), encoded_path, index=True)


if __name__ == "__main__":
    run(main)

"""Write the demo prognosis cohort (docs/data.md, study 3): one row per patient, clinical, imaging and
genetic columns, and the outcome (fast or slow progressor).

Usage: python stages/prognosis_demo.py OUTPUT.csv
"""
import logging

from alskit.prognosis import config, demo as demo_prognosis
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs

log = logging.getLogger("alskit")


def main(output: str) -> None:
    demo = config.load().demo
    cohort = demo_prognosis.make_cohort(
        n_patients=demo.patients, fast_threshold=demo.fast_threshold, median_rate=demo.median_rate,
        missing_imaging=tuple(demo.missing_imaging), missing_other=demo.missing_other, duplicates=demo.duplicates,
        seed=demo.seed)
    with AtomicOutputs() as out:
        out.csv(cohort, output)
    counts = cohort.drop_duplicates()[demo_prognosis.OUTCOME].value_counts().to_dict()
    log.info("wrote %d rows (%d patients: %s) to %s", len(cohort), sum(counts.values()), counts, output)


if __name__ == "__main__":
    run(main)

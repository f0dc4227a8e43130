"""Write the demo prognosis cohort (DATA_CONTRACTS.md section 3): one row per patient, clinical, imaging and
genetic columns, and the outcome (fast or slow progressor).

Usage: python stages/prognosis_demo.py OUTPUT.csv
"""
import logging

from alskit import demo_prognosis
from alskit.cli import load_params, param, run
from alskit.io import AtomicOutputs

log = logging.getLogger("alskit")


def main(output: str) -> None:
    params = load_params()
    share = (lambda v: 0 <= v < 1, "a number in [0, 1)")
    low, high = param(params, "prognosis.demo.missing_imaging", list,
                      lambda v: len(v) == 2 and all(isinstance(x, (int, float)) and 0 <= x < 1 for x in v)
                      and v[0] <= v[1], "[lowest, highest] share of missing cells per imaging column")
    cohort = demo_prognosis.make_cohort(
        n_patients=param(params, "prognosis.demo.patients", int, lambda v: v >= 10, "an integer >= 10"),
        fast_threshold=param(params, "prognosis.demo.fast_threshold", (int, float), lambda v: v > 0, "> 0"),
        median_rate=param(params, "prognosis.demo.median_rate", (int, float), lambda v: v > 0, "> 0"),
        missing_imaging=(low, high),
        missing_other=param(params, "prognosis.demo.missing_other", (int, float), *share),
        duplicates=param(params, "prognosis.demo.duplicates", int, lambda v: v >= 0, "an integer >= 0"),
        seed=param(params, "prognosis.demo.seed", int))
    with AtomicOutputs() as out:
        out.csv(cohort, output)
    counts = cohort.drop_duplicates()[demo_prognosis.OUTCOME].value_counts().to_dict()
    log.info("wrote %d rows (%d patients: %s) to %s", len(cohort), sum(counts.values()), counts, output)


if __name__ == "__main__":
    run(main)

"""Write the demo BDB cohort in the Modena workbook layout (DATA_CONTRACTS.md section 1).

Usage: python stages/bdb_demo.py OUTPUT.xlsx
"""
import logging

from alskit import bdb, demo_bdb
from alskit.cli import load_params, param, run
from alskit.io import AtomicOutputs

log = logging.getLogger("alskit")


def main(output: str) -> None:
    params = load_params()
    counts = {key: param(params, f"bdb.demo.{key}", int, lambda v: v >= 0, "an integer >= 0")
              for key in ("n_als", "n_healthy", "incomplete_als", "incomplete_healthy")}
    cohort = demo_bdb.make_cohort(
        **counts,
        effect_scale=param(params, "bdb.demo.effect_scale", (int, float), lambda v: v >= 0, "a number >= 0"),
        seed=param(params, "bdb.demo.seed", int))
    with AtomicOutputs() as out:
        out.excel(cohort, output)
    log.info("wrote %d subjects (%s) to %s", len(cohort), bdb.class_counts(cohort[bdb.LABEL]), output)


if __name__ == "__main__":
    run(main)

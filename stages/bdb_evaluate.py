"""Seed 001, III.B-E / Table II: test metrics on the real held-out half (with bootstrap intervals over test
subjects), CV mean and std, ROC, precision-recall, calibration and confusion charts, the network's curves; for
every training set, synthetic and real, and per model and synthetic size the paired difference in test AUROC
between synthetic and real training.

Usage: python stages/bdb_evaluate.py MODELS_DIR METRICS_JSON COMPARISON_JSON PLOTS_DIR LIVE_DIR
Writes LIVE_DIR/<model>_<set>: each run's curves and test metrics as dvclive logged them (``log_sklearn_plot``).
"""
from pathlib import Path

from alskit.bdb import config, evaluate, records as bdb_records
from alskit.common import records
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs


def main(models_dir: str, metrics_path: str, comparison_path: str, plots_dir: str, live_dir: str) -> None:
    cfg, audit = config.load(), load_audit()
    with AtomicOutputs() as out:
        results, comparison, plot_files = evaluate.score_runs(Path(models_dir), cfg.models, cfg.synth.factors,
                                                              cfg.train.threshold, audit.bootstrap.model_dump(),
                                                              audit.calibration_bins, out.directory(live_dir))
        folder = out.directory(plots_dir)   # swapped in whole: a model or size dropped from params leaves no file
        for name, rows in plot_files.items():
            out.json(rows, folder / name)
        out.json(records.checked(bdb_records.Results, results), metrics_path)
        out.json(records.checked(bdb_records.Comparison, comparison), comparison_path)


if __name__ == "__main__":
    run(main)

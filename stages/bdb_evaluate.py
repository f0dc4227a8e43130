"""Seed 001, III.B-E / Table II: test metrics on the real held-out half (with bootstrap intervals over test
subjects), CV mean and std, ROC, confusion, curves; for every training set, synthetic and real, and per model
and synthetic size the paired difference in test AUROC between synthetic and real training.

Usage: python stages/bdb_evaluate.py MODELS_DIR METRICS_JSON COMPARISON_JSON PLOTS_DIR
"""
import logging
from pathlib import Path

from alskit import baselines, bdb, metrics, plots, uncertainty
from alskit.cli import load_params, param, run
from alskit.io import AtomicOutputs, read_csv, read_json

log = logging.getLogger("alskit")
NAMES = {label: name for name, label in bdb.LABELS.items()}


def main(models_dir: str, metrics_path: str, comparison_path: str, plots_dir: str) -> None:
    params = load_params()
    threshold = param(params, "bdb.train.threshold", (int, float), lambda v: 0 < v < 1, "a number in (0, 1)")
    bootstrap = uncertainty.bootstrap_settings(params)
    synthetic = baselines.synthetic_sets(param(params, "bdb.synth.factors", list))
    results, comparison, plots_dir = {}, {}, Path(plots_dir)
    with AtomicOutputs() as out:
        for model in param(params, "bdb.models", list):
            predictions = {}
            for size in [*synthetic, *baselines.REAL_SETS]:
                run_dir = Path(models_dir) / f"{model}_{size}"
                test = predictions[size] = read_csv(run_dir / "test_predictions.csv")
                scores = metrics.binary_metrics(test["y_true"], test["p"], threshold)
                intervals = uncertainty.bootstrap_intervals(test["y_true"], test["p"], metrics.binary_scores,
                                                            threshold=threshold, **bootstrap)
                results.setdefault(size, {})[model] = {
                    "test": uncertainty.with_intervals(scores, intervals),
                    "cv": metrics.fold_summary(read_csv(run_dir / "cv_predictions.csv"), threshold),
                    "constant_predictions": bool(test["p"].nunique() == 1)}  # one answer for every subject
                log.info("%-13s %-8s test: %s", size, model, "  ".join(
                    f"{k}={v:.3f}" if v is not None else f"{k}=n/a" for k, v in scores.items()))
                out.json(plots.roc_points(test["y_true"], test["p"]), plots_dir / "roc" / f"{model}_{size}.json")
                predicted = (test["p"] >= threshold).astype(int)
                out.json(plots.confusion_rows(test["y_true"], predicted, NAMES),
                         plots_dir / "confusion" / f"{model}_{size}.json")
                if (run_dir / "history.json").exists():
                    out.json(plots.history_rows(read_json(run_dir / "history.json")),
                             plots_dir / "history" / f"{model}_{size}.json", digits=6)
            for size, versus in baselines.synthetic_vs_real(predictions, synthetic, bdb.ID, bootstrap,
                                                             threshold).items():
                comparison.setdefault(size, {})[model] = versus
                for real, found in versus.items():
                    log.info("%s %-8s synthetic minus %s: AUROC %+.3f, %s", size, model, real,
                             found["auroc_difference"], found["verdict"])
        out.json(results, metrics_path)
        out.json(comparison, comparison_path)


if __name__ == "__main__":
    run(main)

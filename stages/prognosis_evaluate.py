"""Seed 000, section 5: test-split accuracy, precision, recall, F1 and AUC-ROC of the random forest, gradient
boosting and their averaging ensemble, with bootstrap intervals over test patients; CV scores on the training
split; best parameters; ROC, precision-recall, calibration and confusion charts.

Usage: python stages/prognosis_evaluate.py TEST_CSV MODELS_DIR METRICS_JSON PLOTS_DIR LIVE_DIR
Writes LIVE_DIR/<model>: each model's curves and test metrics as dvclive logged them (``log_sklearn_plot``).
"""
from pathlib import Path

from alskit.common import records
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs, read_csv
from alskit.prognosis import cohort, config, evaluate, records as prognosis_records


def main(test_path: str, models_dir: str, metrics_path: str, plots_dir: str, live_dir: str) -> None:
    cfg = config.load()
    schema = cohort.schema_from_config(cfg)
    X, y = cohort.features_and_labels(read_csv(test_path, index_col=0), schema)
    audit = load_audit()
    with AtomicOutputs() as out:
        results, plot_files = evaluate.score_models(Path(models_dir), cfg.models, X, y, schema.class_names,
                                                    cfg.train.threshold, audit.bootstrap.model_dump(),
                                                    audit.calibration_bins, out.directory(live_dir))
        folder = out.directory(plots_dir)
        for name, rows in plot_files.items():
            out.json(rows, folder / name)
        out.json(records.checked(prognosis_records.Results, results), metrics_path)


if __name__ == "__main__":
    run(main)

"""Seed 002, Table 4: per scenario and dropout rate, accuracy, precision, recall and F1 (weighted) as the mean and
standard deviation over CV folds, each with a bootstrap interval over subjects (so a "best" configuration can be
told from its neighbours, or not); beside them the clinical metrics against the trivial answer, per recording and
per subject, and the folds that collapsed (``alskit.voice.evaluate``); a heatmap of mean accuracy; the best
configuration by mean CV accuracy (the paper's choice).

Usage: python stages/voice_grid.py CNN_DIR GRID_METRICS_JSON HEATMAP_PNG BEST_JSON
"""
import logging
from pathlib import Path

import numpy as np

from alskit.common import plots
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.voice import config, evaluate as voice_eval
from alskit.common.io import AtomicOutputs, read_csv, read_json
from alskit.common.report import value

log = logging.getLogger("alskit")


def dropout_key(rate: float) -> str:
    return "none" if rate == 0 else str(rate)


def heatmap(accuracy: np.ndarray, scenarios: list[str], dropouts: list[str], path: Path) -> None:
    figure, axes = plots.pyplot().subplots(figsize=(1.3 * len(dropouts) + 2.5, 0.55 * len(scenarios) + 1.8))
    image = axes.imshow(accuracy, cmap="viridis", vmin=np.nanmin(accuracy) - 0.02, vmax=np.nanmax(accuracy) + 0.02)
    axes.set_xticks(range(len(dropouts)), [f"dropout {d}" for d in dropouts])
    axes.set_yticks(range(len(scenarios)), scenarios)
    for (i, j), value in np.ndenumerate(accuracy):
        axes.text(j, i, "not run" if np.isnan(value) else f"{100 * value:.1f}%", ha="center", va="center",
                  color="white" if np.isnan(value) or value < np.nanmean(accuracy) else "black", fontsize=9)
    axes.set_title("Mean CV accuracy per CNN scenario and dropout rate (seed 002, Table 4)")
    figure.colorbar(image, ax=axes, label="accuracy")
    plots.save_png(figure, path, dpi=110)


def main(cnn_dir: str, metrics_path: str, heatmap_path: str, best_path: str) -> None:
    grid = config.load().grid
    scenarios, rates = grid.scenarios, grid.dropouts
    bootstrap = load_audit().bootstrap.model_dump()
    table: dict = {}
    accuracy = np.full((len(scenarios), len(rates)), np.nan)
    for i, scenario in enumerate(scenarios):
        for j, rate in enumerate(rates):
            run_dir = Path(cnn_dir) / f"{scenario}_{rate}"
            predictions = read_csv(run_dir / "predictions.csv")
            result = voice_eval.summarise(predictions, bootstrap, read_json(run_dir / "history.json"))
            table.setdefault(scenario, {})[dropout_key(rate)] = result
            accuracy[i, j] = result["accuracy"]["mean"]
            log.info("%s dropout %-4s accuracy %.3f +- %.3f; per subject AUROC %s, balanced accuracy %s "
                     "(majority rate %.3f); %d of %d folds collapsed", scenario, dropout_key(rate),
                     result["accuracy"]["mean"], result["accuracy"]["std"],
                     value(result["per_subject"]["auroc"]), value(result["per_subject"]["balanced_accuracy"]),
                     result["per_subject"]["majority_rate"], result["folds"]["collapsed"], result["folds"]["of"])
    i, j = np.unravel_index(np.nanargmax(accuracy), accuracy.shape)
    best = {"scenario": scenarios[i], "dropout": rates[j], "accuracy": accuracy[i, j]}
    log.info("best configuration by mean CV accuracy: %s with dropout %s (%.3f)", best["scenario"],
             dropout_key(best["dropout"]), best["accuracy"])
    with AtomicOutputs() as out:
        out.json(table, metrics_path)
        heatmap(accuracy, scenarios, [dropout_key(r) for r in rates], out.path(heatmap_path))
        out.json(best, best_path)


if __name__ == "__main__":
    run(main)

"""Seed 002, Table 4: per scenario and dropout rate, accuracy, precision, recall and F1 (weighted) as the mean and
standard deviation over CV folds, each with a bootstrap interval over subjects (so a "best" configuration can be
told from its neighbours, or not); beside them the clinical metrics against the trivial answer, per recording and
per subject, and the folds that collapsed (``alskit.voice.evaluate``); a heatmap of mean accuracy (one
configuration: a dot with its interval); the best configuration by mean CV accuracy (the paper's choice).

Usage: python stages/voice_grid.py CNN_DIR GRID_METRICS_JSON HEATMAP_PNG BEST_JSON
"""
from pathlib import Path

from alskit.common import records
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs
from alskit.voice import config, grid, records as voice_records


def main(cnn_dir: str, metrics_path: str, heatmap_path: str, best_path: str) -> None:
    settings = config.load().grid
    table, accuracy = grid.grid_results(Path(cnn_dir), settings.scenarios, settings.dropouts,
                                        load_audit().bootstrap.model_dump())
    best = grid.best_configuration(accuracy, settings.scenarios, settings.dropouts)
    with AtomicOutputs() as out:
        out.json(records.checked(voice_records.Grid, table), metrics_path)
        grid.grid_chart(table, accuracy, settings.scenarios, settings.dropouts, out.path(heatmap_path))
        out.json(best, best_path)


if __name__ == "__main__":
    run(main)

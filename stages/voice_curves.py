"""Voice study, every model on one chart: ROC, precision-recall, calibration and confusion of the subjects'
out-of-fold predictions for the CNN (the best grid configuration), the fusion runs, the acoustic models and the
headline's nested CV (each subject's probability averaged over the fold seeds), each
run's curves logged with dvclive. See ``alskit.voice.curves``.

Usage: python stages/voice_curves.py RECORDINGS_CSV GRID_BEST_JSON CNN_DIR FUSION_DIR ACOUSTIC_DIR NESTED_DIR
                                     VOICE_JSON ACOUSTIC_METRICS_DIR NESTED_JSON PLOTS_DIR LIVE_DIR
Writes PLOTS_DIR/{roc,precision_recall,calibration,confusion}.json and LIVE_DIR/<run> (dvclive's files).
"""
from pathlib import Path

from alskit.common import records
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs, read_csv, read_json
from alskit.voice import config, curves, grid, records as voice_records


def main(recordings_path: str, best_path: str, cnn_dir: str, fusion_dir: str, acoustic_dir: str, nested_dir: str,
         voice_path: str, acoustic_metrics: str, nested_path: str, plots_dir: str, live_dir: str) -> None:
    cfg, recordings = config.load(), read_csv(recordings_path)
    best, networks = read_json(best_path), records.read(voice_records.Networks, voice_path)
    paths = {"audio": grid.run_dir(cnn_dir, best["scenario"], best["dropout"]) / "predictions.csv",
             **{name: Path(fusion_dir) / name / "predictions.csv" for name in config.RUN_NAMES
                if name != "audio" and name in networks},
             **{name: Path(acoustic_dir) / name / "predictions.csv" for name in cfg.acoustic.models},
             "nested": Path(nested_dir) / "predictions.csv"}
    results = {**{name: networks[name] for name in config.RUN_NAMES if name in networks},
               **{name: records.read(voice_records.Run, Path(acoustic_metrics) / f"{name}.json")
                  for name in cfg.acoustic.models},
               "nested": records.read(voice_records.Nested, nested_path)}
    predictions = {name: curves.with_subjects(read_csv(path), recordings) for name, path in paths.items()}
    with AtomicOutputs() as out:
        folder = out.directory(plots_dir)
        for name, rows in curves.chart_files(predictions, results, {**config.RUN_NAMES, **config.ACOUSTIC_NAMES,
                                                                             "nested": config.NESTED_NAME},
                                             load_audit().calibration_bins, out.directory(live_dir)).items():
            out.json(rows, folder / name)


if __name__ == "__main__":
    run(main)

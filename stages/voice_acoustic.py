"""Classic models on the acoustic measures (one of gradient boosting, random forest, regularised logistic
regression), cross-validated on the CNNs' own subject-grouped folds, with imputation and scaling fitted inside
each fold; scored like every voice model (``alskit.voice.evaluate``): per recording and per subject, against the
trivial answer, per task; and each measure's importance.

Usage: python stages/voice_acoustic.py MODEL FEATURES_CSV OUTPUT_DIR METRICS_JSON IMPORTANCE_JSON
Writes OUTPUT_DIR/predictions.csv (out-of-fold probabilities per recording) and OUTPUT_DIR/importance.csv (every
measure's importance, averaged over folds), the metrics, and the 15 most important measures for the plots and the
report.
"""
from pathlib import Path

from alskit.common import records
from alskit.common.cli import run
from alskit.common.errors import UserError
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs, read_csv
from alskit.voice import acoustic, config, records as voice_records


def main(model: str, features_path: str, output_dir: str, metrics_path: str, importance_path: str) -> None:
    cfg = config.load()
    if model not in cfg.acoustic.models:
        raise UserError(f"unknown acoustic model '{model}' (voice.acoustic.models); expected one of "
                        f"{', '.join(cfg.acoustic.models)}")
    predictions, importance, result = acoustic.score_model(model, read_csv(features_path), cfg,
                                                           load_audit().bootstrap.model_dump())
    with AtomicOutputs() as out:
        out.csv(predictions, Path(output_dir) / "predictions.csv")
        out.json(records.checked(voice_records.Run, result), metrics_path)
        out.csv(importance.rename_axis("feature").reset_index(), Path(output_dir) / "importance.csv")
        out.json(acoustic.importance_rows(importance, config.ACOUSTIC_NAMES[model]), importance_path, digits=5)


if __name__ == "__main__":
    run(main)

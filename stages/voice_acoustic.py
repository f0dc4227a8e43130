"""Classic models on the acoustic measures (one of gradient boosting, random forest, regularised logistic
regression), cross-validated on the CNNs' own subject-grouped folds, with imputation and scaling fitted inside
each fold; scored like every voice model (``alskit.voice.evaluate``): per recording and per subject, against the
trivial answer, per task; and each measure's importance.

Usage: python stages/voice_acoustic.py MODEL FEATURES_CSV OUTPUT_DIR METRICS_JSON IMPORTANCE_JSON
Writes OUTPUT_DIR/predictions.csv (out-of-fold probabilities per recording) and OUTPUT_DIR/importance.csv (every
measure's importance, averaged over folds), the metrics, and the 15 most important measures for the plots and the
report.
"""
import logging
from pathlib import Path

from alskit.common.cli import UserError, run
from alskit.common.config import load_audit
from alskit.voice import acoustic, config, cv as voice_cv, evaluate as voice_eval
from alskit.common.io import AtomicOutputs, read_csv
from alskit.common.report import value

log = logging.getLogger("alskit")
PLOTTED = 15  # measures in the importance chart (all of them in OUTPUT_DIR/importance.csv)


def main(model: str, features_path: str, output_dir: str, metrics_path: str, importance_path: str) -> None:
    cfg = config.load()
    if model not in acoustic.MODELS:
        raise UserError(f"unknown acoustic model '{model}' (voice.acoustic.models); expected one of "
                        f"{', '.join(acoustic.MODELS)}")
    settings = getattr(cfg.acoustic, model).model_dump()
    balanced = cfg.acoustic.class_weight == "balanced"
    cv = voice_cv.cv_settings(cfg)
    bootstrap = load_audit().bootstrap.model_dump()
    table = read_csv(features_path)
    labels, subjects = table["label"].to_numpy(), table["subject"].to_numpy()
    folds = voice_cv.assign_folds(labels, subjects, cv.folds, cv.seed, cv.group_by_subject)
    X = acoustic.design_matrix(table, cfg.tasks)
    log.info("%s: %d-fold CV on %d recordings of %d subjects x %d measures (folds grouped by subject: %s)", model,
             cv.folds, len(X), len(set(subjects)), X.shape[1], cv.group_by_subject)
    predictions, importance = acoustic.cross_validate(model, settings, X, labels, folds, cv.seed, balanced)
    predictions.insert(1, "subject", subjects[predictions["row"]])
    predictions.insert(2, "task", table["task"].to_numpy()[predictions["row"]])
    result = voice_eval.summarise(predictions, bootstrap)
    subject = result["per_subject"]
    log.info("%s: per recording AUROC %s; per subject AUROC %s, balanced accuracy %s (majority rate %.3f)", model,
             value(result["per_recording"]["auroc"]), value(subject["auroc"], subject["auroc_ci"]),
             value(subject["balanced_accuracy"]), subject["majority_rate"])
    log.info("%s: most important measures: %s", model, ", ".join(importance.index[:5]))
    with AtomicOutputs() as out:
        out.csv(predictions, Path(output_dir) / "predictions.csv")
        out.json(result, metrics_path)
        out.csv(importance.rename_axis("feature").reset_index(), Path(output_dir) / "importance.csv")
        out.json([{"feature": f, "importance": v} for f, v in importance.head(PLOTTED).items()], importance_path,
                 digits=5)


if __name__ == "__main__":
    run(main)

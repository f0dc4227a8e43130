"""The voice headline: nested, repeated, subject-grouped CV of the acoustic candidates (``alskit.voice.nested``).

Every model of ``voice.acoustic.models`` x feature set of ``voice.nested.feature_sets`` x window of
``voice.acoustic.window_seconds`` is a candidate; inside each outer training fold an inner subject-grouped CV on
per-subject AUROC chooses one, which then scores the outer fold; the outer CV is repeated over
``voice.nested.repeats`` fold seeds. The estimate is of the whole procedure: no scored subject took part in a
choice.

Usage: python stages/voice_nested.py FEATURES_CSV OUTPUT_DIR METRICS_JSON
Writes OUTPUT_DIR/predictions.csv (per recording and repeat: the chosen candidate's out-of-fold ALS probability),
OUTPUT_DIR/subjects.csv (per subject: y_true and probability averaged over recordings and repeats),
OUTPUT_DIR/choices.csv (per repeat, outer fold and candidate: inner score, chosen) and the metrics.
"""
import logging
from pathlib import Path

from alskit.common import records
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.document import value
from alskit.common.io import AtomicOutputs, read_csv
from alskit.common.uncertainty import interval
from alskit.voice import config, nested, records as voice_records

log = logging.getLogger("alskit")


def main(features_path: str, output_dir: str, metrics_path: str) -> None:
    cfg = config.load()
    table = read_csv(features_path)
    recordings = nested.recordings_of(table)
    settings = {m: getattr(cfg.acoustic, m).model_dump() for m in cfg.acoustic.models}
    candidates = nested.candidates_of(table, cfg.acoustic.models, settings, cfg.nested.feature_sets, cfg.tasks,
                                      cfg.cv.seed)
    seeds = nested.seeds_of(cfg.cv.seed, cfg.nested.repeats)
    log.info("%d candidates, %d-fold outer CV x %d fold seeds, %d-fold inner CV, on %d recordings of %d subjects",
             len(candidates), cfg.cv.folds, len(seeds), cfg.nested.inner_folds, len(recordings),
             recordings["subject"].nunique())
    result = nested.nested_cv(candidates, recordings["label"].to_numpy(), recordings["subject"].to_numpy(),
                              cfg.cv.folds, cfg.nested.inner_folds, seeds, "auroc",
                              cfg.acoustic.class_weight == "balanced")
    summary = nested.diagnosis_summary(result, recordings, load_audit().bootstrap.model_dump(), cfg.cv.folds,
                                       cfg.nested.inner_folds)
    head, seeds_spread = summary["per_subject"], summary["over_seeds"]
    log.info("nested per-subject AUROC %s (probabilities averaged over %d fold seeds); per seed %.3f +- %.3f "
             "(%.3f-%.3f); best of %d candidates chosen after seeing them: %s %.3f", value(head["auroc"],
             interval(head, "auroc")), len(seeds), seeds_spread["auroc_mean"], seeds_spread["auroc_sd"],
             seeds_spread["auroc_min"], seeds_spread["auroc_max"], len(candidates),
             summary["best_of_candidates"]["candidate"], summary["best_of_candidates"]["auroc_mean"])
    people = nested.subject_means(result.predictions, recordings, ["p1"]).rename(columns={"p1": "p",
                                                                                        "label": "y_true"})
    predictions = result.predictions.drop(columns="p0").rename(columns={"p1": "p"})
    predictions.insert(3, "subject", recordings["subject"].to_numpy()[predictions["row"]])
    predictions.insert(4, "y_true", recordings["label"].to_numpy()[predictions["row"]])
    with AtomicOutputs() as out:
        out.csv(predictions, Path(output_dir) / "predictions.csv")
        out.csv(people, Path(output_dir) / "subjects.csv")
        out.csv(result.choices, Path(output_dir) / "choices.csv")
        out.json(records.checked(voice_records.Nested, summary), metrics_path)


if __name__ == "__main__":
    run(main)

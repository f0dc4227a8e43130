"""Seed 002, IV.D / Table 4: the grid of CNN scenarios x dropout rates on the mel-spectrograms.

:func:`grid_run` cross-validates one configuration on the study's folds (the same folds for every configuration
and for the multimodal network); :func:`grid_results` summarises every run (accuracy, weighted precision, recall
and F1 as mean and sd over folds with intervals over subjects, beside the metrics against the trivial answer),
:func:`best_configuration` picks the paper's choice (highest mean CV accuracy) and :func:`grid_heatmap` draws it.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from alskit.common import plots
from alskit.common.cli import UserError
from alskit.common.io import read_csv, read_json
from alskit.common.report import value
from alskit.voice import cnn, cv
from alskit.voice.config import Voice
from alskit.voice.evaluate import summarise

log = logging.getLogger("alskit")


def configuration(scenario: str, text: str) -> float:
    """A grid configuration given on the command line (``voice.grid.scenarios`` x ``voice.grid.dropouts``
    through dvc.yaml), checked before any data are read: the scenario's name and the dropout rate, returned."""
    cnn.parse_scenario(scenario)
    try:
        rate = float(text)
    except ValueError:
        rate = -1.0
    if not 0 <= rate < 1:
        raise UserError(f"dropout rate must be a number in [0, 1) (voice.grid.dropouts), got {text!r}")
    return rate


def grid_run(scenario: str, rate: float, recordings: pd.DataFrame, images: np.ndarray, cfg: Voice,
             desc: str, live_root: Path | None = None) -> tuple[pd.DataFrame, list[dict]]:
    """k-fold CV of one CNN scenario (``S1A``..``S5B``) with dropout ``rate``: out-of-fold probabilities per
    recording (with subject and task) and each fold's training curves (with ``live_root``, also logged by dvclive
    to ``live_root/fold<k>`` as each epoch ends)."""
    settings = cv.cv_settings(cfg)
    labels, subjects = recordings["label"].to_numpy(), recordings["subject"].to_numpy()
    folds = cv.study_folds(labels, subjects, settings)
    log.info("%s, dropout %s: %d-fold CV on %d recordings of %d subjects (folds grouped by subject: %s)",
             scenario, rate or "none", settings.folds, len(labels), len(set(subjects)), settings.group_by_subject)
    predictions, histories = cnn.cross_validate(
        build=lambda x: cnn.build(scenario, rate, images.shape[1:3], cfg.grid.dense_units, settings.learning_rate),
        inputs_for=lambda train: (lambda rows: images[rows]), labels=labels, subjects=subjects, folds=folds,
        fit_params=settings.fit_params, validation_fraction=settings.validation_fraction,
        group_by_subject=settings.group_by_subject, seed=settings.seed,
        threads=settings.threads, balanced=settings.balanced, desc=desc, live_root=live_root)
    predictions.insert(1, "subject", subjects[predictions["row"]])
    predictions.insert(2, "task", recordings["task"].to_numpy()[predictions["row"]])
    accuracy = ((predictions["p"] >= 0.5) == predictions["y_true"]).mean()
    log.info("%s: out-of-fold accuracy %.3f; epochs per fold %s", desc, accuracy, [len(h["loss"]) for h in histories])
    return predictions, histories


def dropout_key(rate: float) -> str:
    """A dropout rate as Table 4 names it: ``none`` for 0, the rate otherwise."""
    return "none" if rate == 0 else str(rate)


def run_dir(cnn_dir: Path, scenario: str, rate: float) -> Path:
    """The folder of one grid run, ``<cnn_dir>/<scenario>_<rate>``, as ``dvc.yaml``'s ``voice_cnn`` names it."""
    return Path(cnn_dir) / f"{scenario}_{rate}"


def grid_results(cnn_dir: Path, scenarios: list[str], rates: list[float], bootstrap: dict
                 ) -> tuple[dict, np.ndarray]:
    """Table 4: every grid run ``<cnn_dir>/<scenario>_<rate>`` summarised (:func:`summarise`), by scenario and
    dropout key, and the matrix of mean CV accuracy (scenarios x rates)."""
    table: dict = {}
    accuracy = np.full((len(scenarios), len(rates)), np.nan)
    for i, scenario in enumerate(scenarios):
        for j, rate in enumerate(rates):
            folder = run_dir(cnn_dir, scenario, rate)
            result = summarise(read_csv(folder / "predictions.csv"), bootstrap, read_json(folder / "history.json"))
            table.setdefault(scenario, {})[dropout_key(rate)] = result
            accuracy[i, j] = result["accuracy"]["mean"]
            log.info("%s dropout %-4s accuracy %.3f +- %.3f; per subject AUROC %s, balanced accuracy %s "
                     "(majority rate %.3f); %d of %d folds collapsed", scenario, dropout_key(rate),
                     result["accuracy"]["mean"], result["accuracy"]["std"],
                     value(result["per_subject"]["auroc"]), value(result["per_subject"]["balanced_accuracy"]),
                     result["per_subject"]["majority_rate"], result["folds"]["collapsed"], result["folds"]["of"])
    return table, accuracy


def majority(table: dict) -> tuple[str, float]:
    """The recordings' majority class and its share (the same in every configuration: the same recordings)."""
    first = next(iter(next(iter(table.values())).values()))["per_recording"]
    return first["majority_class"], first["majority_rate"]


def best_configuration(accuracy: np.ndarray, scenarios: list[str], rates: list[float]) -> dict:
    """The paper's choice: the configuration with the highest mean CV accuracy (``scenario``, ``dropout``,
    ``accuracy``); the table's intervals say whether it can be told from its neighbours."""
    i, j = np.unravel_index(np.nanargmax(accuracy), accuracy.shape)
    best = {"scenario": scenarios[i], "dropout": rates[j], "accuracy": accuracy[i, j]}
    log.info("best configuration by mean CV accuracy: %s with dropout %s (%.3f)", best["scenario"],
             dropout_key(best["dropout"]), best["accuracy"])
    return best


def grid_heatmap(accuracy: np.ndarray, scenarios: list[str], rates: list[float], trivial: tuple[str, float],
                 path: Path) -> None:
    """Table 4 as a heatmap of mean CV accuracy, one cell per scenario and dropout rate, the best cell outlined
    and the majority-class accuracy (``trivial``: the class and its share) in the title and on the colour bar.
    The cells keep a readable size from one configuration (the tiny profile) to the paper's 10 x 6."""
    dropouts, (majority_class, majority_rate) = [dropout_key(r) for r in rates], trivial
    width, height = max(7.5, 1.15 * len(dropouts) + 3.2), max(3.6, 0.5 * len(scenarios) + 2.4)
    figure, axes = plots.pyplot().subplots(figsize=(width, height))
    # the colour scale spans the majority rate too, so the line marking it on the colour bar is always drawn
    vmin = min(np.nanmin(accuracy), majority_rate) - 0.01
    vmax = max(np.nanmax(accuracy), majority_rate) + 0.01
    image = axes.imshow(accuracy, cmap="viridis", vmin=vmin, vmax=vmax, aspect="auto")
    axes.set_xticks(range(len(dropouts)), [f"dropout {d}" for d in dropouts], fontsize=9)
    axes.set_yticks(range(len(scenarios)), [f"scenario {s}" for s in scenarios], fontsize=9)
    axes.set_xticks(np.arange(len(dropouts) + 1) - 0.5, minor=True)
    axes.set_yticks(np.arange(len(scenarios) + 1) - 0.5, minor=True)
    axes.grid(which="minor", color="white", linewidth=1.5)
    axes.tick_params(which="minor", length=0)
    for (i, j), cell in np.ndenumerate(accuracy):
        axes.text(j, i, "not run" if np.isnan(cell) else f"{100 * cell:.1f}%", ha="center", va="center",
                  color="white" if np.isnan(cell) or cell < (vmin + vmax) / 2 else "black", fontsize=9)
    if not np.isnan(accuracy).all():
        i, j = np.unravel_index(np.nanargmax(accuracy), accuracy.shape)
        axes.add_patch(plots.pyplot().Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=2.5))
    run = int(np.sum(~np.isnan(accuracy)))
    axes.set_title(f"Voice, Table 4: mean CV accuracy per CNN scenario and dropout rate\n({run} of the paper's "
                   "60 configurations run; red box: the best, taken to the multimodal comparison;\nred line on the "
                   f"colour bar: answering {majority_class} for everyone, {100 * majority_rate:.1f}%)", fontsize=9)
    colorbar = figure.colorbar(image, ax=axes, label="mean CV accuracy (per recording)")
    colorbar.ax.axhline(majority_rate, color="red", linewidth=2)
    plots.save_png(figure, path, dpi=100)

"""Seed 002, IV.D / Table 4: the grid of CNN scenarios x dropout rates on the mel-spectrograms.

:func:`grid_runs` cross-validates every configuration on the study's folds (the same folds for every configuration
and for the multimodal network), all configuration x fold trainings as one fan-out; :func:`grid_results`
summarises every run (accuracy, weighted precision, recall and F1 as mean and sd over folds with intervals over
subjects, beside the metrics against the trivial answer), :func:`best_configuration` picks the paper's choice
(highest mean CV accuracy) and :func:`grid_chart` draws it.
"""
from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from alskit.common import compute, plots
from alskit.common.io import read_csv, read_json
from alskit.common.document import value
from alskit.voice import cnn, cv, spectra
from alskit.voice.config import Grid, Voice
from alskit.voice.evaluate import summarise

log = logging.getLogger("alskit")


def configurations(grid: Grid) -> list[tuple[str, float]]:
    """The grid's configurations, scenario by scenario (``voice.grid.scenarios`` x ``voice.grid.dropouts``)."""
    return [(scenario, rate) for scenario in grid.scenarios for rate in grid.dropouts]


def fold_task(scenario: str, rate: float, k: int, mel_path: str, labels: np.ndarray, subjects: np.ndarray,
              folds: np.ndarray, settings: cv.CVSettings, dense_units: int,
              live_dir: Path | None) -> tuple[pd.DataFrame, dict]:
    """One training of the grid: CNN ``scenario`` with dropout ``rate`` on every fold but ``k``, scored on fold
    ``k`` (:func:`alskit.voice.cnn.train_fold`); a task of :func:`grid_runs`' fan-out, reading the images itself."""
    images = images_of(mel_path)
    return cnn.train_fold(
        build=lambda x: cnn.build(scenario, rate, images.shape[1:3], dense_units, settings.learning_rate,
                                  settings.seed),
        take=lambda rows: images[rows], labels=labels, subjects=subjects, folds=folds, k=k,
        fit_params=settings.fit_params, validation_fraction=settings.validation_fraction,
        group_by_subject=settings.group_by_subject, seed=settings.seed, threads=settings.threads,
        balanced=settings.balanced, live_dir=live_dir)


def images_of(mel_path: str) -> np.ndarray:
    """The mel images of the stage's file, read once per process and file version: every grid task reads them from
    the file (on a Dask cluster, the shared filesystem the workers need anyway) instead of receiving an 80 MB array
    as an argument, once per task."""
    stat = os.stat(mel_path)
    return _read_images(os.path.abspath(mel_path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1)
def _read_images(path: str, modified: int, size: int) -> np.ndarray:
    return spectra.load_images(path)


def grid_runs(recordings: pd.DataFrame, mel_path: str, cfg: Voice,
              live_root: Callable[[str, float], Path] | None = None) -> list[tuple[pd.DataFrame, list[dict]]]:
    """k-fold CV of every configuration of the grid on the study's folds, all configuration x fold trainings as one
    fan-out (:func:`alskit.common.compute.run`: as many at once as this machine's cores or a Dask cluster take).
    Per configuration (:func:`configurations` order): out-of-fold probabilities per recording (with subject and
    task) and each fold's training curves (with ``live_root``, also logged by dvclive to
    ``live_root(scenario, rate)/fold<k>`` as each epoch ends)."""
    settings, grid = cv.cv_settings(cfg), configurations(cfg.grid)
    labels, subjects = recordings["label"].to_numpy(), recordings["subject"].to_numpy()
    folds = cv.study_folds(labels, subjects, settings)
    log.info("%d configuration(s) x %d folds = %d trainings on %d recordings of %d subjects (folds grouped by "
             "subject: %s)", len(grid), settings.folds, len(grid) * settings.folds, len(labels), len(set(subjects)),
             settings.group_by_subject)
    tasks = [(scenario, rate, k) for scenario, rate in grid for k in range(settings.folds)]
    calls = [(scenario, rate, k, mel_path, labels, subjects, folds, settings, cfg.grid.dense_units,
              None if live_root is None else live_root(scenario, rate) / f"fold{k + 1}") for scenario, rate, k in tasks]
    done = compute.run(fold_task, calls, [f"{s} dropout {dropout_key(r)} fold {k + 1}" for s, r, k in tasks],
                       desc="CNN grid", unit="training", threads=settings.threads)
    runs = []
    for i, (scenario, rate) in enumerate(grid):
        mine = done[i * settings.folds:(i + 1) * settings.folds]
        predictions = pd.concat([part for part, _ in mine], ignore_index=True)
        predictions.insert(1, "subject", subjects[predictions["row"]])
        predictions.insert(2, "task", recordings["task"].to_numpy()[predictions["row"]])
        accuracy = ((predictions["p"] >= 0.5) == predictions["y_true"]).mean()
        log.info("%s dropout %s: out-of-fold accuracy %.3f; epochs per fold %s", scenario, dropout_key(rate),
                 accuracy, [len(history["loss"]) for _, history in mine])
        runs.append((predictions, [history for _, history in mine]))
    return runs


def dropout_key(rate: float) -> str:
    """A dropout rate as Table 4 names it: ``none`` for 0, the rate otherwise."""
    return "none" if rate == 0 else str(rate)


def run_dir(cnn_dir: Path, scenario: str, rate: float) -> Path:
    """The folder of one grid run, ``<cnn_dir>/<scenario>_<rate>`` (written by ``stages/voice_cnn.py``)."""
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


def grid_chart(table: dict, accuracy: np.ndarray, scenarios: list[str], rates: list[float], path: Path) -> None:
    """Table 4's chart: the heat map of mean CV accuracy (:func:`grid_heatmap`) when the grid has more than one
    configuration; for one (the default grid, the tiny profile), its accuracy with the interval over subjects beside
    the majority-class rate (:func:`one_configuration_chart`): a heat map of one cell shows a colour, not a
    comparison."""
    trivial = majority(table)
    if accuracy.size > 1:
        grid_heatmap(accuracy, scenarios, rates, trivial, path)
    else:
        one_configuration_chart(table[scenarios[0]][dropout_key(rates[0])], scenarios[0], rates[0], trivial, path)


def one_configuration_chart(result: dict, scenario: str, rate: float, trivial: tuple[str, float], path: Path) -> None:
    """One configuration's mean CV accuracy (a dot, its standard deviation over folds in the label) with its 95%
    interval over subjects (the bar), beside the accuracy of answering the majority class for everyone (red)."""
    (majority_class, majority_rate), accuracy = trivial, result["accuracy"]
    low, high = result["accuracy_ci_low"], result["accuracy_ci_high"]
    figure, axes = plots.pyplot().subplots(figsize=(7.5, 2.8))
    axes.errorbar([accuracy["mean"]], [0], xerr=[[accuracy["mean"] - low], [high - accuracy["mean"]]], fmt="o",
                  color="black", markersize=8, capsize=8, linewidth=2)
    right_of_majority = accuracy["mean"] >= majority_rate   # the label on the dot's side away from the red line
    axes.annotate(f"{100 * accuracy['mean']:.1f}% (sd over folds {100 * accuracy['std']:.1f} points)",
                  (accuracy["mean"], 0), xytext=(4 if right_of_majority else -4, 12), textcoords="offset points",
                  ha="left" if right_of_majority else "right", fontsize=9)
    axes.axvline(majority_rate, color="red", linestyle="--", linewidth=2)
    axes.annotate(f"answering {majority_class}\nfor everyone, {100 * majority_rate:.1f}%", (majority_rate, -0.9),
                  xytext=(-4, 0), textcoords="offset points", ha="right", va="bottom", color="red", fontsize=9)
    axes.set_xlim(max(0.0, min(low, majority_rate) - 0.06), min(1.0, max(high, majority_rate) + 0.04))
    axes.set_ylim(-1, 1)
    axes.set_yticks([0], [f"scenario {scenario}\ndropout {dropout_key(rate)}"], fontsize=9)
    axes.xaxis.set_major_formatter(lambda x, _: f"{100 * x:g}%")
    axes.set_xlabel("mean CV accuracy (per recording); bar: 95% interval over subjects", fontsize=9)
    axes.set_title("Voice, Table 4: mean CV accuracy of the one configuration run (1 of the paper's 60;\n"
                   "the heat map over scenarios and dropout rates needs a grid of more than one)", fontsize=9)
    plots.save_png(figure, path, dpi=100)


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
                  color="grey" if np.isnan(cell) else "white" if cell < (vmin + vmax) / 2 else "black", fontsize=9)
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

"""How much does one split decide? Seed 001 reports single numbers from one 50/50 split of a small cohort; on 60
test subjects with 11 controls a different split can move a test AUROC by 0.1. This repeats the whole protocol
(split per class, undersample, synthesize each size, train each model, score the real test half) once per split
seed, so the paper's and the pipeline's single numbers can be read against the spread of the protocol itself.

Every repeat takes one seed for its split, undersampling, synthesizer and models, so repeat ``k`` is the pipeline
run with ``bdb.split.seed = bdb.synth.seed = bdb.train.seed = first_seed + k``; the other settings are those of
``params.yaml``. Only test AUROC is kept (no cross-validation), which is what makes tens of repeats affordable.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from alskit.bdb import baselines, cohort, models, synthetic
from alskit.bdb.config import MODEL_NAMES, Bdb, BdbSynth
from alskit.common import compute


def training_sets(encoded: pd.DataFrame, seed: int, train_fraction: float, synth: BdbSynth
                  ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """One split's training sets by name (synthetic ``x<factor>`` for each of ``synth.factors`` and
    :data:`baselines.REAL_SETS`) and its test half, built as the pipeline's split and synthesis stages build them
    (``synth``: the ``bdb.synth`` settings; ``seed`` replaces their seed)."""
    half, test = cohort.split_per_class(encoded, train_fraction, seed)
    balanced = cohort.undersample(half, seed)
    sets = {size: synthetic.synthesize(
        balanced.reset_index(drop=True), factor * len(balanced), categorical=[cohort.LABEL],
        default_distribution=synth.default_distribution, enforce_min_max_values=synth.enforce_min_max_values,
        enforce_rounding=synth.enforce_rounding, seed=seed)
        for size, factor in zip(baselines.synthetic_sets(synth.factors), synth.factors)}
    return {**sets, "real-balanced": balanced, "real-all": half}, test


def one_split(encoded: pd.DataFrame, seed: int, cfg: Bdb, model_names: list[str]) -> list[dict]:
    """Test AUROC of every model trained on every training set of the split drawn with ``seed`` (which also
    seeds the synthesizer and the models; ``cfg``: the ``bdb`` parameters): rows of ``seed``, ``set``, ``model``,
    ``auroc``."""
    sets, test = training_sets(encoded, seed, cfg.split.train_fraction, cfg.synth)
    X_test, y_test = cohort.features_and_labels(test)
    seeded = cfg.model_copy(update={"train": cfg.train.model_copy(update={"seed": seed})})
    rows = []
    for name in model_names:
        make = models.model_factory(name, seeded)
        for size, training in sets.items():
            X, y = cohort.features_and_labels(training)
            p = make().fit(X, y).predict_proba(X_test[X.columns])[:, 1]
            rows.append({"seed": seed, "set": size, "model": name, "auroc": float(roc_auc_score(y_test, p))})
    return rows


def repeat(encoded: pd.DataFrame, cfg: Bdb, repeats: int, first_seed: int,
           model_names: list[str]) -> pd.DataFrame:
    """:func:`one_split` for seeds ``first_seed`` .. ``first_seed + repeats - 1``, in parallel on all cores
    (each repeat is seeded on its own, so the result does not depend on the core count), in seed order."""
    seeds = range(first_seed, first_seed + repeats)
    found = compute.run(one_split, [(encoded, seed, cfg, model_names) for seed in seeds],
                        [f"split seed {seed}" for seed in seeds], desc="splits", unit="split",
                        workers=min(repeats, os.cpu_count() or 1), threads=models.NETWORK_THREADS if models.NETWORK in model_names else None)
    return pd.DataFrame([row for rows in found for row in rows])


def summarise(rows: pd.DataFrame, level: float) -> dict:
    """Per training set and model: the spread of test AUROC over splits (median, the central ``level`` range,
    min, max, standard deviation) and, per synthetic set, the share of splits in which synthetic training scored
    above each real baseline on that split's own test half."""
    tail = (1 - level) / 2
    wide = rows.pivot_table(index=["model", "seed"], columns="set", values="auroc")
    synthetic_sets = [s for s in dict.fromkeys(rows["set"]) if s not in baselines.REAL_SETS]
    summary: dict = {"splits": int(rows["seed"].nunique()), "level": level}
    for size in dict.fromkeys(rows["set"]):
        summary[size] = {}
        for model in dict.fromkeys(rows["model"]):
            values = wide.loc[model, size].to_numpy()
            found = {"median": float(np.median(values)), "low": float(np.quantile(values, tail)),
                     "high": float(np.quantile(values, 1 - tail)), "min": float(values.min()),
                     "max": float(values.max()), "sd": float(values.std(ddof=1))}
            if size in synthetic_sets:
                for real in baselines.REAL_SETS:
                    found[f"share_above_{real}"] = float(np.mean(values > wide.loc[model, real].to_numpy()))
            summary[size][model] = found
    return summary


def plot_rows(rows: pd.DataFrame, model: str) -> list[dict]:
    """One model's rows for ``dvc plots`` (its chart: one box per training set): one per training set and split
    seed, training sets in the protocol's order, with the model's display name for the chart's header."""
    chosen = rows[rows["model"] == model]
    order = list(dict.fromkeys(chosen["set"]))
    chosen = chosen.assign(place=chosen["set"].map(order.index)).sort_values(["place", "seed"], kind="stable")
    return [{"model": MODEL_NAMES[model], "set": size, "seed": int(seed), "auroc": float(auroc)}
            for size, seed, auroc in chosen[["set", "seed", "auroc"]].itertuples(index=False)]

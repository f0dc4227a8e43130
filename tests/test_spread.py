"""Split-to-split spread (seed 001): the whole protocol repeated over split seeds, seeded and summarised."""
import pandas as pd
import pytest

from alskit.bdb import config, spread
from alskit.bdb import records as bdb_records
from alskit.common import records
from conftest import PAPER_READ, params_with

BDB = config.load(params_with(bdb={
    "split": {"train_fraction": 0.5},
    "synth": {"factors": [2, 3], "default_distribution": "gaussian_kde", "enforce_min_max_values": True,
              "enforce_rounding": False},
    "train": {"scaler": "minmax", "seed": 0, "class_weight": "balanced"},
    "lightgbm": {"n_estimators": 5, "learning_rate": 0.1}, "adaboost": {"n_estimators": 5, "learning_rate": 0.5}}))


@pytest.fixture(scope="module")
def rows():
    from conftest import bdb, demo_bdb
    cohort = demo_bdb.make_cohort(n_als=26, n_healthy=14, incomplete_als=0, incomplete_healthy=0,
                                  effect_scale=3.0, seed=11)
    encoded = bdb.encode(bdb.clean(cohort, PAPER_READ, 2, "test")[0], "test")
    return spread.repeat(encoded, BDB, repeats=3, first_seed=7, model_names=["adaboost", "lightgbm"]), encoded


@pytest.mark.slow
def test_every_split_trains_every_model_on_every_training_set_and_is_seeded(rows):
    first, encoded = rows
    second = spread.repeat(encoded, BDB, repeats=3, first_seed=7, model_names=["adaboost", "lightgbm"])
    pd.testing.assert_frame_equal(first, second)
    assert list(first.columns) == ["seed", "set", "model", "auroc"]
    assert len(first) == 3 * 2 * 4 and first["seed"].unique().tolist() == [7, 8, 9]
    assert list(dict.fromkeys(first["set"])) == ["x2", "x3", "real-balanced", "real-all"]
    assert first["auroc"].between(0, 1).all() and first.groupby("set")["auroc"].nunique().max() > 1


def test_each_repeat_is_the_pipeline_run_with_that_seed(rows):
    _, encoded = rows
    sets, test = spread.training_sets(encoded, 8, 0.5, BDB.synth.model_copy(update={"factors": [2]}))
    assert len(sets["real-balanced"]) == 2 * sets["real-balanced"]["Disease"].value_counts().min()
    assert len(sets["x2"]) == 2 * len(sets["real-balanced"])
    assert set(sets["real-all"].index).isdisjoint(test.index) and len(sets["real-all"]) + len(test) == len(encoded)


def test_summary_ranges_shares_and_plot_rows(rows):
    first, _ = rows
    summary = spread.summarise(first, level=0.95)
    records.checked(bdb_records.Spread, summary)
    found = summary["x2"]["adaboost"]
    values = first.query("set == 'x2' and model == 'adaboost'")["auroc"]
    assert summary["splits"] == 3 and found["min"] == values.min() and found["max"] == values.max()
    assert found["min"] <= found["low"] <= found["median"] <= found["high"] <= found["max"]
    real = first.query("set == 'real-all' and model == 'adaboost'")["auroc"].to_numpy()
    assert found["share_above_real-all"] == pytest.approx((values.to_numpy() > real).mean())
    assert "share_above_real-all" not in summary["real-all"]["adaboost"]
    plot = spread.plot_rows(first, "lightgbm")
    assert [(r["set"], r["seed"]) for r in plot[:4]] == [("x2", 7), ("x2", 8), ("x2", 9), ("x3", 7)]
    assert list(dict.fromkeys(r["set"] for r in plot)) == ["x2", "x3", "real-balanced", "real-all"]
    assert {r["model"] for r in plot} == {"LightGBM"} and len(plot) == 12
    lightgbm = first.query("model == 'lightgbm'").set_index(["set", "seed"])["auroc"]
    assert all(r["auroc"] == lightgbm[(r["set"], r["seed"])] for r in plot)

"""Units of the BDB data contract: demo cohort, cleaning, encoding, splitting."""
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from conftest import PAPER_READ

from alskit.bdb import cohort as bdb, demo as demo_bdb
from alskit.common.errors import UserError


def test_demo_cohort_has_the_contract_layout_and_paper_counts():
    raw = demo_bdb.make_cohort(100, 34, 3, 13, effect_scale=3.0, seed=3)
    assert list(raw.columns) == bdb.COLUMNS and len(bdb.COLUMNS) == 38
    assert raw[bdb.LABEL].value_counts().to_dict() == {"ALS": 100, "HEALTHY": 34}
    assert (raw == "#!NULL").to_numpy().sum() > 0
    clean, report = bdb.clean(raw, PAPER_READ, 2, "demo")
    assert report["class_counts_out"] == {"ALS": 97, "HEALTHY": 21}
    assert clean.shape == (118, 37)  # the paper's 37 columns: 36 biomarkers + Disease


def test_demo_markers_are_skewed_floored_and_overlapping():
    raw = demo_bdb.make_cohort(100, 34, 0, 0, effect_scale=3.0, seed=3)
    frame = bdb.encode(bdb.clean(raw, PAPER_READ, 2, "demo")[0], "demo")
    il6 = frame["IL6"]
    assert il6.mean() > il6.median() * 1.1, "concentrations should be right-skewed"
    assert (frame["IL1beta"] == frame["IL1beta"].min()).sum() >= 10, "detection floor repeated"
    aucs = [roc_auc_score(frame[bdb.LABEL], frame[m]) for m in bdb.CYTOKINES + bdb.FATTY_ACIDS]
    best = max(max(a, 1 - a) for a in aucs)
    assert 0.6 < best < 0.95, f"single markers should separate the classes only partly, best AUROC {best:.2f}"
    assert roc_auc_score(frame[bdb.LABEL], frame["IL6"]) > 0.6, "IL6 higher in ALS"


def test_demo_without_effect_has_no_signal():
    raw = demo_bdb.make_cohort(300, 300, 0, 0, effect_scale=0.0, seed=1)
    frame = bdb.encode(bdb.clean(raw, PAPER_READ, 2, "demo")[0], "demo")
    assert abs(roc_auc_score(frame[bdb.LABEL], frame["IL6"]) - 0.5) < 0.08


def test_clean_counts_tokens_empties_and_coerced_text(cohort):
    raw = cohort.copy()
    complete_rows = raw.index[~raw.isin(["#!NULL", "n.d."]).any(axis=1) & raw.notna().all(axis=1)]
    raw.loc[complete_rows[0], "IL6"] = "oops"
    raw.loc[complete_rows[1], "VEGF"] = "#!NULL"
    raw.loc[complete_rows[2], "Età"] = " 71 "  # numeric text with spaces is still a number
    clean, report = bdb.clean(raw, PAPER_READ, 2, "test")
    assert report["rows_in"] == 40
    assert sum(report["cells"]["unparseable"]["IL6"].values()) >= 1
    assert report["rows_out"] == len(clean) == 40 - 5 - 2
    assert raw.loc[complete_rows[2], bdb.ID] in clean.index
    assert clean[bdb.NUMERIC].dtypes.map(pd.api.types.is_numeric_dtype).all()
    assert bdb.ID not in clean.columns and clean.index.name == bdb.ID


def test_clean_names_missing_columns(cohort):
    with pytest.raises(UserError, match="missing column.*'IL6'.*'TTVlog'"):
        bdb.clean(cohort.drop(columns=["IL6", "TTVlog"]), PAPER_READ, 2, "x.xlsx")


def test_clean_rejects_a_class_too_small_after_cleaning(cohort):
    complete = cohort.notna().all(axis=1) & ~cohort.isin(["#!NULL", "n.d."]).any(axis=1)
    healthy = cohort.index[(cohort[bdb.LABEL] == "HEALTHY") & complete]
    broken = cohort.copy()
    broken.loc[healthy[:-1], "IL6"] = "#!NULL"
    with pytest.raises(UserError, match="class 'HEALTHY' has 1 complete row"):
        bdb.clean(broken, PAPER_READ, 2, "x.xlsx")


def test_clean_rejects_duplicate_subjects(cohort):
    cohort.loc[1, bdb.ID] = cohort.loc[0, bdb.ID]
    with pytest.raises(UserError, match="repeats subject"):
        bdb.clean(cohort, PAPER_READ, 2, "x.xlsx")


def test_encode_maps_labels_and_names_unknown_values(cohort):
    clean, _ = bdb.clean(cohort, PAPER_READ, 2, "test")
    encoded = bdb.encode(clean, "test")
    assert set(encoded[bdb.LABEL]) == {0, 1} and set(encoded[bdb.SEX]) <= {0, 1}
    assert (encoded[bdb.LABEL] == (clean[bdb.LABEL] == "ALS")).all()
    clean.iloc[0, clean.columns.get_loc(bdb.LABEL)] = "PLS"
    with pytest.raises(UserError, match="column 'Disease' has unknown value.*'PLS'"):
        bdb.encode(clean, "test")


def test_split_is_per_class_disjoint_and_seeded(encoded):
    train, test = bdb.split_per_class(encoded, 0.5, seed=1)
    assert not set(train.index) & set(test.index)
    assert len(train) + len(test) == len(encoded)
    for label, n in encoded[bdb.LABEL].value_counts().items():
        assert (train[bdb.LABEL] == label).sum() == n // 2
    again, _ = bdb.split_per_class(encoded, 0.5, seed=1)
    other, _ = bdb.split_per_class(encoded, 0.5, seed=2)
    assert list(again.index) == list(train.index) and set(other.index) != set(train.index)


def test_undersample_balances_to_the_smallest_class(encoded):
    balanced = bdb.undersample(encoded, seed=0)
    counts = balanced[bdb.LABEL].value_counts()
    assert counts.nunique() == 1 and counts.iloc[0] == encoded[bdb.LABEL].value_counts().min()
    assert set(balanced.index) <= set(encoded.index)


def test_paper_split_sizes():
    frame = pd.DataFrame({bdb.LABEL: [1] * 97 + [0] * 21}, index=[f"s{i}" for i in range(118)])
    train, test = bdb.split_per_class(frame, 0.5, seed=0)
    assert train[bdb.LABEL].value_counts().to_dict() == {1: 48, 0: 10}
    assert test[bdb.LABEL].value_counts().to_dict() == {1: 49, 0: 11}
    assert len(bdb.undersample(train, 0)) == 20

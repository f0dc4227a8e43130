"""Results per subgroup (alskit.common.subgroups): age bands, counts, unscored small groups, and a subgroup the
model fails is flagged below the overall estimate."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alskit.common import subgroups
from alskit.common.cli import UserError
from alskit.common.report import Document

BOOT = {"iterations": 300, "seed": 0}


def test_age_bands():
    ages = pd.Series([30, 49.9, 50, 64.5, 65, 90, np.nan])
    assert subgroups.age_band(ages, [50, 65]).tolist() == ["under 50", "under 50", "50-64", "50-64", "65 and over",
                                                           "65 and over", "unknown"]
    with pytest.raises(UserError, match="age_bands must increase"):
        subgroups.age_band(ages, [65, 50])


def cohort(seed=0):
    """200 subjects; the model separates the classes well for men and not at all for women."""
    rng = np.random.default_rng(seed)
    n = 200
    y = rng.integers(0, 2, n)
    sex = np.where(np.arange(n) < 120, "M", "F")
    p = np.where(sex == "M", np.clip(0.5 + 0.35 * (2 * y - 1) + rng.normal(0, 0.15, n), 0, 1), rng.random(n))
    age = rng.uniform(40, 80, n)
    return pd.DataFrame({"y_true": y, "p": p, "sex": sex, "age": age})


def test_a_failed_subgroup_is_flagged_and_a_small_one_is_not_scored():
    frame = cohort()
    frame.loc[frame.index[:3], "age"] = 20     # three subjects under 30: too few of a class
    result = subgroups.table(frame, [30, 60], BOOT, min_per_class=5)
    assert result["sex"]["F"]["below_overall"] and not result["sex"]["M"]["below_overall"]
    assert result["sex"]["F"]["auroc_ci_high"] < result["overall_auroc"] < result["sex"]["M"]["auroc"]
    young = result["age"]["under 30"]
    assert young == {"n": 3, "positives": young["positives"], "negatives": 3 - young["positives"], "scored": False}
    assert sum(g["n"] for g in result["age"].values()) == 200
    doc = Document("t")
    subgroups.report(doc, result, "test", 5)
    text = doc.markdown(base=Path("."))
    assert "Interval wholly below the overall estimate: sex F." in text
    assert "not scored: too few of a class" in text and "1 subgroup(s) hold fewer than 5" in text


def test_join_names_a_missing_column_and_subject():
    predictions = pd.DataFrame({"ID": ["a", "b"], "y_true": [1, 0], "p": [0.9, 0.1]})
    people = pd.DataFrame({"ID": ["a", "b"], "Sex": ["M", "F"], "Age": [50, 60]})
    joined = subgroups.join(predictions, people, "Sex", "Age", "people.csv")
    assert joined[["sex", "age"]].values.tolist() == [["M", 50], ["F", 60]]
    with pytest.raises(UserError, match="people.csv: no column 'Gender'"):
        subgroups.join(predictions, people, "Gender", "Age", "people.csv")
    with pytest.raises(UserError, match="subject 'b' has a prediction but no row"):
        subgroups.join(predictions, people.iloc[:1], "Sex", "Age", "people.csv")

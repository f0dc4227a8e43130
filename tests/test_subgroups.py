"""Results per subgroup (alskit.common.subgroups): age bands, counts, unscored small groups, and a subgroup the
model fails is flagged below the overall estimate."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alskit.common import subgroups
from alskit.common.errors import UserError
from alskit.common.document import Document
from alskit.common import records

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
    records.checked(records.Subgroups, result)
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


def test_a_subgroup_is_scored_from_exactly_the_minimum_per_class_with_its_own_intervals():
    y = np.array([1, 1, 1, 0, 0, 0, 0])
    p = np.array([0.9, 0.7, 0.4, 0.3, 0.6, 0.2, 0.1])
    entry = subgroups.score_group(y, p, 0.95, BOOT, min_per_class=3)
    intervals = subgroups.uncertainty.bootstrap_intervals(y, p, subgroups.metrics.clinical_scores, **BOOT)
    point = subgroups.metrics.clinical_metrics(y, p)
    assert entry == {"n": 7, "positives": 3, "negatives": 4, "scored": True,
                     "auroc": point["auroc"], "auroc_ci_low": intervals["auroc"][0],
                     "auroc_ci_high": intervals["auroc"][1], "balanced_accuracy": point["balanced_accuracy"],
                     "balanced_accuracy_ci_low": intervals["balanced_accuracy"][0],
                     "balanced_accuracy_ci_high": intervals["balanced_accuracy"][1],
                     "below_overall": intervals["auroc"][1] < 0.95}
    assert subgroups.score_group(y, p, 0.95, BOOT, min_per_class=4) == {"n": 7, "positives": 3, "negatives": 4,
                                                                        "scored": False}
    assert subgroups.score_group(y, p, None, BOOT, min_per_class=3)["below_overall"] is False
    assert subgroups.score_group(y, p, entry["auroc_ci_high"], BOOT, 3)["below_overall"] is False, "ends at it"


def test_the_table_counts_blank_sex_and_age_as_unknown_and_reports_every_group():
    frame = cohort()
    frame.loc[frame.index[:2], "sex"] = np.nan
    frame.loc[frame.index[2:4], "age"] = np.nan
    result = subgroups.table(frame, [60], BOOT, min_per_class=5)
    assert set(result["sex"]) == {"F", "M", "unknown"} and result["sex"]["unknown"]["n"] == 2
    assert set(result["age"]) == {"under 60", "60 and over", "unknown"} and result["age"]["unknown"]["n"] == 2
    assert result["subjects"] == 200 and result["overall_auroc"] == subgroups.metrics.clinical_metrics(
        frame["y_true"].to_numpy(), frame["p"].to_numpy())["auroc"]
    rows = subgroups.rows(result)
    assert [r[0] for r in rows] == ["sex: F", "sex: M", "sex: unknown", "age: 60 and over", "age: under 60",
                                    "age: unknown"]
    male = result["sex"]["M"]
    assert rows[1] == ["sex: M", f"{male['n']} ({male['positives']} / {male['negatives']})",
                       subgroups_value(male, "auroc"), subgroups_value(male, "balanced_accuracy")]
    assert rows[0][2].endswith(" (**below the overall estimate**)")
    assert rows[2] == ["sex: unknown", "2 (" + f"{result['sex']['unknown']['positives']} / "
                       f"{result['sex']['unknown']['negatives']})", "not scored: too few of a class", "-"]


def subgroups_value(entry: dict, name: str) -> str:
    from alskit.common.document import value
    from alskit.common.uncertainty import interval
    return value(entry[name], interval(entry, name))


def test_the_sentence_says_when_no_subgroup_falls_below():
    frame = cohort()
    frame["p"] = np.clip(0.5 + 0.35 * (2 * frame["y_true"] - 1), 0, 1)     # the model works for everyone
    result = subgroups.table(frame, [60], BOOT, min_per_class=5)
    text = subgroups.sentence(result, "test split", 5)
    assert text.startswith("**Per subgroup** (test split; overall AUROC 1.000 on 200 subjects): ")
    assert text.endswith("No subgroup's AUROC interval lies wholly below the overall estimate.")
    assert "not scored" not in text


def test_an_age_that_is_not_a_number_is_unknown_not_the_oldest_band():
    ages = pd.Series([45, "n/a", "sixty", None], dtype=object)
    assert subgroups.age_band(ages, [50, 65]).tolist() == ["under 50", "unknown", "unknown", "unknown"]


def test_age_bands_with_three_edges_and_fractional_ages_keep_the_subjects_index():
    ages = pd.Series([39.99, 40, 54.5, 55, 70, 71, np.nan], index=[f"S{i}" for i in range(7)])
    bands = subgroups.age_band(ages, [40, 55, 70])
    assert bands.tolist() == ["under 40", "40-54", "40-54", "55-69", "70 and over", "70 and over", "unknown"]
    assert bands.index.tolist() == ages.index.tolist()


def test_every_subgroup_is_listed_after_one_too_small_to_score_and_the_sentence_names_all_below():
    frame = cohort()
    frame.loc[frame.index[:3], "sex"] = "A"                 # sorted first, too small to score
    result = subgroups.table(frame, [60], BOOT, min_per_class=5)
    result["age"]["under 60"]["below_overall"] = result["age"]["60 and over"]["below_overall"] = True
    assert [r[0] for r in subgroups.rows(result)][:3] == ["sex: A", "sex: F", "sex: M"]
    text = subgroups.sentence(result, "test split", 5)
    assert "Interval wholly below the overall estimate: sex F, age 60 and over, age under 60." in text
    assert text.endswith(" 1 subgroup(s) hold fewer than 5 subjects of a class (`audit.subgroups.min_per_class`): "
                         "counted, not scored.")
    doc = Document("t")
    subgroups.report(doc, result, "the test split", 5)
    assert "**Per subgroup** (the test split; overall AUROC" in doc.markdown(base=Path("."))

"""The table reader's functions called directly (the stage tests in test_real_tables.py run them in a subprocess,
where a planted bug in one of them would pass unseen by mutation testing): rows without data or ID, IDs,
labels, the decimal comma, censored values, and the class bias of cleaning."""
import math

import numpy as np
import pandas as pd
import pytest

from conftest import read_settings

from alskit.common import tables
from alskit.common.errors import UserError


def ledger_for(classes: list) -> tables.Ledger:
    return tables.Ledger(pd.Series(classes, index=range(2, 2 + len(classes))))


def test_blank_rows_footnotes_and_rows_without_an_id_are_dropped_and_counted_by_kind_and_class():
    frame = pd.DataFrame({"ID": ["A", "B", np.nan, "Note: values in mg/L", np.nan, "C"],
                          "Disease": ["ALS", "HC", "ALS", np.nan, np.nan, "HC"],
                          "x": [1.0, 2.0, 3.0, np.nan, np.nan, 4.0]}, index=range(2, 8))
    ledger = tables.Ledger(frame["Disease"])
    kept = tables.drop_rows_without_data(frame, "ID", ledger, "t.csv")
    assert kept.index.tolist() == [2, 3, 7]
    assert ledger.report()["rows_dropped"] == {"blank_or_footnote": {"(no label)": 2}, "without_id": {"ALS": 1}}
    untouched = frame.loc[[2, 3]]
    assert tables.drop_rows_without_data(untouched, "ID", ledger_for(["ALS", "HC"]), "t.csv").equals(untouched)


def test_ids_stored_as_numbers_are_the_same_subjects_as_their_text():
    ids = pd.Series([50.0, "050 ", 7, " x1"])
    assert tables.normalise_ids(ids, "ID", "t.csv").tolist() == ["50", "050", "7", "X1"]
    # 7 typed as a number and as text is one spelling of one subject (a repeat, for repeated_ids), not two
    assert tables.normalise_ids(pd.Series([7, "7", 50.0, "50"]), "ID", "t.csv").tolist() == ["7", "7", "50", "50"]
    with pytest.raises(UserError, match=r"t.csv: column 'ID' has 'a7' \(row 0\) and 'A7' \(row 1\), one subject"):
        tables.normalise_ids(pd.Series(["a7", "A7"]), "ID", "t.csv")


def test_a_repeated_subject_is_named_with_its_rows():
    with pytest.raises(UserError, match=r"column 'ID' repeats subject 'B' \(rows 3, 5\); one row per subject"):
        tables.repeated_ids(pd.Series(["A", "B", "C", "B"], index=[2, 3, 4, 5]), "ID", "t.csv")
    with pytest.raises(UserError, match=r"repeats subject 'A' \(rows 2, 4 and 1 more subject\(s\)\)"):
        tables.repeated_ids(pd.Series(["A", "B", "A", "B"], index=[2, 3, 4, 5]), "ID", "t.csv")
    tables.repeated_ids(pd.Series(["A", "B"]), "ID", "t.csv")


def test_labels_are_read_ignoring_case_and_spaces_blanks_stay_missing_and_respellings_are_counted():
    values = pd.Series([" als", "HC", np.nan, "hc ", "ALS", "ALS"], index=range(2, 8))
    ledger = tables.Ledger(pd.Series("?", index=values.index))
    mapped = tables.normalise_labels(values, ["ALS", "HC"], "Category", "t.csv", ledger)
    assert mapped.iloc[[0, 1, 3, 4, 5]].tolist() == ["ALS", "HC", "HC", "ALS", "ALS"] and pd.isna(mapped.iloc[2])
    assert ledger.report()["cells"] == {"respelled": {"Category": {"?": 2}}}
    assert tables.normalise_labels(values, ["ALS", "HC"], "Category", "t.csv").iloc[0] == "ALS"   # no ledger
    with pytest.raises(UserError, match=r"column 'Category' has 'PD', 'MSA' \(first on row 3\); expected ALS or HC"):
        tables.normalise_labels(pd.Series(["ALS", "PD", "MSA", "PD"], index=range(2, 6)), ["ALS", "HC"],
                                "Category", "t.csv")


@pytest.mark.parametrize("text, decimal, expected", [
    ("1,5", ",", 1.5), ("1.5", ",", 1.5), ("1.5", ".", 1.5), ("1,5", ".", None), ("1,234,5", ",", None),
    ("1.2,5", ",", None), ("-0", ".", 0.0), ("2e3", ".", 2000.0), ("abc", ".", None)])
def test_one_number_in_either_convention(text, decimal, expected):
    found = tables._number(text, decimal)
    assert found == expected
    if expected == 0.0:
        assert math.copysign(1, found) == 1, "-0 is read as 0"


def test_a_censored_value_with_a_decimal_comma_decides_the_separator():
    cells = pd.DataFrame({"x": ["<0,5", "1,25", "3"]})
    options = read_settings("bdb.read")
    assert tables.decimal_separator(cells, options, "t.csv") == ","
    assert tables._strip_censoring(" <= 0,5 ") == "0,5" and tables._strip_censoring(" 12 ") == "12"
    assert tables.decimal_separator(pd.DataFrame({"x": ["<0.5", "3"]}), options, "t.csv") == "."


def test_each_kind_of_cell():
    tokens = {"n.d."}
    assert tables._parse_cell(None, ".", tokens)[0] == "empty"
    assert tables._parse_cell(float("nan"), ".", tokens)[0] == "empty"
    assert tables._parse_cell(3, ".", tokens) == ("number", 3.0)
    assert tables._parse_cell(True, ".", tokens)[0] == "unparseable", "a boolean is not a measurement"
    assert tables._parse_cell(float("inf"), ".", tokens) == ("infinite", math.inf)
    assert tables._parse_cell(" n.d. ", ".", tokens)[0] == "missing_token"
    assert tables._parse_cell("-Infinity", ".", tokens)[0] == "infinite"
    assert tables._parse_cell(" 2,5 ", ",", tokens) == ("decimal_comma", 2.5)
    assert tables._parse_cell("2.5", ",", tokens) == ("number", 2.5)
    assert tables._parse_cell("<LOD", ".", tokens)[0] == "censored"
    assert tables._parse_cell("see note", ".", tokens)[0] == "unparseable"


def test_cleaning_that_drops_one_class_more_is_flagged_by_fishers_test():
    biased = tables.class_bias({"ALS": 40, "HC": 40}, {"ALS": 39, "HC": 25})
    assert biased["dropped_share"] == {"ALS": 1 / 40, "HC": 15 / 40}
    from scipy.stats import fisher_exact
    assert biased["p_value"] == pytest.approx(fisher_exact([[1, 39], [15, 25]]).pvalue) and biased["flag"]
    even = tables.class_bias({"ALS": 40, "HC": 40, tables.NO_CLASS: 3}, {"ALS": 38, "HC": 38})
    assert even["flag"] is False and even["p_value"] == pytest.approx(1.0)
    assert tables.class_bias({"ALS": 40, "HC": 40}, {"ALS": 40, "HC": 40}) == {
        "dropped_share": {"ALS": 0.0, "HC": 0.0}, "p_value": None, "flag": False}
    assert tables.class_bias({"ALS": 4, "HC": 0}, {"ALS": 3})["dropped_share"] == {"ALS": 0.25, "HC": None}
    at_alpha = tables.class_bias({"ALS": 40, "HC": 40}, {"ALS": 39, "HC": 25}, alpha=biased["p_value"])
    assert at_alpha["flag"] is False, "p must be below alpha, not equal to it"


def parse(cells: list, **options) -> pd.Series:
    frame = pd.DataFrame({"x": cells}, index=range(2, 2 + len(cells)))
    ledger = tables.Ledger(pd.Series("ALS", index=frame.index))
    return tables.parse_numeric(frame, ["x"], read_settings("bdb.read", **options), ledger, "t.csv",
                                non_negative={"x"}, hint="HINT; ")["x"]


def test_cell_errors_name_the_file_column_row_and_value():
    with pytest.raises(UserError, match=r"^t.csv: column 'x' row 3 has 'inf', not a finite number$"):
        parse(["1", "inf"])
    with pytest.raises(UserError, match=r"^t.csv: column 'x' row 4 has '-2'; this column cannot be negative$"):
        parse(["1", "0", "-2"])
    assert parse(["0", "1"]).tolist() == [0.0, 1.0], "zero is a concentration"
    with pytest.raises(UserError, match=r"^t.csv: column 'x' row 3 has 'abc', not a number \(2 such cells in this "
                                        r"column\); HINT; list it in bdb.read.missing_tokens if it means missing, or "
                                        r"set bdb.read.unparseable: missing$"):
        parse(["1", "abc", "def"])
    with pytest.raises(UserError, match=r"^t.csv: column 'x' row 3 has 'abc', not a number; HINT; list"):
        parse(["1", "abc"])
    frame = pd.DataFrame({"x": ["1", "abc"]}, index=[2, 3])
    with pytest.raises(UserError, match=r"^t.csv: column 'x' row 3 has 'abc', not a number; list it in"):
        tables.parse_numeric(frame, ["x"], read_settings("bdb.read"), ledger_for(["ALS"] * 2), "t.csv")
    with pytest.raises(UserError, match=r"^t.csv: column 'x' is empty in every row \(rows 2-3\)$"):
        parse([None, None])
    with pytest.raises(UserError, match=r"^t.csv: column 'x' holds no number in any row \(rows 2-3\)$"):
        parse(["abc", None], unparseable="missing")
    with pytest.raises(UserError, match=r"^t.csv: numbers written with a decimal comma \('1,5'\) and a decimal "
                                        r"point \('2.5'\) in one table; set bdb.read.decimal$"):
        parse(["1,5", "2.5"])


def test_censored_values_are_named_or_replaced_by_their_limit():
    with pytest.raises(UserError, match=r"^t.csv: column 'x' has censored value\(s\) '<1' \(row 2\), '<2' \(row 3\), "
                                        r"'>3' \(row 4\) and 1 more; set bdb.read.censored: limit or half_limit"):
        parse(["<1", "<2", ">3", "<4", "5"])
    with pytest.raises(UserError, match=r"'>3' \(row 4\); set bdb.read.censored"):
        parse(["<1", "<2", ">3", "5"])
    assert parse(["<0,5", "2,25"], censored="limit").tolist() == [0.5, 2.25]
    assert parse(["<0.5", ">7", "2"], censored="half_limit").tolist() == [0.25, 7.0, 2.0]
    with pytest.raises(UserError, match=r"^t.csv: column 'x' row 2 has '<LOD' but no limit for 'x' in "
                                        r"bdb.read.detection_limits$"):
        parse(["<LOD", "2"], censored="limit")
    with pytest.raises(UserError, match=r"^t.csv: column 'x' row 2 has '<abc', neither a number nor a censored value "
                                        r"such as '<0.5' or '<LOD'$"):
        parse(["<abc", "2"], censored="limit")


def test_what_was_dropped_is_logged_with_its_rows(caplog):
    frame = pd.DataFrame({"ID": ["A", np.nan, np.nan, "B"], "x": [1.0, np.nan, 2.0, np.nan]}, index=range(2, 6))
    with caplog.at_level("INFO", logger="alskit"):
        tables.drop_rows_without_data(frame, "ID", ledger_for(["ALS"] * 4), "t.csv")
    assert "t.csv: dropped 2 row(s) with blank or footnote (rows 3, 5)" in caplog.text
    assert "t.csv: dropped 1 row(s) with no ID (row 4)" in caplog.text


def test_a_class_cleaning_removed_entirely_and_a_single_dropped_row_are_tested():
    gone = tables.class_bias({"ALS": 10, "HC": 10}, {"ALS": 10})
    from scipy.stats import fisher_exact
    assert gone["dropped_share"] == {"ALS": 0.0, "HC": 1.0}
    assert gone["p_value"] == pytest.approx(fisher_exact([[0, 10], [10, 0]]).pvalue) and gone["flag"]
    one = tables.class_bias({"ALS": 10, "HC": 10}, {"ALS": 10, "HC": 9})
    assert one["p_value"] == pytest.approx(1.0) and one["flag"] is False

"""Real tables as clinics export them (docs/data.md, "What real exports look like"), for all three studies' readers.

Each case runs the stage script on a tiny real-shaped file and checks: for refused input, exit code 2 and one
line naming the file, column, row or parameter, and no output at all (not even a hidden temporary); for accepted
input, the values read and the counts in the cleaning metrics.
"""
import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from alskit.bdb import cohort as bdb
from alskit.common import tables
from alskit.prognosis import demo as demo_prognosis
from alskit.voice import demo as demo_voice
from alskit.common.io import AtomicOutputs
from conftest import REPO, read_settings, run_stage
from test_bdb_cli import assert_user_error

CLEAN_BDB = ("out/clean.csv", "out/cleaning.json")


def set_params(folder, **updates):
    """``updates`` keyed by dotted parameter name, with ``__`` for dots (``bdb__read__censored="limit"``)."""
    params = yaml.safe_load((folder / "params.yaml").read_text())
    for dotted, value in updates.items():
        *path, last = dotted.split("__")
        node = params
        for key in path:
            node = node[key]
        node[last] = value
    (folder / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))


def assert_nothing_written(folder):
    out = folder / "out"
    assert not out.exists() or not any(out.iterdir()), sorted(p.name for p in out.iterdir())


def clean_bdb(folder, frame, name="raw.csv", **write):
    path = folder / name
    if name.endswith(".csv"):
        frame.to_csv(path, index=False, **write)
    else:
        frame.to_excel(path, index=False, **write)
    return run_stage("bdb_clean", name, *CLEAN_BDB, cwd=folder)


def bdb_outputs(folder):
    clean = pd.read_csv(folder / "out/clean.csv", index_col=bdb.ID)
    return clean, json.loads((folder / "out/cleaning.json").read_text())


def complete_rows(cohort):
    return cohort.index[cohort.notna().all(axis=1) & ~cohort.isin(["#!NULL", "n.d."]).any(axis=1)]


@pytest.fixture
def reference(stage_dir, cohort):
    """The cohort cleaned from a plain comma CSV: what every other spelling of the same file must give."""
    result = clean_bdb(stage_dir, cohort, "plain.csv")
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(stage_dir / "out/clean.csv", index_col=bdb.ID)
    shutil.rmtree(stage_dir / "out")
    return frame


# ---------------------------------------------------------------------------------------------------------------
# Study 1 (BDB): separators, decimal commas, censored values, impossible numbers, IDs, labels, rows, sheets
# ---------------------------------------------------------------------------------------------------------------

def comma_decimals(frame):
    """Every float as Excel writes it in an Italian locale: ``41,189``."""
    return frame.astype(object).map(lambda v: str(v).replace(".", ",") if isinstance(v, float) else v)


def test_italian_excel_csv_semicolons_and_decimal_commas_read_as_numbers(stage_dir, cohort, reference):
    result = clean_bdb(stage_dir, comma_decimals(cohort), sep=";")
    assert result.returncode == 0, result.stderr
    assert "fields separated by semicolon" in result.stderr and "decimal comma, read as such" in result.stderr
    clean, report = bdb_outputs(stage_dir)
    pd.testing.assert_frame_equal(clean, reference)
    assert sum(sum(c.values()) for c in report["cells"]["decimal_comma"].values()) > 500


def test_quoted_decimal_commas_in_a_comma_csv_are_numbers(stage_dir, cohort, reference):
    assert clean_bdb(stage_dir, comma_decimals(cohort)).returncode == 0
    assert '"41,189"' in (stage_dir / "raw.csv").read_text()
    pd.testing.assert_frame_equal(bdb_outputs(stage_dir)[0], reference)


def test_mixed_decimal_separators_are_refused(stage_dir, cohort):
    rows = complete_rows(cohort)
    cohort = cohort.astype(object)
    cohort.loc[rows[0], "IL6"], cohort.loc[rows[1], "IL8"] = "2,5", "3.5"
    result = clean_bdb(stage_dir, cohort, "raw.xlsx")
    assert_user_error(result, "raw.xlsx", "'2,5'", "'3.5'", "bdb.read.decimal")
    assert_nothing_written(stage_dir)


def test_a_comma_before_three_digits_is_ambiguous(stage_dir, cohort):
    cohort = cohort.astype(object)
    cohort.loc[complete_rows(cohort)[0], "MCP1"] = "1,234"
    result = clean_bdb(stage_dir, cohort, "raw.xlsx")
    assert_user_error(result, "'1,234'", "thousands separator", "bdb.read.decimal")
    assert_nothing_written(stage_dir)


def test_decimal_param_reads_an_ambiguous_comma_as_the_user_says(stage_dir, cohort):
    cohort = cohort.astype(object)
    row = complete_rows(cohort)[0]
    cohort.loc[row, "MCP1"] = "1,234"
    set_params(stage_dir, bdb__read__decimal=",")
    assert clean_bdb(stage_dir, cohort, "raw.xlsx").returncode == 0
    clean, _ = bdb_outputs(stage_dir)
    assert clean.loc[cohort.loc[row, bdb.ID], "MCP1"] == pytest.approx(1.234)


def test_censored_values_are_refused_by_default_naming_the_cells(stage_dir, cohort):
    cohort = cohort.astype(object)
    rows = complete_rows(cohort)
    cohort.loc[rows[0], "IL6"], cohort.loc[rows[1], "IL6"] = "<0.5", "< LOD"
    result = clean_bdb(stage_dir, cohort)
    assert_user_error(result, "raw.csv", "column 'IL6'", "'<0.5' (row", "'< LOD' (row", "bdb.read.censored")
    assert_nothing_written(stage_dir)


@pytest.mark.parametrize("policy, below, above", [("limit", 0.5, 1000.0), ("half_limit", 0.25, 1000.0)])
def test_censored_values_take_the_limit_or_half_of_it(stage_dir, cohort, policy, below, above):
    cohort = cohort.astype(object)
    rows = complete_rows(cohort)
    cohort.loc[rows[0], "IL6"], cohort.loc[rows[1], "MCP1"], cohort.loc[rows[2], "IL8"] = "<0,5", ">1000", "<LOD"
    set_params(stage_dir, bdb__read__censored=policy, bdb__read__detection_limits={"IL8": 0.2})
    result = clean_bdb(stage_dir, cohort, "raw.xlsx")
    assert result.returncode == 0, result.stderr
    clean, report = bdb_outputs(stage_dir)
    ids = cohort.loc[rows, bdb.ID]
    assert clean.loc[ids.iloc[0], "IL6"] == below and clean.loc[ids.iloc[1], "MCP1"] == above
    assert clean.loc[ids.iloc[2], "IL8"] == pytest.approx(0.2 if policy == "limit" else 0.1)
    counted = report["cells"][f"censored_to_{policy}"]
    assert sum(counted["IL6"].values()) == sum(counted["MCP1"].values()) == sum(counted["IL8"].values()) == 1


def test_lod_without_a_known_limit_names_the_parameter(stage_dir, cohort):
    cohort = cohort.astype(object)
    cohort.loc[complete_rows(cohort)[0], "IL8"] = "<LOD"
    set_params(stage_dir, bdb__read__censored="half_limit")
    assert_user_error(clean_bdb(stage_dir, cohort), "column 'IL8'", "'<LOD'", "bdb.read.detection_limits")
    assert_nothing_written(stage_dir)


@pytest.mark.parametrize("cell, message", [("inf", "not a finite number"), ("-inf", "not a finite number"),
                                           ("-3.2", "cannot be negative")])
def test_infinite_and_negative_concentrations_name_column_and_row(stage_dir, cohort, cell, message):
    cohort = cohort.astype(object)
    row = complete_rows(cohort)[3]
    cohort.loc[row, "TNFalfa"] = cell
    result = clean_bdb(stage_dir, cohort)
    assert_user_error(result, "column 'TNFalfa'", f"row {row + 2}", f"'{cell}'", message)
    assert_nothing_written(stage_dir)


def test_an_empty_column_is_named_not_reported_as_a_small_class(stage_dir, cohort):
    result = clean_bdb(stage_dir, cohort.assign(IL17A=np.nan))
    assert_user_error(result, "column 'IL17A' is empty in every row")
    assert "complete row" not in result.stderr
    assert_nothing_written(stage_dir)


def test_ids_that_differ_only_in_case_or_spaces_are_one_subject(stage_dir, cohort):
    cohort = cohort.copy()
    cohort.loc[5, bdb.ID] = cohort.loc[2, bdb.ID].lower() + " "
    result = clean_bdb(stage_dir, cohort)
    assert_user_error(result, f"'{cohort.loc[2, bdb.ID]}' (row 4)", f"'{cohort.loc[5, bdb.ID]}' (row 7)",
                      "one subject")
    assert_nothing_written(stage_dir)


def test_ids_are_stored_normalised(stage_dir, cohort):
    cohort = cohort.copy()
    row = complete_rows(cohort)[0]
    cohort.loc[row, bdb.ID] = " " + cohort.loc[row, bdb.ID].lower()
    assert clean_bdb(stage_dir, cohort).returncode == 0
    clean, _ = bdb_outputs(stage_dir)
    assert cohort.loc[row, bdb.ID].strip().upper() in clean.index


def test_lower_case_labels_are_read_and_counted(stage_dir, cohort, reference):
    spelled = cohort.assign(**{bdb.LABEL: cohort[bdb.LABEL].str.lower(), bdb.SEX: cohort[bdb.SEX].str.lower()})
    result = clean_bdb(stage_dir, spelled)
    assert result.returncode == 0, result.stderr
    assert "'als', 'healthy' read as ALS, HEALTHY" in result.stderr
    clean, report = bdb_outputs(stage_dir)
    pd.testing.assert_frame_equal(clean, reference)
    assert report["class_counts_out"] == {"ALS": 24, "HEALTHY": 11}
    assert report["cells"]["respelled"][bdb.LABEL] == {"ALS": 26, "HEALTHY": 14}


def test_an_unknown_label_is_named_by_cleaning(stage_dir, cohort):
    cohort = cohort.copy()
    cohort.loc[7, bdb.LABEL] = "MND"
    assert_user_error(clean_bdb(stage_dir, cohort), "column 'Disease' has 'MND' (first on row 9)",
                      "expected ALS or HEALTHY")
    assert_nothing_written(stage_dir)


def test_footnotes_blank_rows_and_rows_without_id_are_dropped_and_counted(stage_dir, cohort, reference):
    table = cohort.astype(object)
    no_id = table.loc[complete_rows(cohort)[0]].copy()
    no_id[bdb.ID] = np.nan
    footer = pd.DataFrame([{bdb.ID: np.nan}, {bdb.ID: "Values in pg/mL; #!NULL = not measured"}, no_id])
    result = clean_bdb(stage_dir, pd.concat([table, footer], ignore_index=True), "raw.xlsx")
    assert result.returncode == 0, result.stderr
    assert "dropped 2 row(s) with blank or footnote (rows 42, 43)" in result.stderr
    assert "dropped 1 row(s) with no ID (row 44)" in result.stderr
    clean, report = bdb_outputs(stage_dir)
    pd.testing.assert_frame_equal(clean, reference)
    label = no_id[bdb.LABEL]
    assert report["rows_dropped"]["blank_or_footnote"] == {tables.NO_CLASS: 2}
    assert report["rows_dropped"]["without_id"] == {label: 1}


def test_data_on_another_sheet(stage_dir, cohort, reference):
    with pd.ExcelWriter(stage_dir / "book.xlsx") as writer:
        pd.DataFrame({"About": ["Modena export"]}).to_excel(writer, sheet_name="README", index=False)
        cohort.to_excel(writer, sheet_name="data", index=False)
    result = run_stage("bdb_clean", "book.xlsx", *CLEAN_BDB, cwd=stage_dir)
    assert_user_error(result, "book.xlsx", "missing column")  # the first sheet is not the table
    set_params(stage_dir, bdb__read__sheet="data")
    assert run_stage("bdb_clean", "book.xlsx", *CLEAN_BDB, cwd=stage_dir).returncode == 0
    pd.testing.assert_frame_equal(bdb_outputs(stage_dir)[0], reference)


def test_an_unknown_sheet_lists_the_sheets(stage_dir, cohort):
    set_params(stage_dir, bdb__read__sheet="Dati")
    result = clean_bdb(stage_dir, cohort, "raw.xlsx")
    assert_user_error(result, "raw.xlsx", "no sheet 'Dati' (bdb.read.sheet)", "'Sheet1'")
    assert_nothing_written(stage_dir)


def test_stray_text_is_an_error_under_the_error_policy_and_counted_under_missing(stage_dir, cohort):
    cohort = cohort.astype(object)
    row = complete_rows(cohort)[0]
    cohort.loc[row, "IL15"] = "see note"
    assert clean_bdb(stage_dir, cohort).returncode == 0            # the paper's policy: coerced, counted
    _, report = bdb_outputs(stage_dir)
    assert report["cells"]["unparseable"]["IL15"] == {cohort.loc[row, bdb.LABEL]: 1}
    shutil.rmtree(stage_dir / "out")
    set_params(stage_dir, bdb__read__unparseable="error")
    assert_user_error(clean_bdb(stage_dir, cohort), "column 'IL15'", f"row {row + 2}", "'see note'",
                      "bdb.read.missing_tokens")
    assert_nothing_written(stage_dir)


def test_cleaning_that_drops_one_class_more_than_the_other_is_flagged(stage_dir, cohort):
    assert clean_bdb(stage_dir, cohort).returncode == 0
    bias = bdb_outputs(stage_dir)[1]["class_bias"]
    assert bias["dropped_share"] == {"ALS": pytest.approx(2 / 26, abs=1e-4), "HEALTHY": pytest.approx(3 / 14,
                                                                                                      abs=1e-4)}
    assert bias["flag"] is False and 0.05 < bias["p_value"] < 1   # 2 of 26 vs 3 of 14: could be chance
    assert tables.class_bias({"ALS": 100, "HEALTHY": 34}, {"ALS": 97, "HEALTHY": 21})["flag"] is True


def test_a_class_too_small_names_the_column_responsible(stage_dir, cohort):
    cohort = cohort.astype(object)
    healthy = cohort.index[cohort[bdb.LABEL] == "HEALTHY"]
    cohort.loc[healthy[1:], "IL2"] = "#!NULL"
    assert_user_error(clean_bdb(stage_dir, cohort), "class 'HEALTHY' has", "most often in 'IL2' (13 rows)")
    assert_nothing_written(stage_dir)


def test_a_windows_1252_csv_keeps_its_accented_header(stage_dir, cohort, reference):
    (stage_dir / "raw.csv").write_bytes(cohort.to_csv(index=False, sep=";").encode("cp1252"))
    result = run_stage("bdb_clean", "raw.csv", *CLEAN_BDB, cwd=stage_dir)
    assert result.returncode == 0, result.stderr
    pd.testing.assert_frame_equal(bdb_outputs(stage_dir)[0], reference)


def test_a_text_file_named_xlsx_is_one_clear_line(stage_dir):
    (stage_dir / "raw.xlsx").write_text("ID Paziente,Sesso\nMO001,M\n")
    assert_user_error(run_stage("bdb_clean", "raw.xlsx", *CLEAN_BDB, cwd=stage_dir), "raw.xlsx",
                      "not a readable .xlsx workbook")
    assert_nothing_written(stage_dir)


def test_a_header_on_the_wrong_row_is_named(stage_dir, cohort):
    set_params(stage_dir, bdb__read__header_row=2)
    result = clean_bdb(stage_dir, cohort)
    assert_user_error(result, "raw.csv", "missing column(s)")
    assert_nothing_written(stage_dir)


# ---------------------------------------------------------------------------------------------------------------
# Study 3 (prognosis): spellings of one category, categories seen only in the test split, .xls, outcome case
# ---------------------------------------------------------------------------------------------------------------

@pytest.fixture
def prognosis_table():
    return demo_prognosis.make_cohort(60, 1.0, 0.65, (0.05, 0.15), 0.02, 0, seed=4)


def clean_prognosis(folder, frame, name="cohort.csv"):
    (frame.to_csv if name.endswith(".csv") else frame.to_excel)(folder / name, index=False)
    return run_stage("prognosis_clean", name, "out/clean.csv", "out/cleaning.json", cwd=folder)


def test_abbreviated_and_full_spellings_of_a_category_ask_for_a_mapping(stage_dir, prognosis_table):
    table = prognosis_table.copy()
    table["sex"] = table["sex"].map({"M": "Male", "F": "female"})
    table.loc[:4, "sex"] = "M"
    table.loc[5:9, "sex"] = "male"
    result = clean_prognosis(stage_dir, table)
    assert_user_error(result, "column 'sex' has 'M' and 'Male'", "prognosis.recode")
    assert_nothing_written(stage_dir)
    set_params(stage_dir, prognosis__recode={"sex": {"M": "Male", "F": "female"}})
    result = clean_prognosis(stage_dir, table)
    assert result.returncode == 0, result.stderr
    clean = pd.read_csv(stage_dir / "out/clean.csv")
    assert sorted(clean["sex"].unique()) == ["Male", "female"]
    report = json.loads((stage_dir / "out/cleaning.json").read_text())
    assert sum(report["cells"]["recoded"]["sex"].values()) == 5
    assert sum(report["cells"]["respelled"]["sex"].values()) == 5       # 'male' merged into 'Male'


def test_outcome_spelled_with_another_case_is_the_positive_class(stage_dir, prognosis_table):
    table = prognosis_table.assign(progression=prognosis_table["progression"].str.capitalize())
    result = clean_prognosis(stage_dir, table)
    assert result.returncode == 0, result.stderr
    report = json.loads((stage_dir / "out/cleaning.json").read_text())
    assert report["outcome"]["fast"] == (prognosis_table["progression"] == "fast").sum()


def test_a_real_xls_file_on_its_second_sheet(stage_dir):
    shutil.copy(REPO / "tests/fixtures/prognosis_cohort.xls", stage_dir / "cohort.xls")
    set_params(stage_dir, prognosis__read__sheet="cohort")
    result = run_stage("prognosis_clean", "cohort.xls", "out/clean.csv", "out/cleaning.json", cwd=stage_dir)
    assert result.returncode == 0, result.stderr
    clean = pd.read_csv(stage_dir / "out/clean.csv", index_col=0)
    expected = demo_prognosis.make_cohort(40, 1.0, 0.65, (0.05, 0.15), 0.02, 0, seed=5).set_index("patient_id")
    assert len(clean) == 40 and list(clean.index) == [i.upper() for i in expected.index]
    np.testing.assert_allclose(clean["cst_fa"], expected["cst_fa"], equal_nan=True)
    assert (clean["label"] == (expected["progression"] == "fast").astype(int).to_numpy()).all()


def test_numeric_text_in_a_prognosis_column_names_the_cell(stage_dir, prognosis_table):
    table = prognosis_table.astype({"bmi": object})
    table.loc[3, "bmi"] = "obese"
    assert_user_error(clean_prognosis(stage_dir, table), "column 'bmi' row 5 has 'obese'", "prognosis.categorical")
    assert_nothing_written(stage_dir)


def test_a_category_only_in_the_test_split_is_an_error_or_counted(stage_dir, prognosis_table):
    table = prognosis_table.copy()
    set_params(stage_dir, prognosis__split__seed=0)
    assert clean_prognosis(stage_dir, table).returncode == 0
    clean = pd.read_csv(stage_dir / "out/clean.csv", index_col=0)
    split = lambda: run_stage("prognosis_split", "out/clean.csv", "split/train.csv", "split/test.csv",  # noqa
                              "split/split.json", cwd=stage_dir)
    assert split().returncode == 0
    test_ids = pd.read_csv(stage_dir / "split/test.csv", index_col=0).index
    shutil.rmtree(stage_dir / "split")
    clean.loc[test_ids[0], "onset_region"] = "respiratory"          # a category no training patient has
    clean.to_csv(stage_dir / "out/clean.csv")
    result = split()
    assert_user_error(result, "column 'onset_region' has category 'respiratory' only in the test split (1 patient",
                      "prognosis.unseen_category")
    assert not (stage_dir / "split").exists() or not any((stage_dir / "split").iterdir())
    set_params(stage_dir, prognosis__unseen_category="ignore")
    assert split().returncode == 0
    assert json.loads((stage_dir / "split/split.json").read_text())["test_cells_with_unseen_category"] == 1


# ---------------------------------------------------------------------------------------------------------------
# Study 2 (voice clinical workbook): title row, case, decimal commas, empty columns, footnotes, IDs
# ---------------------------------------------------------------------------------------------------------------

@pytest.fixture
def workbook():
    clinical, _ = demo_voice.make_cohort(n_als=4, n_hc=3, tasks=["phonationA"], rate=8000, snr_db=35, seed=2)
    return clinical


def read_voice_clinical(folder, clinical):
    (folder / "root").mkdir(exist_ok=True)
    with AtomicOutputs() as out:
        out.excel(clinical, folder / "root" / "VOC-ALS.xlsx", title="VOC-ALS clinical data")
    return run_stage("voice_clinical", "root", "out/clinical.csv", "out/clinical.json", cwd=folder)


def test_voice_workbook_as_typed_by_hand(stage_dir, workbook):
    typed = workbook.astype(object)
    typed["Category"] = typed["Category"].str.lower()
    typed["Cantagallo_Questionnaire"] = typed["Cantagallo_Questionnaire"].map(lambda v: f"{v:.1f}".replace(".", ","))
    footnote = pd.DataFrame([{"ID": "Scores as in Table 2"}])
    result = read_voice_clinical(stage_dir, pd.concat([typed, footnote], ignore_index=True))
    assert result.returncode == 0, result.stderr
    clinical = pd.read_csv(stage_dir / "out/clinical.csv", index_col="subject")
    assert clinical["label"].tolist() == (workbook["Category"] == "ALS").astype(int).tolist()
    np.testing.assert_allclose(clinical["Cantagallo_Questionnaire"], workbook["Cantagallo_Questionnaire"].round(1))
    report = json.loads((stage_dir / "out/clinical.json").read_text())
    assert report["rows_dropped"]["blank_or_footnote"] == {tables.NO_CLASS: 1}
    assert report["cells"]["decimal_comma"]["Cantagallo_Questionnaire"] == {"ALS": 4, "HC": 3}


def test_voice_workbook_column_empty_for_everyone_is_dropped_and_counted(stage_dir, workbook):
    result = read_voice_clinical(stage_dir, workbook.assign(MRC_Head=np.nan))
    assert result.returncode == 0, result.stderr
    assert "dropped 1 column(s) empty for every subject: MRC_Head" in result.stderr
    assert "MRC_Head" not in pd.read_csv(stage_dir / "out/clinical.csv").columns
    assert json.loads((stage_dir / "out/clinical.json").read_text())["empty_columns_dropped"] == 1


@pytest.mark.parametrize("change, fragments", [
    (lambda t: t.assign(ID=[t["ID"][0], t["ID"][0].lower() + " ", *t["ID"][2:]]), ["column 'ID'", "one subject"]),
    (lambda t: t.assign(Category=[np.nan, *t["Category"][1:]]), ["column 'Category' is blank on row 3"]),
    (lambda t: t.assign(Age=["sixty", *t["Age"][1:]]), ["column 'Age' row 3 has 'sixty'",
                                                        "voice.clinical.categorical"]),
    (lambda t: t.drop(columns=["Treatment"]), ["'Treatment'", "voice.clinical", "row 2"]),
])
def test_voice_workbook_mistakes_are_named(stage_dir, workbook, change, fragments):
    result = read_voice_clinical(stage_dir, change(workbook.astype(object)))
    assert_user_error(result, "VOC-ALS.xlsx", *fragments)
    assert_nothing_written(stage_dir)


# ---------------------------------------------------------------------------------------------------------------
# The parser itself
# ---------------------------------------------------------------------------------------------------------------

def test_every_cell_kind_is_counted_per_column_and_class():
    frame = pd.DataFrame({"x": ["1.5", "", "#!NULL", "n.d.", "<2", 3.0]},
                         index=pd.RangeIndex(2, 8, name="row"))
    classes = pd.Series(["ALS", "ALS", "HC", "HC", "HC", None], index=frame.index)
    options = read_settings("t.read", missing_tokens=["#!NULL"], unparseable="missing",
                                 censored="half_limit")
    ledger = tables.Ledger(classes)
    parsed = tables.parse_numeric(frame.map(tables._blank_to_nan), ["x"], options, ledger, "t.csv")
    assert parsed["x"].tolist()[0] == 1.5 and parsed["x"].tolist()[4:] == [1.0, 3.0]
    assert parsed["x"].isna().tolist() == [False, True, True, True, False, False]
    assert ledger.report()["cells"] == {"censored_to_half_limit": {"x": {"HC": 1}}, "empty": {"x": {"ALS": 1}},
                                        "missing_token": {"x": {"HC": 1}}, "unparseable": {"x": {"HC": 1}}}


def test_separator_is_decided_on_the_header(tmp_path):
    (tmp_path / "t.csv").write_text("a;b;c\n1,5;2;x\n2,5;3,25;y\n")
    frame = tables.read_table(tmp_path / "t.csv", read_settings("t.read"))
    assert list(frame.columns) == ["a", "b", "c"] and list(frame.index) == [2, 3]
    (tmp_path / "u.csv").write_text("single\n1\n")
    with pytest.raises(tables.UserError, match=re.escape("cannot tell the field separator") + ".*t.read.sep"):
        tables.read_table(tmp_path / "u.csv", read_settings("t.read"))

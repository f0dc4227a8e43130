"""Stage scripts on bad input: one line naming the problem, exit code 2, no partial outputs."""
import pandas as pd
import yaml

from alskit.bdb import cohort as bdb
from conftest import run_stage


def assert_user_error(result, *fragments):
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(errors) == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1] == errors[0]
    for fragment in fragments:
        assert fragment in errors[0]


def clean(stage_dir, raw_path):
    result = run_stage("bdb_clean", raw_path, "out/clean.csv", "out/cleaning.json", cwd=stage_dir)
    return result


def assert_no_outputs(stage_dir):
    out = stage_dir / "out"
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())


def test_clean_writes_outputs_for_a_good_csv(stage_dir, cohort):
    cohort.to_csv(stage_dir / "raw.csv", index=False)
    result = clean(stage_dir, "raw.csv")
    assert result.returncode == 0, result.stderr
    assert "rows per class {'ALS': 26, 'HEALTHY': 14} -> {'ALS': 24, 'HEALTHY': 11}" in result.stderr
    assert len(pd.read_csv(stage_dir / "out/clean.csv")) == 35


def test_missing_file(stage_dir):
    assert_user_error(clean(stage_dir, "nowhere.xlsx"), "nowhere.xlsx", "file not found")
    assert_no_outputs(stage_dir)


def test_wrong_extension(stage_dir, cohort):
    cohort.to_csv(stage_dir / "raw.txt", index=False)
    assert_user_error(clean(stage_dir, "raw.txt"), "raw.txt", "expected a .xlsx, .xls, .csv file")
    assert_no_outputs(stage_dir)


def test_missing_column_is_named(stage_dir, cohort):
    cohort.drop(columns=["TNFalfa"]).to_excel(stage_dir / "raw.xlsx", index=False)
    assert_user_error(clean(stage_dir, "raw.xlsx"), "raw.xlsx", "'TNFalfa'")
    assert_no_outputs(stage_dir)


def test_empty_sheet(stage_dir):
    pd.DataFrame(columns=bdb.COLUMNS).to_excel(stage_dir / "raw.xlsx", index=False)
    assert_user_error(clean(stage_dir, "raw.xlsx"), "raw.xlsx", "no data rows")
    assert_no_outputs(stage_dir)


def test_class_too_small_after_cleaning(stage_dir, cohort):
    complete = cohort.notna().all(axis=1) & ~cohort.isin(["#!NULL", "n.d."]).any(axis=1)
    healthy = cohort.index[(cohort[bdb.LABEL] == "HEALTHY") & complete]
    cohort.loc[healthy[1:], "IL8"] = "#!NULL"
    cohort.to_excel(stage_dir / "raw.xlsx", index=False)
    assert_user_error(clean(stage_dir, "raw.xlsx"), "class 'HEALTHY' has 1 complete row")
    assert_no_outputs(stage_dir)


def test_encode_names_a_label_that_is_not_0_or_1_in_a_clean_table(stage_dir, encoded):
    """Cleaning already refuses unknown labels (tests/test_real_tables.py); encode checks what it is given."""
    clean = encoded.assign(**{bdb.LABEL: encoded[bdb.LABEL].map({1: "ALS", 0: "HEALTHY"}),
                              bdb.SEX: encoded[bdb.SEX].map({1: "M", 0: "F"})})
    clean.loc[clean.index[0], bdb.LABEL] = "MND"
    clean.to_csv(stage_dir / "clean.csv")
    result = run_stage("bdb_encode", "clean.csv", "enc/encoded.csv", cwd=stage_dir)
    assert_user_error(result, "'Disease'", "'MND'")
    assert not (stage_dir / "enc").exists() or not any((stage_dir / "enc").iterdir())


def test_bad_parameter_is_named(stage_dir, encoded):
    params = yaml.safe_load((stage_dir / "params.yaml").read_text())
    params["bdb"]["split"]["train_fraction"] = 1.5
    (stage_dir / "params.yaml").write_text(yaml.safe_dump(params))
    encoded.to_csv(stage_dir / "encoded.csv")
    result = run_stage("bdb_split", "encoded.csv", "out/train_balanced.csv", "out/train_all.csv", "out/test.csv",
                       "out/split.json", cwd=stage_dir)
    assert_user_error(result, "bdb.split.train_fraction", "1.5")
    assert_no_outputs(stage_dir)


def test_wrong_number_of_arguments(stage_dir):
    assert_user_error(run_stage("bdb_encode", "only-one.csv", cwd=stage_dir), "wrong number of arguments")

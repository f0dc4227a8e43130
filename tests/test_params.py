"""Parameters are checked in one pass, before any study does work (`alskit.common.config`, the `check_params` stage).

Unit tests: each kind of mistake gives one line naming the dotted key and what was expected. Stage test: a bad
value stops `check_params` with exit 2 and no output. DVC tests (slow, in a tiny copy of the pipeline): a bad
model name stops `dvc repro` in seconds, before any other stage; a changed parameter reruns the check and then
only the stages that read it; paths with spaces in params.yaml work.
"""
import copy
import json
import re
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from alskit.bdb import config as bdb_config
from alskit.common import config
from alskit.common.errors import UserError
from alskit.prognosis import config as prognosis_config
from alskit.voice import config as voice_config
from conftest import REPO, run_stage, venv_env
from test_bdb_cli import assert_user_error
from test_pipeline_e2e import DVC, make_tiny_repo, ran_stages, set_params

DEFAULTS = yaml.safe_load((REPO / "params.yaml").read_text())
LOADERS = {"bdb": bdb_config.load, "voice": voice_config.load, "prognosis": prognosis_config.load,
           "audit": config.load_audit}
MODELS = {"bdb": bdb_config.Bdb, "voice": voice_config.Voice, "prognosis": prognosis_config.Prognosis,
          "audit": config.Audit}


def check_study(params: dict, study: str) -> config.Section:
    return LOADERS[study](params)


def error_for(study: str, dotted: str, value=None, delete: bool = False) -> str:
    """The one-line message a study's load gives after setting (or deleting) ``dotted`` in the default params."""
    params = copy.deepcopy(DEFAULTS)
    *parents, last = dotted.split(".")
    section = params
    for key in parents:
        section = section[key]
    if delete:
        del section[last]
    else:
        section[last] = value
    with pytest.raises(UserError) as caught:
        check_study(params, study)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("params.yaml: "), message
    return message


# --- loading -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("study", LOADERS)
def test_the_default_params_pass(study):
    assert isinstance(check_study(DEFAULTS, study), config.Section)


def test_unknown_model_name_is_named_with_its_position():
    assert error_for("bdb", "bdb.models", ["lightgbm", "xgboost"]) == (
        "params.yaml: bdb.models[1] must be one of lightgbm, adaboost, mlp, got 'xgboost'")


def test_repeated_or_missing_models():
    assert "bdb.models must be a non-empty list of lightgbm, adaboost, mlp without repeats, got ['mlp', 'mlp']" in (
        error_for("bdb", "bdb.models", ["mlp", "mlp"]))
    assert "bdb.models must be a non-empty list" in error_for("bdb", "bdb.models", [])
    assert error_for("prognosis", "prognosis.models", ["rf", "svm"]) == (
        "params.yaml: prognosis.models[1] must be one of rf, gb, got 'svm'")


def test_mistyped_key_is_named_with_a_suggestion():
    assert error_for("bdb", "bdb.train.cv_fold", 3) == (
        "params.yaml: bdb.train.cv_fold is not a parameter (did you mean bdb.train.cv_folds?)")
    assert error_for("bdb", "bdb.trian", {}) == "params.yaml: bdb.trian is not a parameter (did you mean bdb.train?)"


def test_key_at_the_wrong_level_suggests_where_it_lives():
    assert "prognosis.rf.n_estimators is not a parameter (did you mean prognosis.rf.grid.n_estimators?)" in (
        error_for("prognosis", "prognosis.rf.n_estimators", [10]))


def test_moved_key_says_where_it_went():
    assert error_for("bdb", "bdb.clean.missing_tokens", ["#!NULL"]) == (
        "params.yaml: bdb.clean.missing_tokens is not a parameter any more: it moved to bdb.read.missing_tokens")
    assert "prognosis.header_row is not a parameter any more: it moved to prognosis.read.header_row" in (
        error_for("prognosis", "prognosis.header_row", 0))


def test_missing_key_is_named():
    assert error_for("voice", "voice.cv.seed", delete=True) == "params.yaml: missing parameter voice.cv.seed"


def test_out_of_range_fraction():
    assert error_for("bdb", "bdb.split.train_fraction", 1.5) == (
        "params.yaml: bdb.split.train_fraction must be a number in (0, 1), got 1.5")
    assert "voice.grid.dropouts[0] must be a number in [0, 1), got 1.0" in error_for("voice", "voice.grid.dropouts",
                                                                                      [1.0])


def test_wrong_type():
    assert error_for("bdb", "bdb.train.cv_folds", "10") == (
        "params.yaml: bdb.train.cv_folds must be an integer >= 2, got '10'")
    assert "bdb.train.cv_folds must be an integer >= 2, got True" in error_for("bdb", "bdb.train.cv_folds", True)
    assert "bdb.demo must be a mapping (indented key: value lines), got None" in error_for("bdb", "bdb.demo", None)
    # read with `float` by the stage, so an integer fails there: it fails here, first
    assert "voice.train.learning_rate must be a decimal number > 0 (e.g. 0.001), got 1" in (
        error_for("voice", "voice.train.learning_rate", 1))


def test_choices():
    assert "bdb.train.scaler must be one of minmax, standard, got 'robust'" in (
        error_for("bdb", "bdb.train.scaler", "robust"))
    assert "voice.grid.scenarios[1] must be one of S1A, S1B, S2A" in (
        error_for("voice", "voice.grid.scenarios", ["S1B", "S6A"]))
    assert "voice.on_bad_audio must be one of error, skip, got 'ignore'" in (
        error_for("voice", "voice.on_bad_audio", "ignore"))
    assert "prognosis.cv.select_by must be one of accuracy, precision, recall, f1, auroc, got 'auc'" in (
        error_for("prognosis", "prognosis.cv.select_by", "auc"))
    assert "prognosis.unseen_category must be one of error, ignore, got 'skip'" in (
        error_for("prognosis", "prognosis.unseen_category", "skip"))


def test_bad_read_policy_values():
    assert error_for("bdb", "bdb.read.unparseable", "drop") == (
        "params.yaml: bdb.read.unparseable must be one of missing, error, got 'drop'")
    assert "voice.clinical.read.censored must be one of error, limit, half_limit, got 'half'" in (
        error_for("voice", "voice.clinical.read.censored", "half"))
    assert "prognosis.read.sep must be one of auto, ',', ';', '\\t', got '|'" in (
        error_for("prognosis", "prognosis.read.sep", "|"))
    assert "bdb.read.sheet must be a sheet position (an integer >= 0) or a sheet name, got -1" in (
        error_for("bdb", "bdb.read.sheet", -1))
    assert "bdb.read.missing_tokens[0] must be a cell's text or number (quote true, false" in (
        error_for("bdb", "bdb.read.missing_tokens", [None]))


def test_detection_limits_are_positive_and_name_numeric_columns():
    assert "bdb.read.detection_limits.IL6 must be a positive number, got 0" in (
        error_for("bdb", "bdb.read.detection_limits", {"IL6": 0}))
    assert "bdb.read.detection_limits names 'Sesso', which is not among the numeric BDB columns" in (
        error_for("bdb", "bdb.read.detection_limits", {"IL6": 0.5, "Sesso": 1}))
    assert "prognosis.read.detection_limits names 'sex', which is not a numeric feature" in (
        error_for("prognosis", "prognosis.read.detection_limits", {"sex": 1}))
    params = copy.deepcopy(DEFAULTS)
    params["bdb"]["read"]["detection_limits"] = {"IL6": 0.5, "TNFalfa": 2}
    check_study(params, "bdb")


def test_bad_recode_shape():
    assert error_for("prognosis", "prognosis.recode", {"sex": ["M", "male"]}) == (
        "params.yaml: prognosis.recode.sex must be a mapping of spelling: value (e.g. {M: male, Male: male}), "
        "got ['M', 'male']")
    assert "prognosis.recode must be a mapping of column: {spelling: value}, got ['sex']" in (
        error_for("prognosis", "prognosis.recode", ["sex"]))
    assert "prognosis.recode.sex.M must be a cell's text or number" in (
        error_for("prognosis", "prognosis.recode", {"sex": {"M": ["male"]}}))
    # YAML reads an unquoted yes as true, which would never match the cell text 'yes'
    assert "prognosis.recode.riluzole has the key True; a key there must be a cell's text or number (quote true" in (
        error_for("prognosis", "prognosis.recode", {"riluzole": {True: "yes"}}))
    assert error_for("bdb", "bdb.read.detection_limits", {5: 0.5}) == (
        "params.yaml: bdb.read.detection_limits has the key 5; a key there must be a column name")
    assert "names 'age_at_onset', which is not a category column" in (
        error_for("prognosis", "prognosis.recode", {"age_at_onset": {"n/a": "0"}}))
    params = copy.deepcopy(DEFAULTS)
    params["prognosis"]["recode"] = {"sex": {"M": "male", "Male": "male"}, "progression": {"Fast": "fast"}}
    check_study(params, "prognosis")


def test_pca_components():
    expected = "prognosis.pca.components must be null (no PCA), an integer >= 1 (components) or a number in (0, 1)"
    assert expected in error_for("prognosis", "prognosis.pca.components", 0)
    assert expected in error_for("prognosis", "prognosis.pca.components", 1.5)
    for good in (None, 3, 0.9):
        params = copy.deepcopy(DEFAULTS)
        params["prognosis"]["pca"]["components"] = good
        check_study(params, "prognosis")


def test_grid_keys_and_values():
    assert "prognosis.rf.grid.n_estimator is not a parameter (did you mean prognosis.rf.grid.n_estimators?)" in (
        error_for("prognosis", "prognosis.rf.grid", {"n_estimator": [10]}))
    assert "prognosis.gb.grid.max_depth[0] must be null or an integer >= 1, got 0" in (
        error_for("prognosis", "prognosis.gb.grid", {"max_depth": [0]}))
    assert "prognosis.gb.grid must list at least one parameter to search" in (
        error_for("prognosis", "prognosis.gb.grid", {}))


def test_cross_key_facts():
    assert "prognosis.categorical names 'foo', which is not listed in prognosis.features" in (
        error_for("prognosis", "prognosis.categorical", ["sex", "foo"]))
    assert "prognosis.features lists 'progression', the outcome column" in (
        error_for("prognosis", "prognosis.features.clinical", ["progression", "age_at_onset"]))
    assert "bdb.demo.incomplete_als must be at most bdb.demo.n_als (100), got 101" in (
        error_for("bdb", "bdb.demo.incomplete_als", 101))
    assert "voice.mfcc.n_mfcc must be at most voice.mfcc.n_filters (40), got 41" in (
        error_for("voice", "voice.mfcc.n_mfcc", 41))
    assert "bdb.models lists mlp, but there is no bdb.mlp section" in error_for("bdb", "bdb.mlp", delete=True)
    params = copy.deepcopy(DEFAULTS)
    params["bdb"]["models"], params["bdb"]["spread"]["models"] = ["lightgbm"], ["adaboost"]
    del params["bdb"]["adaboost"]
    with pytest.raises(UserError, match="bdb.spread.models lists adaboost, but there is no bdb.adaboost section"):
        check_study(params, "bdb")


def test_audit_section():
    assert "audit.bootstrap.iterations must be an integer >= 100, got 10" in (
        error_for("audit", "audit.bootstrap.iterations", 10))


def test_first_problem_in_file_order_and_how_many_more():
    params = copy.deepcopy(DEFAULTS)
    params["bdb"]["split"]["train_fraction"] = 2
    params["bdb"]["models"] = ["xgboost"]
    params["bdb"]["adaboost"]["n_estimators"] = 0
    with pytest.raises(UserError, match=r"^params.yaml: bdb.split.train_fraction must be a number in \(0, 1\), got 2 "
                                        r"\(and 2 more problems in bdb\)$"):
        check_study(params, "bdb")


def test_missing_section_suggests_a_misspelling():
    params = copy.deepcopy(DEFAULTS)
    params["bbd"] = params.pop("bdb")
    with pytest.raises(UserError, match=r"missing section bdb \(is 'bbd' a misspelling of it\?\)"):
        check_study(params, "bdb")


def test_every_stage_reads_its_parameters_through_a_study_config():
    """No stage reads ``params.yaml`` itself: each loads its study's checked configuration (``config.load()``),
    so a key is validated in one place only. ``check_params`` alone reads the file, to load every section."""
    readers = [path.name for path in (REPO / "stages").glob("*.py") if "load_params" in path.read_text()]
    assert readers == ["check_params.py"]
    loaders = [path.name for path in (REPO / "stages").glob("*.py")
               if re.search(r"\bconfig(\.load\(|\.load_audit\(| as \w+_config)|load_audit\(", path.read_text())]
    assert len(loaders) >= 25, loaders


def test_copied_choices_agree_with_the_library():
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier

    from alskit.bdb import cohort as bdb, models
    from alskit.prognosis import cohort as prognosis
    from alskit.voice import cnn

    assert bdb_config.SCALERS == tuple(models.SCALERS)
    assert bdb_config.CLASS_WEIGHTS == models.CLASS_WEIGHTS
    assert bdb_config.BDB_NUMERIC == tuple(bdb.NUMERIC)
    assert prognosis_config.SELECT_BY == tuple(prognosis.SCORING)
    assert prognosis_config.RF_PARAMS == tuple(sorted(RandomForestClassifier().get_params()))
    assert prognosis_config.GB_PARAMS == tuple(sorted(GradientBoostingClassifier().get_params()))
    for code in voice_config.CNN_SCENARIOS:
        cnn.parse_scenario(code)
    for code in ("S0A", "S6B", "S1C"):
        with pytest.raises(UserError):
            cnn.parse_scenario(code)


def test_sdv_distributions_agree():
    from sdv.single_table import GaussianCopulaSynthesizer

    assert set(bdb_config.SDV_DISTRIBUTIONS) == set(GaussianCopulaSynthesizer._DISTRIBUTIONS)


# --- the check_params stage -------------------------------------------------------------------------------------

def test_stage_rejects_a_bad_value_in_one_line_and_writes_nothing(stage_dir):
    params = yaml.safe_load((stage_dir / "params.yaml").read_text())
    params["bdb"]["models"] = ["lightgbm", "xgboost"]
    (stage_dir / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    result = run_stage("check_params", "bdb", "out/bdb.ok", cwd=stage_dir)
    assert_user_error(result, "check_params: error: params.yaml: bdb.models[1] must be one of lightgbm, adaboost, "
                              "mlp, got 'xgboost'")
    assert not (stage_dir / "out").exists() or not any((stage_dir / "out").iterdir())


def test_stage_checks_audit_too(stage_dir):
    params = yaml.safe_load((stage_dir / "params.yaml").read_text())
    params["audit"]["folds"] = 1
    (stage_dir / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    assert_user_error(run_stage("check_params", "voice", "out/voice.ok", cwd=stage_dir),
                      "params.yaml: audit.folds must be an integer >= 2, got 1")


def test_stage_writes_the_same_file_whatever_the_values(stage_dir):
    first = run_stage("check_params", "prognosis", "out/prognosis.ok", cwd=stage_dir)
    assert first.returncode == 0, first.stderr
    content = (stage_dir / "out/prognosis.ok").read_bytes()
    assert content == b"params.yaml: prognosis checked\n"
    params = yaml.safe_load((stage_dir / "params.yaml").read_text())
    params["prognosis"]["split"]["seed"] = 7
    (stage_dir / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    assert run_stage("check_params", "prognosis", "out/prognosis.ok", cwd=stage_dir).returncode == 0
    assert (stage_dir / "out/prognosis.ok").read_bytes() == content


def test_stage_rejects_an_unknown_study(stage_dir):
    assert_user_error(run_stage("check_params", "audio", "out/x.ok", cwd=stage_dir),
                      "unknown study 'audio'; expected one of bdb, voice, prognosis")


# --- DVC, in a tiny copy of the pipeline -----------------------------------------------------------------------

def dvc_run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([DVC, *args], cwd=repo, env=venv_env(), capture_output=True, text=True, timeout=300)


def run_script(repo: Path, name: str, *args: str) -> None:
    result = subprocess.run([str(Path(DVC).parent / "python"), f"stages/{name}.py", *args], cwd=repo,
                            env=venv_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_repro_stops_at_a_bad_model_name_before_any_other_stage(tmp_path):
    repo = make_tiny_repo(tmp_path / "repo")
    set_params(repo, "bdb", {"models": ["lightgbm", "xgboost"]})
    start = time.perf_counter()
    result = dvc_run(repo, "repro")
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "check_params: error: params.yaml: bdb.models[1] must be one of lightgbm, adaboost, mlp, got 'xgboost'" \
        in log
    ran = ran_stages(log)
    assert "check_params@bdb" in ran and ran <= {f"check_params@{s}" for s in ("bdb", "voice", "prognosis")}, ran
    assert not (repo / "data/bdb").exists() and not (repo / "metrics").exists()
    assert seconds < 60, seconds


@pytest.mark.slow
def test_changed_param_reruns_the_check_then_only_its_readers(tmp_path):
    repo = make_tiny_repo(tmp_path / "repo")
    first = dvc_run(repo, "repro", "bdb_clean")
    assert first.returncode == 0, first.stdout + first.stderr
    assert ran_stages(first.stdout) == {"check_params@bdb", "bdb_demo", "bdb_clean"}
    checked = (repo / "data/checked/bdb.ok").read_bytes()

    # a parameter no stage up to bdb_clean reads: the check reruns, its file is unchanged, nothing else runs
    set_params(repo, "bdb", {"adaboost": {"n_estimators": 7}})
    status = dvc_run(repo, "status", "--with-deps", "bdb_clean").stdout
    assert re.search(r"^check_params@bdb:\n\tchanged deps:\n\t\tparams.yaml:\n\t\t\tmodified: +bdb$", status,
                     re.M), status
    assert "bdb_demo" not in status and "bdb_clean" not in status, status
    again = dvc_run(repo, "repro", "bdb_clean")
    assert again.returncode == 0, again.stdout + again.stderr
    assert ran_stages(again.stdout) == {"check_params@bdb"}
    assert (repo / "data/checked/bdb.ok").read_bytes() == checked

    # a parameter bdb_clean reads: the check, then bdb_clean, but not the demo
    set_params(repo, "bdb", {"clean": {"min_rows_per_class": 3}})
    third = dvc_run(repo, "repro", "bdb_clean")
    assert third.returncode == 0, third.stdout + third.stderr
    assert ran_stages(third.stdout) == {"check_params@bdb", "bdb_clean"}


@pytest.mark.slow
def test_paths_with_spaces(tmp_path):
    repo = make_tiny_repo(tmp_path / "repo")
    run_script(repo, "prognosis_demo", "data/my files/cohort export.csv")
    run_script(repo, "bdb_demo", "data/my files/bdb export.xlsx")
    params = yaml.safe_load((repo / "params.yaml").read_text())
    params["prognosis"]["data"] = "data/my files/cohort export.csv"
    params["bdb"]["raw"] = "data/my files/bdb export.xlsx"
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    result = dvc_run(repo, "repro", "prognosis_clean", "bdb_clean")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ran_stages(result.stdout) == {"check_params@prognosis", "check_params@bdb", "prognosis_clean",
                                         "bdb_clean"}
    cleaning = json.loads((repo / "metrics/prognosis_cleaning.json").read_text())
    assert cleaning["rows_in"] == 66 and cleaning["duplicate_rows_removed"] == 6 and cleaning["patients"] == 60
    bdb_cleaning = json.loads((repo / "metrics/bdb_cleaning.json").read_text())
    assert bdb_cleaning["class_counts_in"] == {"ALS": 30, "HEALTHY": 20}
    lock = yaml.safe_load((repo / "dvc.lock").read_text())["stages"]
    assert any(d["path"] == "data/my files/cohort export.csv" for d in lock["prognosis_clean"]["deps"])
    assert any(d["path"] == "data/my files/bdb export.xlsx" for d in lock["bdb_clean"]["deps"])
    assert "up to date" in dvc_run(repo, "status", "--with-deps", "prognosis_clean", "bdb_clean").stdout

"""Typed records of the metrics files: a key renamed where a file is written or where it is read fails here, not
when the report stage runs."""
import io
import json
import subprocess
import tarfile

import numpy as np
import pandas as pd
import pytest
from conftest import REPO

from alskit import results
from alskit.bdb import evaluate as bdb_evaluate, records as bdb_records
from alskit.common import records
from alskit.common.errors import UserError
from alskit.prognosis import records as prognosis_records
from alskit.voice import records as voice_records

FILES = {"bdb.json": bdb_records.Results, "bdb_cleaning.json": bdb_records.Cleaning,
         "bdb_privacy.json": bdb_records.Privacies, "bdb_split.json": bdb_records.Split,
         "bdb_spread.json": bdb_records.Spread, "bdb_synthetic_quality.json": bdb_records.Qualities,
         "bdb_synthetic_vs_real.json": bdb_records.Comparison, "audit.json": records.AuditFindings,
         "voice.json": voice_records.Networks, "voice_grid.json": voice_records.Grid,
         "voice_nested.json": voice_records.Nested, "voice_severity.json": voice_records.SeverityFile,
         "voice_audio.json": voice_records.Audio, "voice_clinical.json": voice_records.Clinical,
         "voice_acoustic_features.json": voice_records.AcousticFeatures,
         "prognosis.json": prognosis_records.Results, "prognosis_cleaning.json": prognosis_records.Cleaning,
         "prognosis_explain.json": prognosis_records.Explanations, "prognosis_pca.json": prognosis_records.Pca,
         "prognosis_split.json": prognosis_records.Split}
FOLDERS = {"subgroups": records.Subgroups, "voice_acoustic": voice_records.Run}


@pytest.fixture(scope="module")
def committed_results(tmp_path_factory):
    """``metrics/``, ``plots/`` and the papers' numbers as git's HEAD holds them (a repro on another CPU rewrites
    the working tree's copies; the committed report was written from these)."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the committed files cannot be read")
    archive = subprocess.run(["git", "archive", "HEAD", "metrics", "plots", "reports"], cwd=REPO,
                             capture_output=True, check=True).stdout
    root = tmp_path_factory.mktemp("committed")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(root, filter="data")
    return root


def test_every_committed_metrics_file_has_a_record_and_matches_it(committed_results):
    metrics = committed_results / "metrics"
    typed = set(FILES) | {f"{folder}/{p.name}" for folder in FOLDERS for p in (metrics / folder).glob("*.json")}
    assert {str(p.relative_to(metrics)) for p in metrics.rglob("*.json")} == typed, "a metrics file without record"
    for name, kind in FILES.items():
        records.read(kind, metrics / name)
    for folder, kind in FOLDERS.items():
        for path in (metrics / folder).glob("*.json"):
            records.read(kind, path)


def test_the_committed_report_is_what_the_readers_make_of_the_committed_metrics(committed_results, tmp_path):
    """Every reader goes through its record: a key renamed on the reading side, or in a record but not in the
    files, fails here (the report rendered in full from the committed files, compared line for line)."""
    doc = results.document(results.read_papers(committed_results / "reports/paper_numbers.yaml"),
                           committed_results / "metrics", committed_results / "plots", tmp_path / "figures")
    rendered = doc.markdown(base=tmp_path)
    assert rendered == (committed_results / "reports/results.md").read_text()


def _scored_run() -> dict:
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 15)
    test = pd.DataFrame({"y_true": y, "p": np.clip(0.3 + 0.4 * y + rng.normal(0, 0.2, 30), 0, 1)})
    cv = test.assign(fold=np.tile(np.arange(3), 10))
    return bdb_evaluate.score_run(test, cv, 0.5, {"iterations": 100, "seed": 0})


def test_a_writer_that_renames_a_metric_key_fails_at_once():
    run = _scored_run()
    assert records.checked(bdb_records.Run, run) is run
    renamed = {**run, "test": {("auc" if k == "auroc" else k): v for k, v in run["test"].items()}}
    with pytest.raises(ValueError, match=r"Run record, key test\.auroc: field required"):
        records.checked(bdb_records.Run, renamed)
    extra = {**run, "cv": run["cv"], "note": "x"}
    with pytest.raises(ValueError, match=r"key note: extra inputs are not permitted"):
        records.checked(bdb_records.Run, extra)


def test_a_file_whose_keys_differ_from_its_record_stops_the_reader_with_one_line(tmp_path):
    run = _scored_run()
    path = tmp_path / "bdb.json"
    path.write_text(json.dumps({"x10": {"adaboost": {**run, "test": {**run["test"], "auroc": "high"}}}}))
    with pytest.raises(UserError, match=r"bdb\.json: key x10\.adaboost\.test\.auroc: input should be a valid number"):
        records.read(bdb_records.Results, path)
    path.write_text(json.dumps({"x10": {"adaboost": {k: v for k, v in run.items() if k != "cv"}}}))
    with pytest.raises(UserError, match=r"key x10\.adaboost\.cv: field required; .*rerun"):
        records.read(bdb_records.Results, path)


def test_records_that_extend_a_shared_block_stay_closed():
    ledger = {"cells": {}, "rows_dropped": {}}
    clinical = {**ledger, "rows_in": 3, "subjects": 3, "class_counts": {"ALS": 2, "HC": 1}, "numeric_columns": 1,
                "categorical_columns": 0, "empty_columns_dropped": 0, "blank_for_every_control": 0}
    assert records.problem(voice_records.Clinical, clinical) is None
    assert records.problem(voice_records.Clinical, {**clinical, "rows_out": 3}) == \
        "rows_out: extra inputs are not permitted"
    spread = {"splits": 3, "level": 0.95, "x10": {"adaboost": dict.fromkeys(("median", "low", "high", "min", "max",
                                                                              "sd"), 0.5)}}
    assert records.problem(bdb_records.Spread, spread) is None
    spread["x10"]["adaboost"]["share_above_real"] = 0.5
    assert records.problem(bdb_records.Spread, spread) == "x10.adaboost.share_above_real: extra inputs are not permitted"

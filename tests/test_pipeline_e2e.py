"""`dvc repro` of the whole pipeline on a tiny profile, in a temporary copy of the repository.

Checks the whole wiring (dvc.yaml, params, stage scripts), that two runs in separate copies give
byte-identical metrics, plots and reports, and that a model hyper-parameter change reruns only that model's
stages and what depends on them. Both copies' repros start in the background as soon as collection selects a
test of this module (tests/conftest.py), beside the unit tests, so the end-to-end checks add little wall time.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
import yaml

from alskit.bdb import cohort as bdb_cohort
from alskit.prognosis import cohort as prognosis_cohort
from conftest import REPO, venv_env

sys.path.insert(0, str(REPO / "tools"))
import dvc_plots  # noqa: E402

DVC = str(Path(sys.executable).parent / "dvc")
TINY = {
    "demo": {"n_als": 30, "n_healthy": 20, "incomplete_als": 2, "incomplete_healthy": 4},
    "train": {"cv_folds": 3},
    "lightgbm": {"n_estimators": 10},
    "adaboost": {"n_estimators": 5},
    "mlp": {"hidden_units": [8, 4], "max_epochs": 3},
    "spread": {"repeats": 2},
}
TINY_VOICE = {"tasks": ["phonationA", "rhythmPA"], "demo": {"n_als": 6, "n_hc": 4}, "cv": {"folds": 2},
              "train": {"max_epochs": 1}, "grid": {"dense_units": 4},
              "multimodal": {"image_dense": 4, "tabular_units": [4], "fusion_units": 4},
              "nested": {"inner_folds": 2, "repeats": 1}, "severity": {"repeats": 1}}
TINY_PROGNOSIS = {"demo": {"patients": 60}, "cv": {"folds": 3},
                  "rf": {"grid": {"n_estimators": [10], "max_depth": [3, None]}},
                  "gb": {"grid": {"n_estimators": [10], "max_depth": [2], "learning_rate": [0.1]}},
                  "explain": {"permutation_repeats": 2, "background": 20}}


def dvc(repo: Path, *args: str) -> str:
    result = subprocess.run([DVC, *args], cwd=repo, env=venv_env(), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"dvc {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def set_params(repo: Path, section: str, updates: dict) -> None:
    params = yaml.safe_load((repo / "params.yaml").read_text())
    for group, values in updates.items():
        if isinstance(values, dict):
            params[section][group].update(values)
        else:
            params[section][group] = values
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))


def ran_stages(log: str) -> set[str]:
    return set(re.findall(r"Running stage '([^']+)'", log))


def make_tiny_repo(repo: Path) -> Path:
    """A copy of the pipeline (code, dvc.yaml, tiny params; no data, no outputs) at ``repo``, a git repo."""
    for code in ("stages", "src"):  # the package runs from the installed (editable) src/; the copy is DVC's deps
        shutil.copytree(REPO / code, repo / code, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("dvc.yaml", "params.yaml", ".dvcignore", ".gitignore"):
        shutil.copy(REPO / name, repo / name)
    (repo / ".dvc").mkdir()
    shutil.copy(REPO / ".dvc" / "config", repo / ".dvc" / "config")
    shutil.copytree(REPO / ".dvc" / "plots", repo / ".dvc" / "plots")   # the chart templates
    shutil.copy(REPO / ".dvc" / "registry.yaml", repo / ".dvc" / "registry.yaml")   # dvc.yaml's vars
    subprocess.run([sys.executable, str(REPO / "tools/dvc_plots.py"), "template", str(repo / ".dvc/plots.html")],
                   check=True, capture_output=True)
    (repo / "reports").mkdir()
    shutil.copy(REPO / "reports" / "paper_numbers.yaml", repo / "reports" / "paper_numbers.yaml")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    set_params(repo, "bdb", TINY)
    set_params(repo, "voice", TINY_VOICE)
    set_params(repo, "prognosis", TINY_PROGNOSIS)
    # committed, as a clone is: dvclive (the networks' live curves) reads the baseline commit
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "add", "-A"], cwd=repo,
                   check=True)
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m",
                    "tiny profile"], cwd=repo, check=True)
    return repo


# The two tiny copies ("first" and "twin") and their `dvc repro` processes, started by start_runs().
RUNS: dict[str, tuple[Path, subprocess.Popen, Path]] = {}


def start_runs(root: Path) -> None:
    """Start `dvc repro` of two tiny copies in the background. tests/conftest.py calls this as soon as collection
    selects a test of this module, so that both run beside the unit tests (most of which use one core) instead of
    after them; the second copy exists only for the determinism check."""
    for name in ("first", "twin"):
        repo = make_tiny_repo(root / name / "repo")
        log = root / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen([DVC, "repro"], cwd=repo, env=venv_env(), stdout=out,
                                       stderr=subprocess.STDOUT)
        RUNS[name] = (repo, process, log)


def stop_runs() -> None:
    """Kill a run still going (the session ended or was interrupted before waiting for it)."""
    for _, process, _ in RUNS.values():
        if process.poll() is None:
            process.kill()
        process.wait()
    RUNS.clear()


def finished(name: str) -> tuple[Path, str]:
    """The copy ``name`` and the log of its `dvc repro`, once the run has ended; a failed run fails the test."""
    repo, process, log = RUNS[name]
    process.wait(timeout=1800)
    text = log.read_text()
    assert process.returncode == 0, f"dvc repro of the {name} tiny copy failed:\n{text}"
    return repo, text


@pytest.fixture(scope="module")
def tiny_repo() -> Path:
    """The first tiny copy after its `dvc repro` (outputs, DVC cache, git history)."""
    return finished("first")[0]


@pytest.fixture(scope="module")
def first_repro(tiny_repo) -> str:
    """The log of the first copy's `dvc repro`."""
    return finished("first")[1]


@pytest.fixture
def repro_copy(tiny_repo, first_repro, tmp_path) -> Path:
    """A copy of the tiny repository after its first repro (outputs, DVC cache and git history included), for a
    test that changes params or plants a leak: the other tests keep reading the untouched first run, in any
    order."""
    copy = tmp_path / "repo"
    shutil.copytree(tiny_repo, copy, symlinks=True)
    return copy


def snapshot(repo: Path) -> dict[str, bytes]:
    files = [p for folder in ("metrics", "plots") for p in sorted((repo / folder).rglob("*.json"))]
    files += [repo / "plots/voice/grid_accuracy.png", repo / "plots/prognosis/shap_summary.png"]
    files += [repo / "reports/results.md", *sorted((repo / "reports/figures").glob("*.png"))]
    files += [repo / "data/voice" / name for name in ("recordings.csv", "mfcc.csv", "mel.npy", "acoustic.csv")]
    files += sorted((repo / "data/bdb/evaluation").rglob("*.json"))   # dvclive's files: no timestamps
    return {str(p.relative_to(repo)): p.read_bytes() for p in files}


@pytest.mark.slow
def test_repro_runs_every_stage(tiny_repo, first_repro):
    assert "bdb_train@mlp-20" in ran_stages(first_repro)
    assert "up to date" in dvc(tiny_repo, "status")


@pytest.mark.slow
def test_bdb_cleaning_split_and_synthetic_quality(tiny_repo, first_repro):
    """BDB: every row in and out of cleaning counted; the balanced split; the synthetic quality scores."""
    cleaning = json.loads((tiny_repo / "metrics/bdb_cleaning.json").read_text())
    assert cleaning["class_counts_in"] == {"ALS": 30, "HEALTHY": 20}
    assert cleaning["class_counts_out"] == {"ALS": 28, "HEALTHY": 16}
    split = json.loads((tiny_repo / "metrics/bdb_split.json").read_text())
    assert split["train_balanced"] == {"ALS": 8, "HEALTHY": 8}
    quality = json.loads((tiny_repo / "metrics/bdb_synthetic_quality.json").read_text())
    for size in ("x10", "x20"):
        assert all(0 <= quality[size][k] <= 1 for k in ("column_shapes", "column_pair_trends", "overall"))


@pytest.mark.slow
def test_bdb_results_carry_every_metric_its_interval_and_the_verdict(tiny_repo, first_repro):
    """BDB: every model on every training set scored on the real test half with intervals, the majority baseline and the verdict; the synthetic-versus-real differences; the split-to-split spread."""
    split = json.loads((tiny_repo / "metrics/bdb_split.json").read_text())
    results = json.loads((tiny_repo / "metrics/bdb.json").read_text())
    assert set(results) == {"x10", "x20", "real-balanced", "real-all"}
    for size in results.values():
        assert set(size) == {"lightgbm", "adaboost", "mlp"}
        for model in size.values():
            assert isinstance(model["constant_predictions"], bool)
            point = {"accuracy", "log_loss", "precision", "recall", "f1", "specificity", "balanced_accuracy", "auroc",
                     "brier"}
            verdict = {"majority_class", "majority_rate", "informative", "ranks_above_chance", "beats_majority"}
            assert set(model["test"]) == point | verdict | {f"{name}_ci_{end}" for name in point
                                                            for end in ("low", "high")}
            assert model["test"]["majority_class"] == "ALS" and model["test"]["majority_rate"] == pytest.approx(
                max(split["test"].values()) / sum(split["test"].values()), abs=1e-4)
            assert 0 <= model["test"]["accuracy"] <= 1 and 0 <= model["test"]["auroc"] <= 1
            assert set(model["cv"]["auroc"]) == {"mean", "std"}
            assert model["test"]["auroc_ci_low"] <= model["test"]["auroc"] <= model["test"]["auroc_ci_high"]
    comparison = json.loads((tiny_repo / "metrics/bdb_synthetic_vs_real.json").read_text())
    for size in ("x10", "x20"):
        for model in ("lightgbm", "adaboost", "mlp"):
            for real, found in comparison[size][model].items():
                expected = results[size][model]["test"]["auroc"] - results[real][model]["test"]["auroc"]
                assert found["auroc_difference"] == pytest.approx(expected, abs=2e-4)
                assert found["verdict"] in ("helped", "hurt", "indistinguishable")
    spread = json.loads((tiny_repo / "metrics/bdb_spread.json").read_text())
    assert spread["splits"] == 2 and set(spread["x10"]) == {"lightgbm", "adaboost"}
    spread_rows = json.loads((tiny_repo / "plots/bdb_spread/adaboost.json").read_text())
    assert [(row["set"], row["seed"]) for row in spread_rows[:2]] == [("x10", 1000), ("x10", 1001)]
    assert len(spread_rows) == 2 * 4 and {row["model"] for row in spread_rows} == {"AdaBoost"}


@pytest.mark.slow
def test_bdb_charts_are_drawn_from_the_scored_predictions(tiny_repo, first_repro):
    """BDB charts: ROC, confusion and calibration of the real test half, each curve as dvclive logged it."""
    results = json.loads((tiny_repo / "metrics/bdb.json").read_text())
    roc = json.loads((tiny_repo / "plots/bdb/roc.json").read_text())
    curves = {(r["panel"], r["model"]) for r in roc}
    assert len(curves) == 12 and {p for p, _ in curves} == {"trained on x10 synthetic rows", "trained on x20 "
                                                               "synthetic rows", "trained on the balanced real "
                                                               "subsample", "trained on every real training row"}
    adaboost = [r for r in roc if r["panel"] == "trained on x20 synthetic rows" and r["model"] == "AdaBoost"]
    assert adaboost[0]["fpr"] == 0 and adaboost[-1]["tpr"] == 1
    assert adaboost[0]["label"].startswith(f"AdaBoost: AUROC {results['x20']['adaboost']['test']['auroc']:.3f} [")
    confusion = json.loads((tiny_repo / "plots/bdb/confusion.json").read_text())
    for panel, model in curves:  # the real test half: 14 + 8 of 28 ALS + 16 HEALTHY complete rows
        cells = [c for c in confusion if (c["panel"], c["model"]) == (panel, model)]
        assert len(cells) == 4 and sum(c["count"] for c in cells) == 14 + 8
    calibration = json.loads((tiny_repo / "plots/bdb/calibration.json").read_text())
    assert {sum(r["n"] for r in calibration if (r["panel"], r["model"]) == c) for c in curves} == {22}
    # every run's curves as dvclive logged them, the combined chart read from them
    runs = sorted(p.name for p in (tiny_repo / "data/bdb/evaluation").iterdir())
    assert runs == sorted(f"{m}_{s}" for m in ("lightgbm", "adaboost", "mlp") for s in results)
    live = tiny_repo / "data/bdb/evaluation/adaboost_x20"
    logged = json.loads((live / "plots/sklearn/roc.json").read_text())["roc"]
    assert [(r["fpr"], r["tpr"]) for r in adaboost] == [(round(r["fpr"], 4), round(r["tpr"], 4)) for r in logged]
    assert len(json.loads((live / "plots/sklearn/confusion_matrix.json").read_text())) == 14 + 8
    summary = json.loads((live / "metrics.json").read_text())
    assert round(summary["auroc"], 4) == results["x20"]["adaboost"]["test"]["auroc"]
    for folder in ("prognosis/evaluation/ensemble", "voice/evaluation/audio_clinical", "voice/evaluation/audio",
                   "voice/evaluation/gb"):
        assert {p.name for p in (tiny_repo / "data" / folder / "plots/sklearn").iterdir()} == \
            {"roc.json", "precision_recall.json", "calibration.json", "confusion_matrix.json"}, folder


@pytest.mark.slow
def test_voice_grid_fusion_and_acoustic_results(tiny_repo, first_repro):
    """Voice: recordings, the CNN grid, both fusion runs, acoustic measures and models, nested CV, severity."""
    recordings = (tiny_repo / "data/voice/recordings.csv").read_text().splitlines()
    assert len(recordings) == 1 + 10 * 2
    grid = json.loads((tiny_repo / "metrics/voice_grid.json").read_text())
    weighted = {"accuracy", "precision", "recall", "f1"}
    clinical = {"per_recording", "per_subject", "folds", "per_task"}
    assert set(grid["S1B"]["0.3"]) == weighted | {f"{name}_ci_{end}" for name in weighted for end in ("low", "high")} | clinical
    assert grid["S1B"]["0.3"]["per_subject"]["n"] == 10 and grid["S1B"]["0.3"]["folds"]["of"] == 2
    assert set(grid["S1B"]["0.3"]["per_task"]) == {"phonationA", "rhythmPA"}
    assert (tiny_repo / "plots/voice/grid_accuracy.png").read_bytes()[:4] == b"\x89PNG"
    voice = json.loads((tiny_repo / "metrics/voice.json").read_text())
    assert set(voice) == {"audio", "audio_clinical", "audio_clinical_common", "runs_not_run"}
    assert voice["runs_not_run"] == {}, "the demo workbook has columns missing by design: both fusion runs"
    for name in ("audio", "audio_clinical"):
        subject = voice[name]["per_subject"]
        assert subject["majority_class"] == "ALS" and subject["majority_rate"] == pytest.approx(0.6)
        assert {"auroc", "auroc_ci_high", "brier", "balanced_accuracy_ci_low", "sensitivity", "specificity", "informative",
                "beats_majority"} <= set(subject)
    features = (tiny_repo / "data/voice/acoustic.csv").read_text().splitlines()
    assert len(features) == 1 + 10 * 2 * 2 and "jitter_local" in features[0] and "ddk_rate_hz" in features[0]
    measured = json.loads((tiny_repo / "metrics/voice_acoustic_features.json").read_text())
    assert list(measured) == ["1.5s", "whole"] and measured["whole"]["egemaps_measures"] == 88
    assert measured["1.5s"]["source_rates"] == {"8000": {"0": 8, "1": 12}}
    nested = json.loads((tiny_repo / "metrics/voice_nested.json").read_text())
    assert nested["settings"] == {"outer_folds": 2, "inner_folds": 2, "candidates": 12}
    assert sum(c["chosen"] for c in nested["candidates"].values()) == 2 and nested["per_subject"]["n"] == 10
    severity = json.loads((tiny_repo / "metrics/voice_severity.json").read_text())
    assert severity["subjects"] == 10 and severity["clinical_columns_read"] == 0 and "kappa" in severity


@pytest.mark.slow
def test_each_study_is_scored_per_subgroup(tiny_repo, first_repro):
    """Every study's results per sex and age band, each subject counted once."""
    for study, subjects in (("bdb", None), ("voice", 10), ("prognosis", None)):
        groups = json.loads((tiny_repo / f"metrics/subgroups/{study}.json").read_text())
        assert set(groups["sex"]) <= {"F", "M"} and set(groups["age"]) <= {"under 50", "50-64", "65 and over"}
        assert sum(g["n"] for g in groups["sex"].values()) == groups["subjects"] == (subjects or groups["subjects"])


@pytest.mark.slow
def test_voice_acoustic_models_and_voice_charts(tiny_repo, first_repro):
    """Voice: each acoustic model per recording, per subject and per task; every voice model on the charts."""
    voice = json.loads((tiny_repo / "metrics/voice.json").read_text())
    for name in ("gb", "rf", "logreg"):
        acoustic = json.loads((tiny_repo / f"metrics/voice_acoustic/{name}.json").read_text())
        assert acoustic["per_recording"]["n"] == 20 and acoustic["per_subject"]["n"] == 10
        assert acoustic["folds"]["of"] == 2 and set(acoustic["per_task"]) == {"phonationA", "rhythmPA"}
        importance = json.loads((tiny_repo / f"plots/voice/acoustic/{name}_importance.json").read_text())
        assert len(importance) == 15 and importance[0]["importance"] >= importance[-1]["importance"]
        everything = (tiny_repo / f"data/voice/acoustic_models/{name}/importance.csv").read_text().splitlines()
        assert len(everything) == 1 + 100 + 2
    assert 0 <= voice["audio_clinical"]["accuracy"]["mean"] <= 1
    low, high = voice["audio"]["accuracy_ci_low"], voice["audio"]["accuracy_ci_high"]
    assert 0 <= low <= high <= 1
    confusion = json.loads((tiny_repo / "plots/voice/evaluation/confusion.json").read_text())
    # every voice model on one chart: the CNN, both fusion runs and the three acoustic models, 10 subjects each
    assert [c["model"] for c in confusion[::4]] == ["CNN, audio only (best grid configuration)",
                                                    "Multimodal, audio + clinical",
                                                    "Multimodal, without columns missing by design",
                                                    "Gradient boosting, acoustic measures",
                                                    "Random forest, acoustic measures",
                                                    "Logistic regression, acoustic measures",
                                                    "Nested CV, acoustic candidates"]
    assert sum(c["count"] for c in confusion) == 7 * 10
    training = json.loads((tiny_repo / "plots/voice/multimodal/training.json").read_text())
    assert {(r["panel"], r["curve"]) for r in training} >= {("Multimodal, audio + clinical", "fold 2")}
    for run in ("audio_clinical", "audio_clinical_common"):   # dvclive's per-epoch files, one folder per fold
        assert (tiny_repo / f"data/voice/multimodal/{run}/live/fold2/plots/metrics/eval/loss.tsv").exists()
    history = json.loads((tiny_repo / "plots/bdb/training.json").read_text())
    network = [r for r in history if r["panel"] == "trained on x10 synthetic rows"]
    assert [row["epoch"] for row in network] == [1, 2, 3] * 2 and {r["split"] for r in network} == {"training",
                                                                                                  "validation"}
    assert (tiny_repo / "data/bdb/models/mlp_x10/live/metrics.json").exists()
    assert not (tiny_repo / "data/bdb/models/adaboost_x10/live").exists()
    assert (tiny_repo / "plots/voice/mel_examples.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_prognosis_results_and_explanations(tiny_repo, first_repro):
    """Prognosis: duplicates removed, both models and the ensemble scored, explanations."""
    cleaning = json.loads((tiny_repo / "metrics/prognosis_cleaning.json").read_text())
    assert cleaning["rows_in"] == 66 and cleaning["duplicate_rows_removed"] == 6 and cleaning["patients"] == 60
    prognosis = json.loads((tiny_repo / "metrics/prognosis.json").read_text())
    assert set(prognosis) == {"rf", "gb", "ensemble"}
    for name, result in prognosis.items():
        assert {"accuracy", "precision", "recall", "f1", "auroc"} <= set(result["test"])
        assert set(result["cv"]["auroc"]) == {"mean", "std"}
        assert ("best_params" in result) == (name != "ensemble")
    confusion = json.loads((tiny_repo / "plots/prognosis/evaluation/confusion.json").read_text())
    assert {c["model"] for c in confusion} == {"Random forest", "Gradient boosting", "Ensemble (mean probability)"}
    assert sum(c["count"] for c in confusion) == 3 * 12
    assert prognosis["rf"]["best_params"]["max_depth"] in (3, None)
    assert prognosis["ensemble"]["test"]["auroc_ci_low"] <= prognosis["ensemble"]["test"]["auroc_ci_high"]


@pytest.mark.slow
def test_the_audit_finds_no_leak_in_the_demo_and_privacy_is_measured(tiny_repo, first_repro):
    """The leakage audit of the demo (no subject on both sides; the voice columns blank by design found) and the privacy attack on the synthetic rows."""
    audit = json.loads((tiny_repo / "metrics/audit.json").read_text())
    for study in ("bdb", "prognosis"):
        assert audit[study]["subjects_in_train_and_test"]["count"] == 0
        assert audit[study]["preprocessing_fit_on_test_rows"]["count"] == 0
    assert audit["voice"]["subjects_in_several_folds"]["S1B_0.3"]["count"] == 0
    assert audit["voice"]["subjects_in_several_folds"]["multimodal audio_clinical_common"]["count"] == 0
    assert audit["voice"]["subjects_in_several_folds"]["acoustic gb"]["count"] == 0
    assert audit["voice"]["subjects_in_several_folds"]["nested seed 42"]["count"] == 0
    assert audit["voice"]["clinical_columns_among_acoustic_measures"]["count"] == 0
    assert audit["voice"]["preprocessing_fit_on_test_rows"]["count"] == 0
    assert audit["voice"]["missing_by_design"] > 20 and audit["voice"]["missingness_only_auroc"] > 0.9
    fusion = audit["voice"]["multimodal_accuracy"]["audio_clinical"]       # scalars, as `dvc metrics show` lists
    assert fusion["accuracy_ci_low"] <= fusion["accuracy"] <= fusion["accuracy_ci_high"]
    lists = [key for key, value in pd.json_normalize(audit).iloc[0].items() if isinstance(value, list)]
    assert all(key.endswith(".examples") for key in lists), lists      # only the named subjects, never numbers
    privacy = json.loads((tiny_repo / "metrics/bdb_privacy.json").read_text())
    assert privacy["x10"]["synthetic_rows"] == 160 and 0 <= privacy["x10"]["exact_copies"] <= 160
    attack = privacy["x10"]["membership_inference"]
    assert attack["members"] == attack["non_members"] == 16 and 0 <= attack["auroc"] <= 1
    assert json.loads((tiny_repo / "metrics/bdb_synthetic_quality.json").read_text())["x10"]["diagnostic"]


@pytest.mark.slow
def test_the_report_states_each_study(tiny_repo, first_repro):
    """The report: a headline, one closing line per study, the voice headline, subgroups, figures in the page."""
    results = (tiny_repo / "reports/results.md").read_text()
    assert "## Headline" in results and "| Prognosis, ensemble, test AUROC | 0.910 |" in results
    assert results.count("**Which number to trust.**") == 3, "one closing line per study"
    assert "| Multimodal, audio + clinical, per subject |" in results and "**reads the blank-by-design columns**" in results
    assert "**Which voice model to trust.**" in results
    assert "**Does the synthetic data help?**" in results and "Over 2 split seeds" in results
    assert "The synthesizer is fit on 16 real rows (8 ALS + 8 HEALTHY)" in results
    assert "| Nested CV, acoustic candidates, per subject (**headline**) |" in results
    assert "**The headline: nested, repeated, subject-grouped CV.**" in results and "| `gb/egemaps/1.5s` |" in results
    assert "**Bulbar severity from voice**" in results and "| Quadratic-weighted kappa | " in results
    assert results.count("**Per subgroup**") == 3 and "not scored: too few of a class" in results
    assert "2-fold CV with folds grouped by subject" in results and "20 recordings of 10 subjects" in results
    page = (tiny_repo / "reports/results.html").read_text()
    assert page.count('src="data:image/png;base64,') == len(list((tiny_repo / "reports/figures").glob("*.png"))) >= 8
    explained = json.loads((tiny_repo / "metrics/prognosis_explain.json").read_text())
    assert set(explained["ensemble"]) == {"shap", "permutation"} and set(explained["rf"]) == {"shap", "builtin",
                                                                                              "permutation"}
    assert set(explained["rf"]["shap"]) == {"modality_share"}, "feature names stay out of the metrics"
    ranked = json.loads((tiny_repo / "plots/prognosis/importance/ensemble_shap.json").read_text())
    assert len(ranked) == 10 and ranked[0]["importance"] >= ranked[-1]["importance"]
    assert sum(explained["ensemble"]["shap"]["modality_share"].values()) == pytest.approx(1, abs=1e-3)
    assert (tiny_repo / "plots/prognosis/shap_summary.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_dvc_plots_show_draws_the_declared_charts(tiny_repo, first_repro):
    """`dvc plots show` writes one page with the charts of every study."""
    dvc(tiny_repo, "plots", "show", "-o", "rendered")
    html = (tiny_repo / "rendered" / "index.html").read_text()
    assert "BDB: ROC, real held-out half" in html and "BDB: loss per epoch, the network" in html
    assert "subjects per cell" in html and "trained on x20 synthetic rows" in html and "datum.validation" in html
    assert "PCA explained variance" in html and "shap_summary.png" in html


def audited(repo: Path) -> dict:
    """The leakage audit as the stage runs it (`dvc repro` of that stage alone, on the files as they now are)."""
    dvc(repo, "repro", "-s", "-f", "leakage_audit")
    return json.loads((repo / "metrics/audit.json").read_text())


def blank_for_one_class(frame: pd.DataFrame, label: str, negative, keep: set) -> str:
    """Blank a complete numeric column for every row of the ``negative`` class (missing by design, planted);
    its name."""
    column = next(c for c in frame.columns if c not in keep and c != label and frame[c].notna().all()
                  and pd.api.types.is_numeric_dtype(frame[c]))
    frame.loc[frame[label] == negative, column] = np.nan
    return column


def respelled(subject) -> str:
    """A subject ID as a hand-typed table might hold it: lower case, spaces around."""
    return f" {str(subject).lower()} "


@pytest.mark.slow
def test_the_bdb_audit_finds_a_planted_subject_column_and_scaler(repro_copy):
    """A training subject copied into the test half (its ID respelled), a column blanked for every control in
    the workbook, one run's scaler refit with the test rows: the audit, as the stage runs, names each."""
    data, before = repro_copy / "data/bdb", json.loads((repro_copy / "metrics/audit.json").read_text())["bdb"]
    train, test = pd.read_csv(data / "train_all.csv"), pd.read_csv(data / "test.csv")
    copied = train.iloc[[0]].assign(**{bdb_cohort.ID: respelled(train[bdb_cohort.ID].iloc[0])})
    pd.concat([test, copied]).to_csv(data / "test.csv", index=False)
    raw_path = repro_copy / yaml.safe_load((repro_copy / "params.yaml").read_text())["bdb"]["raw"]
    raw = pd.read_excel(raw_path)
    blanked = blank_for_one_class(raw, bdb_cohort.LABEL, "HEALTHY", keep={bdb_cohort.ID})
    raw.to_excel(raw_path, index=False)
    model = joblib.load(data / "models/lightgbm_x10/model.joblib")
    X_train, _ = bdb_cohort.features_and_labels(pd.read_csv(data / "synthetic/x10.csv"))
    X_test, _ = bdb_cohort.features_and_labels(bdb_cohort.without_ids(pd.read_csv(data / "test.csv")))
    model["scale"].fit(pd.concat([X_train, X_test]))
    joblib.dump(model, data / "models/lightgbm_x10/model.joblib")
    found = audited(repro_copy)["bdb"]
    assert found["subjects_in_train_and_test"] == {"count": 1, "examples": [str(train[bdb_cohort.ID].iloc[0])]}
    assert found["preprocessing_fit_on_test_rows"] == {"count": 1, "examples": ["lightgbm_x10"]}
    assert found["missing_by_design"] == before["missing_by_design"] + 1
    assert found["missing_by_design_columns"][blanked] == "HEALTHY"


@pytest.mark.slow
def test_the_voice_audit_finds_planted_folds_columns_and_encoders(repro_copy):
    """A speaker moved into a second fold (nested CV and an acoustic model), a clinical column blanked for every
    control, a fusion fold given the encoder fit on its own recordings, a clinical column among the acoustic
    measures: the audit names each."""
    data, before = repro_copy / "data/voice", json.loads((repro_copy / "metrics/audit.json").read_text())["voice"]
    for path in (data / "nested/predictions.csv", data / "acoustic_models/gb/predictions.csv"):
        predictions = pd.read_csv(path)
        first = predictions.index[predictions["subject"] == predictions["subject"].iloc[0]][0]
        predictions.loc[first, "fold"] = (predictions.loc[first, "fold"] + 1) % predictions["fold"].nunique()
        predictions.to_csv(path, index=False)
    encoders = joblib.load(data / "multimodal/audio_clinical/encoders.joblib")
    joblib.dump([encoders[0], encoders[0]], data / "multimodal/audio_clinical/encoders.joblib")  # 2 folds
    found = audited(repro_copy)["voice"]
    assert found["subjects_in_several_folds"]["nested seed 42"]["count"] == 1
    assert found["subjects_in_several_folds"]["acoustic gb"]["count"] == 1
    assert found["subjects_in_several_folds"]["acoustic rf"]["count"] == 0
    assert found["preprocessing_fit_on_test_rows"] == {"count": 1, "examples": ["audio_clinical: fold 1"]}
    # then the clinical table itself (every fold's encoder would differ from a refit: audited apart)
    clinical = pd.read_csv(data / "clinical.csv")
    blanked = blank_for_one_class(clinical, "label", 0, keep={"subject"})
    clinical.to_csv(data / "clinical.csv", index=False)
    measures = pd.read_csv(data / "acoustic.csv")
    measures.assign(**{blanked: 1.0}).to_csv(data / "acoustic.csv", index=False)
    found = audited(repro_copy)["voice"]
    assert found["missing_by_design"] == before["missing_by_design"] + 1
    assert found["missing_by_design_columns"][blanked] == "HC"
    assert found["clinical_columns_among_acoustic_measures"] == {"count": 1, "examples": [blanked]}


@pytest.mark.slow
def test_the_prognosis_audit_finds_a_planted_patient_column_and_encoder(repro_copy):
    data, before = repro_copy / "data/prognosis", json.loads((repro_copy / "metrics/audit.json").read_text())
    before = before["prognosis"]
    train, test = pd.read_csv(data / "train.csv", index_col=0), pd.read_csv(data / "test.csv", index_col=0)
    copied = train.iloc[[0]].rename(index=respelled)
    pd.concat([test, copied]).to_csv(data / "test.csv")
    clean = pd.read_csv(data / "clean.csv", index_col=0)
    blanked = blank_for_one_class(clean, prognosis_cohort.LABEL, 0, keep=set())
    clean.to_csv(data / "clean.csv")
    model = joblib.load(data / "models/rf/model.joblib")
    features = list(model["encode"].feature_names_in_)
    model["encode"].fit(pd.concat([train, test])[features])
    joblib.dump(model, data / "models/rf/model.joblib")
    found = audited(repro_copy)["prognosis"]
    assert found["subjects_in_train_and_test"] == {"count": 1, "examples": [str(train.index[0]).upper()]}
    assert found["preprocessing_fit_on_test_rows"] == {"count": 1, "examples": ["rf model"]}
    assert found["missing_by_design"] == before["missing_by_design"] + 1 and blanked in found["missing_by_design_columns"]


@pytest.mark.slow
def test_repro_is_deterministic(tiny_repo, first_repro):
    twin, _ = finished("twin")
    first, second = snapshot(tiny_repo), snapshot(twin)
    assert first.keys() == second.keys() and len(first) > 10
    changed = [name for name in first if first[name] != second[name]]
    assert not changed, f"two repros of the same code and params differ: {changed}"


@pytest.mark.slow
def test_changing_adaboost_reruns_only_adaboost_evaluation_and_reports(repro_copy):
    set_params(repro_copy, "bdb", {"adaboost": {"n_estimators": 7}})
    log = dvc(repro_copy, "repro")
    assert ran_stages(log) == {"check_params@bdb", "bdb_train@adaboost-10", "bdb_train@adaboost-20",
                               "bdb_baseline@adaboost-balanced", "bdb_baseline@adaboost-all", "bdb_spread",
                               "bdb_evaluate", "subgroups@bdb", "leakage_audit", "results_report"}
    assert "up to date" in dvc(repro_copy, "status")


@pytest.mark.slow
def test_changing_the_boosting_grid_reruns_only_boosting_evaluation_explanations_and_reports(repro_copy):
    set_params(repro_copy, "prognosis", {"gb": {"grid": {"n_estimators": [12], "max_depth": [2],
                                                        "learning_rate": [0.1]}}})
    log = dvc(repro_copy, "repro")
    assert ran_stages(log) == {"check_params@prognosis", "prognosis_train@gb", "prognosis_evaluate",
                               "subgroups@prognosis", "prognosis_explain", "leakage_audit", "results_report"}
    best = json.loads((repro_copy / "metrics/prognosis.json").read_text())["gb"]["best_params"]
    assert best == {"learning_rate": 0.1, "max_depth": 2, "n_estimators": 12}


@pytest.mark.slow
def test_every_declared_plot_renders_with_vl_convert_alone_and_overlaid_with_a_revision(tiny_repo, first_repro):
    """`make plots` without a browser: every chart DVC declares drawn to PNG by vl-convert, with data marks;
    and the same with a second revision overlaid (`dvc plots diff REV`), as a reviewer compares runs. The
    revision is a commit of this run's charts made beside HEAD (HEAD itself does not move)."""
    git = {"cwd": tiny_repo, "capture_output": True, "text": True, "check": True}
    index = {**os.environ, "GIT_INDEX_FILE": str(tiny_repo / ".git" / "overlay-index")}
    subprocess.run(["git", "read-tree", "HEAD"], env=index, **git)
    subprocess.run(["git", "add", "-f", "plots", "metrics", "dvc.lock"], env=index, **git)
    tree = subprocess.run(["git", "write-tree"], env=index, **git).stdout.strip()
    revision = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit-tree", tree, "-p", "HEAD",
                               "-m", "charts of the first repro"], **git).stdout.strip()
    for extra, folder in (([], "vl_check"), (["--diff", revision], "vl_check_diff")):
        rendered = tiny_repo / folder
        result = subprocess.run([sys.executable, str(REPO / "tools/dvc_plots.py"), "check", str(rendered),
                                 "--repo", str(tiny_repo), *extra], env=venv_env(), capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "34 of 34 plots drew" in result.stdout, result.stdout
        status = json.loads((rendered / "render_status.json").read_text())
        charts = [plot for plot in status["plots"] if not plot["images"]]
        assert len(charts) == 31 and all(plot["data_marks"] > 0 for plot in charts)   # 3 of the 34 are images
        assert (rendered / "png" / "plots_bdb_roc_json.png").read_bytes()[:4] == b"\x89PNG"
    overlaid = json.loads(subprocess.run([DVC, "plots", "diff", revision, "--json"], cwd=tiny_repo, env=venv_env(),
                                         capture_output=True, text=True, check=True).stdout)["data"]
    confusion = overlaid["plots/bdb/confusion.json"][0]["content"]
    assert len({row["rev"] for row in confusion["data"]["values"]}) == 2   # each matrix: one column per revision
    assert "datum.revisions > 1" in json.dumps(confusion["transform"])


def test_a_chart_without_data_is_reported_as_not_drawn():
    import vl_convert

    from alskit.common import templates

    spec = json.loads(templates.render("roc").replace('"<DVC_METRIC_DATA>"', "[]"))
    row = {"panel": "p", "model": "m", "order": 0, "label": "m: AUROC 0.9", "point": 0, "fpr": 0.0, "tpr": 0.0,
           "threshold": 1.0, "rev": "workspace"}
    filled = json.dumps(spec).replace("<DVC_METRIC_X>", "fpr").replace("<DVC_METRIC_Y>", "tpr")
    empty = vl_convert.vegalite_to_svg(filled, vl_version=dvc_plots.VEGA_LITE_VERSION)
    assert dvc_plots._data_marks(empty) == 0
    with_data = json.loads(filled)
    with_data["data"]["values"] = [row, {**row, "point": 1, "fpr": 1.0, "tpr": 1.0}]
    drawn = vl_convert.vegalite_to_svg(json.dumps(with_data), vl_version=dvc_plots.VEGA_LITE_VERSION)
    assert dvc_plots._data_marks(drawn) > 0


def test_training_panels_name_their_validation_size_and_runs_keep_one_colour():
    """Each panel's header gives its runs' validation size (a range when they differ); the colour follows the run,
    so the same run has one colour in every panel, and a history without the size leaves the header alone."""
    import vl_convert

    from alskit.common import plots, templates

    history = {"loss": [0.7, 0.5], "val_loss": [0.8, 0.6]}
    rows = [*plots.history_rows("A", "fold 1", {**history, "validation_rows": [12]}, "recordings"),
            *plots.history_rows("A", "fold 2", {**history, "validation_rows": [14]}, "recordings"),
            *plots.history_rows("B", "fold 1", {**history, "validation_rows": [9]}, "recordings"),
            *plots.history_rows("C", "fold 1", history, "recordings")]
    spec = json.loads(templates.render("training").replace('"<DVC_METRIC_DATA>"', json.dumps(
        [{**row, "rev": "workspace"} for row in rows])).replace("<DVC_METRIC_Y>", "loss"))
    svg = vl_convert.vegalite_to_svg(json.dumps(spec), vl_version=dvc_plots.VEGA_LITE_VERSION)
    assert "A (validation: 12-14 recordings)" in svg and "B (validation: 9 recordings)" in svg
    assert ">C<" in svg and "C (validation" not in svg
    assert spec["spec"]["layer"][0]["encoding"]["color"]["field"] == "curve"


def test_the_committed_chart_templates_are_the_generated_ones():
    """One source for a chart's look (alskit.common.templates): `python tools/dvc_plots.py templates .dvc/plots`."""
    from alskit.common import templates

    for name in templates.TEMPLATES:
        assert (REPO / ".dvc" / "plots" / f"{name}.json").read_text() == templates.render(name), name


@pytest.mark.slow
@pytest.mark.skipif(not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")),
                    reason="no Chromium (Debian: apt install chromium)")
def test_every_declared_plot_draws_offline_in_headless_chromium(tiny_repo, first_repro):
    rendered = tiny_repo / "rendered_check"
    result = subprocess.run([sys.executable, str(REPO / "tools/dvc_plots.py"), "check", str(rendered),
                             "--repo", str(tiny_repo), "--browser"], env=venv_env(), capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = subprocess.run([DVC, "plots", "show", "--json"], cwd=tiny_repo, env=venv_env(), capture_output=True,
                           text=True)
    declared = list(json.loads(shown.stdout)["data"])
    assert len(declared) == 34 and "34 of 34 plots drew" in result.stdout
    # one chart per study and kind (every model and training set of params inside it), and folders of charts
    for study in ("plots/bdb", "plots/voice/evaluation", "plots/prognosis/evaluation"):
        assert {f"{study}/{kind}.json" for kind in ("roc", "precision_recall", "calibration", "confusion")} <= \
            set(declared), study
    for folder in ("plots/voice/acoustic", "plots/prognosis/importance"):
        files = sorted(str(f.relative_to(tiny_repo)) for f in (tiny_repo / folder).glob("*.json"))
        assert files and set(files) <= set(declared), folder
    assert len([d for d in declared if d.startswith("plots/prognosis/importance/")]) == 8  # 3 methods x 2 + 2
    page = (rendered / "index.html").read_text()
    assert "cdn.jsdelivr" not in page and 'src="http' not in page, "the page must not need the internet"
    status = json.loads((rendered / "render_status.json").read_text())
    assert [plot["id"] for plot in status["plots"]] == [dvc_plots._div_id(plot_id) for plot_id in declared]
    assert (rendered / "screenshot.png").read_bytes()[:4] == b"\x89PNG"
    artifacts = REPO / "tests" / "artifacts"   # kept for CI: what the page looked like
    artifacts.mkdir(exist_ok=True)
    shutil.copy(rendered / "screenshot.png", artifacts / "dvc_plots_screenshot.png")
    shutil.copy(rendered / "render_status.json", artifacts / "dvc_plots_render_status.json")

    # A chart whose data is gone and an image that is not there must both be reported.
    broken = page.replace('"data": {"values": [{"panel"', '"data": {"values": [], "ignored": [{"panel"', 1)
    broken = broken.replace("_voice_grid_accuracy.png", "_voice_grid_accuracy_missing.png")
    assert broken.count("ignored") == 1 and broken.count("_missing.png") == 1
    (rendered / "broken.html").write_text(broken)
    report = dvc_plots.check_page(rendered / "broken.html", declared, rendered / "broken.png")
    assert report["failed"] == ["plots/bdb/roc.json", "plots/voice/grid_accuracy.png"]

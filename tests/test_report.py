"""The results report: formatting of numbers and intervals, Markdown and standalone HTML from one document."""
import json
from pathlib import Path

import numpy as np

from alskit import results
from alskit.common import document, figures as charts, verdict
from alskit.common.document import Document
from alskit.voice import report as voice_report


def test_numbers_intervals_and_missing_values():
    assert document.value(0.86666, [0.78123, 0.94]) == "0.867 [0.781, 0.940]"
    assert document.value(None, [0.1, 0.2]) == "n/a"
    assert document.mean_sd({"mean": 0.7546, "std": 0.0592}, [0.70, 0.80]) == "0.755 ± 0.059 [0.700, 0.800]"
    assert document.mean_sd({"mean": None, "std": None}) == "n/a" and document.mean_sd(None) == "n/a"
    assert document.paper_here(0.86666, "0.5 [0.4, 0.6]") == "0.867 / 0.5 [0.4, 0.6]"
    assert document.paper_here(None, "0.5") == "- / 0.5", "a number the paper does not report is no failed metric"


def test_markdown_links_figures_and_html_embeds_them(tmp_path):
    figures = tmp_path / "figures"
    charts.curves_grid_figure(_chart_folder(tmp_path / "charts"), "ROC", figures / "roc.png")
    doc = Document("Results")
    doc.heading("Study <1>")
    doc.paragraph("**Audit.** `metrics/audit.json` says 0")
    doc.table(["Metric", "Value"], [["AUROC", "0.8"]])
    doc.figure(figures / "roc.png", "ROC curves")
    markdown = doc.markdown(base=tmp_path)
    assert "| Metric | Value |\n|---|---|\n| AUROC | 0.8 |" in markdown
    assert "![ROC curves](figures/roc.png)" in markdown
    page = doc.html()
    assert page.startswith("<!DOCTYPE html>") and "<h2>Study &lt;1&gt;</h2>" in page
    assert "<strong>Audit.</strong> <code>metrics/audit.json</code>" in page
    assert page.count('src="data:image/png;base64,') == 1 and "src=\"figures/" not in page


def _chart_folder(folder: Path) -> Path:
    """A study's chart files (``roc.json``, ... as a stage writes them) for three runs, in ``folder``."""
    from alskit.common import plots

    y, p = np.array([0, 0, 1, 1, 1, 0]), np.array([0.1, 0.4, 0.35, 0.8, 0.95, 0.6])
    found = {}
    for order, (panel, model) in enumerate([("x10", "m1"), ("x10", "m2"), ("real", "m1")]):
        run, names = np.roll(p, order), {1: "ALS", 0: "HC"}
        live = plots.log_run(folder.parent / f"live{order}", y, run, 0.5, names, 5, {})
        plots.extend(found, plots.curve_rows(panel, model, order, live, y, run, names, 5,
                                             {"roc": f"{model} AUROC", "calibration": f"{model} Brier"}))
    folder.mkdir(parents=True)
    for name, rows in found.items():
        (folder / name).write_text(json.dumps(rows))
    return folder


def test_figures_are_byte_reproducible(tmp_path):
    folder = _chart_folder(tmp_path / "charts")
    for name in ("a.png", "b.png"):
        charts.confusion_figure(json.loads((folder / "confusion.json").read_text()), "t", tmp_path / name)
        charts.curves_grid_figure(folder, "t", tmp_path / f"grid_{name}")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "grid_a.png").read_bytes() == (tmp_path / "grid_b.png").read_bytes()
    from alskit.common import plots
    history = {"loss": [0.7, 0.5], "val_loss": [0.8, 0.6], "accuracy": [0.5, 0.7], "val_accuracy": [0.4, 0.6]}
    charts.training_figure(plots.history_rows("run", "fold 1", history, "recordings"), "curves", tmp_path / "c.png")
    assert "validation_size" not in plots.history_rows("run", "fold 1", history, "recordings")[0]
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def _audio(als_out: int, hc_out: int) -> dict:
    return {"recordings_in": 160, "recordings_out": als_out + hc_out, "skipped": {"silence": 160 - als_out - hc_out},
            "channels_replaced": {"cancelling": 1, "dead": 0}, "subjects_missing_tasks": {"1": 2},
            "truncated_read": 1, "recordings_clipped": 0, "system_files_ignored": 3,
            "subjects_without_clinical_row": 0,
            "by_class": {"ALS": {"recordings_in": 80, "recordings_out": als_out, "subjects_out": 10},
                         "HC": {"recordings_in": 80, "recordings_out": hc_out, "subjects_out": 10}}}


def test_data_section_counts_per_class_and_flags_biased_cleaning_from_the_numbers():
    biased = {"cells": {"unparseable": {"IL6": {"HEALTHY": 2}, "IL8": {"ALS": 1, "HEALTHY": 1}}},
              "rows_dropped": {"incomplete": {"ALS": 3, "HEALTHY": 13}},
              "class_bias": {"dropped_share": {"ALS": 0.03, "HEALTHY": 0.3824}, "p_value": 7.7e-07, "flag": True}}
    fair = {"cells": {}, "rows_dropped": {"incomplete": {"fast": 1, "slow": 2}},
            "class_bias": {"dropped_share": {"fast": 0.01, "slow": 0.01}, "p_value": 1.0, "flag": False}}
    doc = Document("Results")
    results.data_section(doc, {"Workbook": biased, "Cohort": fair}, _audio(79, 40))
    text = doc.markdown(base=Path("."))
    assert "| Workbook | stray text (missing, `unparseable: missing`) | ALS 1, HEALTHY 3 | IL6, IL8 |" in text
    assert "| Workbook | incomplete rows dropped | ALS 3, HEALTHY 13 |  |" in text
    assert "**Workbook: cleaning is biased by class.** It dropped 3% of ALS, 38% of HEALTHY" in text
    assert "(Fisher's exact test p < 0.001)" in text and "p = 0" not in text and "Cohort: cleaning dropped 1% of fast, 1% of slow; no evidence" in text
    assert "160 in, 119 kept (ALS 79 of 80 recordings" in text and "Skipping is biased by class" in text
    doc = Document("Results")
    results.data_section(doc, {"Cohort": fair}, _audio(79, 79))
    assert "biased" not in doc.markdown(base=Path("."))


def test_voice_sentences_are_generated_from_the_numbers():
    """The report's paragraph on a voice model says what its numbers say (both statements, collapsed folds), and
    a run that reads the blank-by-design columns is never compared with the trivial answer."""
    from alskit.voice.report import verdict_sentence

    def result(auroc, collapsed):
        subject = {"auroc": auroc, "auroc_ci_low": auroc - 0.1, "auroc_ci_high": auroc + 0.05,
                   "balanced_accuracy": auroc - 0.05, "balanced_accuracy_ci_low": auroc - 0.15,
                   "balanced_accuracy_ci_high": auroc, "accuracy": 0.76, "accuracy_ci_low": 0.7,
                   "accuracy_ci_high": 0.82, "majority_class": "HC", "majority_rate": 0.75}
        return {"per_subject": {**subject, **verdict.judge(subject, 0.75)}, "folds": {"collapsed": collapsed, "of": 5}}

    weak = verdict_sentence("CNN", result(0.55, 2))
    assert "cannot be told from chance (AUROC 0.550 [0.450, 0.600]" in weak and "2 of 5 CV folds collapsed" in weak
    assert "cannot be told from always answering HC (0.750)" in weak
    strong = verdict_sentence("Gradient boosting", result(0.9, 0))
    assert "It carries information (AUROC 0.900 [0.800, 0.950]" in strong and "collapsed" not in strong
    assert "0.760 [0.700, 0.820], cannot be told from always answering HC" in strong
    blanks = verdict_sentence("Fusion", result(1.0, 0), blanks=True)
    assert "blank by design" in blanks and "carries information" not in blanks


def _scored(auroc, balanced, accuracy, rate=0.722):
    """A made-up result: each metric's point with an interval of +-0.05 (three decimals)."""
    result = {"majority_class": "HC", "majority_rate": rate}
    for name, point in (("auroc", auroc), ("balanced_accuracy", balanced), ("accuracy", accuracy)):
        result.update({name: point, f"{name}_ci_low": round(point - 0.05, 3), f"{name}_ci_high": round(point + 0.05, 3)})
    return {**result, **verdict.judge(result, rate)}


def test_the_verdict_says_information_and_threshold_separately():
    """The three cases a clinician must not confuse. Informative but badly thresholded (the real 54-speaker
    random forest: AUROC and balanced accuracy above chance, accuracy overlapping the majority rate);
    accurate only through the majority class; neither."""
    thresholded = _scored(auroc=0.846, balanced=0.749, accuracy=0.76)
    assert thresholded["informative"] and not thresholded["beats_majority"]
    assert verdict.discrimination(thresholded) == "informative"
    assert verdict.against_majority(thresholded, "HC") == "no better than always HC"
    text = verdict.sentence(thresholded)
    assert text.startswith("It carries information (AUROC 0.846 [0.796, 0.896], balanced accuracy 0.749")
    assert "0.760 [0.710, 0.810], cannot be told from always answering HC (0.722)." in text

    majority = _scored(auroc=0.52, balanced=0.5, accuracy=0.722)
    assert not majority["informative"] and not majority["ranks_above_chance"] and not majority["beats_majority"]
    assert verdict.sentence(majority).startswith("It cannot be told from chance")

    ranks_only = _scored(auroc=0.7, balanced=0.53, accuracy=0.9, rate=0.6)
    assert ranks_only["ranks_above_chance"] and not ranks_only["informative"] and ranks_only["beats_majority"]
    assert verdict.discrimination(ranks_only) == "ranks above chance, threshold does not separate"
    assert "is above always answering HC (0.600)" in verdict.sentence(ranks_only)

    on_the_line = _scored(auroc=0.55, balanced=0.7, accuracy=0.8)   # interval touching 0.5 is not above it
    assert not on_the_line["informative"]
    row = verdict.row("Fusion", thresholded, reads_blanks=True)
    assert row[-2:] == ["**reads the blank-by-design columns**"] * 2


def test_task_figure_is_drawn_with_missing_tasks(tmp_path):
    voice_report.task_figure({"CNN": {"phonationA": 0.6, "rhythmPA": None}, "GB": {"phonationA": 0.8}},
                             tmp_path / "tasks.png")
    assert (tmp_path / "tasks.png").read_bytes()[:4] == b"\x89PNG"


def test_a_headline_is_picked_once_for_the_table_and_the_forest_plot(tmp_path):
    from alskit.common import forest

    scores = {"auroc": 0.85, "auroc_ci_low": 0.7, "auroc_ci_high": 0.95}
    run = {"accuracy": {"mean": 0.6, "std": 0.05}, "accuracy_ci_low": 0.55, "accuracy_ci_high": 0.66}
    rows = [forest.auroc("AUROC", 0.99, scores, "no leak"),
            forest.accuracy("no paper", None, run, 0.5, "-"),
            forest.auroc("not run", 0.9, None, "-")]
    assert rows[0].row == ["AUROC", "0.990", "0.850 [0.700, 0.950]", "no leak"]
    assert (rows[0].point, rows[0].bounds, rows[0].trivial) == (0.85, [0.7, 0.95], 0.5)
    assert rows[1].row == ["no paper", "-", "0.600 ± 0.050 [0.550, 0.660]", "-"]
    assert (rows[1].point, rows[1].trivial, rows[1].metric) == (0.6, 0.5, "accuracy")
    assert rows[2].row == ["not run", "0.900", "n/a", "-"] and rows[2].point is None
    for name in ("a.png", "b.png"):
        forest.forest_figure(rows, tmp_path / name)
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_p_values_read_as_a_reader_expects():
    assert document.p_value(0.0) == "p < 0.001" and document.p_value(7.7e-07) == "p < 0.001"
    assert document.p_value(0.031) == "p = 0.031" and document.p_value(0.001) == "p = 0.001"

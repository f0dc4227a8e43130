"""Study 3's part of the results report: its section and its headline row, generated from the numbers."""
from __future__ import annotations

import shutil
from pathlib import Path

from alskit.common import figures as charts, forest, subgroups, verdict
from alskit.common.config import load_audit
from alskit.common.io import read_json
from alskit.common.records import AuditFindings, Subgroups, read
from alskit.common.uncertainty import interval
from alskit.common.document import Document, audit_paragraph, mean_sd, paper_here, test_value, value
from alskit.prognosis import records
from alskit.prognosis.config import ENSEMBLE, MODEL_NAMES as NAMES, SCORED_ON, STUDY, Prognosis



def section(doc: Document, paper: dict, m: Path, plots: Path, figures: Path, cfg: Prognosis) -> None:
    """Study 3's section: the test metrics beside the paper, explanations by modality, the audit and the
    figures."""
    results = read(records.Results, m / "prognosis.json")
    explained = read(records.Explanations, m / "prognosis_explain.json")
    found = read(AuditFindings, m / "audit.json")["prognosis"]
    doc.heading("Prognosis: fast or slow progression from clinical, imaging and genetic features")
    doc.paragraph(f"Paper: {paper['source']}. {paper['note']} This pipeline: test split metrics with 95% "
                  "bootstrap intervals over its patients; CV AUROC on the training split.")
    metrics = ("accuracy", "precision", "recall", "f1", "auroc")
    rows = []
    for name, result in results.items():
        theirs = paper.get(name, {})
        rows.append([NAMES[name]] + [paper_here(theirs.get(k), test_value(result, k)) for k in metrics]
                    + [mean_sd(result["cv"]["auroc"])])
    doc.table(["Model", "Accuracy (paper / here)", "Precision", "Recall", "F1", "AUROC", "CV AUROC"], rows)
    doc.paragraph("**Against the trivial answer**, on the test split. " + verdict.RULE)
    doc.table(verdict.HEADER, [verdict.row(NAMES[name], result["test"]) for name, result in results.items()])
    split = read(records.Split, m / "prognosis_split.json")
    ensemble = results[ENSEMBLE]
    doc.paragraph(trust_line(ensemble, split, cfg.outcome.positive))
    shares = explained[ENSEMBLE]["shap"]["modality_share"]
    top = ", ".join(row["feature"] for row in read_json(plots / f"prognosis/importance/{ENSEMBLE}_shap.json")[:5])
    doc.paragraph(f"**Explanations.** Mean |SHAP| of the ensemble: {top} lead; clinical "
                  f"{100 * shares['clinical']:.0f}%, imaging {100 * shares['imaging']:.0f}%, genetic "
                  f"{100 * shares['genetic']:.0f}% of the total.")
    subgroups.report(doc, read(Subgroups, m / "subgroups" / "prognosis.json"), "the ensemble on the test split",
                     load_audit().subgroups.min_per_class)
    doc.paragraph(audit_paragraph(found, "Patients", "Model pipelines whose preprocessing was"))
    folder = plots / "prognosis/evaluation"
    charts.curves_grid_figure(folder, f"{STUDY}: the {SCORED_ON}", figures / "prognosis_roc.png")
    doc.figure(figures / "prognosis_roc.png", f"{STUDY}: ROC, precision-recall and calibration on the {SCORED_ON} "
               "(AUROC, average precision and Brier score with 95% intervals)")
    charts.confusion_figure(read_json(folder / "confusion.json"), SCORED_ON.capitalize(),
                            figures / "prognosis_confusion.png")
    doc.figure(figures / "prognosis_confusion.png", f"{STUDY}: confusion matrices on the {SCORED_ON}")
    shutil.copyfile(plots / "prognosis/shap_summary.png", figures / "prognosis_shap.png")
    doc.figure(figures / "prognosis_shap.png", "Prognosis: SHAP summary of the ensemble")


def trust_line(ensemble: dict, split: dict, positive: str) -> str:
    """The study's closing line: the ensemble's test AUROC against its CV AUROC, which to trust and why."""
    test, cv = ensemble["test"], ensemble["cv"]["auroc"]
    text = (f"**Which number to trust.** The ensemble's test AUROC, {test_value(ensemble, 'auroc')} on "
            f"{split['test']['patients']} test patients ({split['test']['positive']} {positive}), was used for no "
            f"choice; its CV AUROC, {mean_sd(cv)} over the {split['train']['patients']} training patients, scores "
            "the grid configurations chosen on those same folds, so it is mildly optimistic. ")
    bounds = interval(test, "auroc")
    if bounds and test["auroc"] is not None and cv and cv.get("mean") is not None:
        gap, half = test["auroc"] - cv["mean"], (bounds[1] - bounds[0]) / 2
        text += (f"The test AUROC lies {abs(gap):.3f} {'above' if gap > 0 else 'below'} the CV mean, "
                 + (f"beyond half its interval's width ({half:.3f}): one split of {split['test']['patients']} "
                    "patients moves the number that much, so read the CV mean as the steadier estimate of the "
                    "procedure and the test interval as the honest range for this one untouched split. "
                    if abs(gap) > half else
                    f"within half its interval's width ({half:.3f}): the two agree, and the test interval is the "
                    "honest range. "))
    return text + verdict.sentence(test)


def headlines(paper: dict, m: Path) -> list[forest.Headline]:
    """The headline of study 3: the ensemble's test AUROC beside the paper's, with the audit's findings."""
    results, found = read(records.Results, m / "prognosis.json"), read(AuditFindings, m / "audit.json")["prognosis"]
    return [forest.auroc("Prognosis, ensemble, test AUROC", paper[ENSEMBLE]["auroc"], results[ENSEMBLE]["test"],
                         f"patients on both sides of the split: {found['subjects_in_train_and_test']['count']}; "
                         f"preprocessing fit on test rows: {found['preprocessing_fit_on_test_rows']['count']}; "
                         f"missingness alone: AUROC {value(found['missingness_only_auroc'])}")]

"""Study 1's part of the results report: its section and its headline row, generated from the numbers."""
from __future__ import annotations

from pathlib import Path

from alskit.bdb import baselines, findings
from alskit.bdb.config import MODEL_NAMES as NAMES, Bdb
from alskit.common import forest, report, subgroups, verdict
from alskit.common.config import load_audit
from alskit.common.io import read_json
from alskit.common.report import Document, mean_sd, test_value, value
from alskit.common.uncertainty import interval



def section(doc: Document, paper: dict, m: Path, plots: Path, figures: Path, cfg: Bdb) -> None:
    """Study 1's section: Table II beside the paper, synthetic quality, synthetic versus real, the spread over
    splits, privacy, the audit and the figures, from the metrics and plot files under ``m`` and ``plots``."""
    results, quality = read_json(m / "bdb.json"), read_json(m / "bdb_synthetic_quality.json")
    privacy, found = read_json(m / "bdb_privacy.json"), read_json(m / "audit.json")["bdb"]
    split, spread = read_json(m / "bdb_split.json"), read_json(m / "bdb_spread.json")
    comparison = read_json(m / "bdb_synthetic_vs_real.json")
    models = cfg.models
    sizes = baselines.synthetic_sets(cfg.synth.factors)
    doc.heading("BDB: blood-derived biomarkers, trained on synthetic data")
    doc.paragraph(f"Paper: {paper['source']}. {paper['note']} This pipeline: the same protocol on the data "
                  "`bdb.raw` points at; test metrics on the real held-out half, 95% bootstrap intervals over its "
                  f"subjects. {findings.training_rows(split)}")
    rows = []
    for size in sizes:
        for model in models:
            ours, theirs = results[size][model], paper["test"].get(size, {}).get(model, {})
            rows.append([NAMES[model], size] + [f"{value(theirs.get(k))} / {test_value(ours, k)}"
                                                for k in ("accuracy", "f1", "specificity", "auroc")]
                        + [mean_sd(ours["cv"]["auroc"])])
    doc.table(["Model", "Set", "Accuracy (paper / here)", "F1", "Specificity", "AUROC", "CV AUROC on synthetic"],
              rows)
    doc.paragraph(findings.cv_optimism(results, models, sizes, NAMES))
    doc.paragraph("**Against the trivial answer**, on the real held-out half. " + verdict.RULE)
    doc.table(verdict.HEADER, [verdict.row(f"{NAMES[model]} {size}", results[size][model]["test"])
                               for size in sizes for model in models])
    doc.table(["Synthetic set", "Column shapes (paper / here)", "Column pair trends", "Overall",
               "SDV diagnostic (validity, structure)"],
              [[size] + [f"{value(paper['quality'][size][k])} / {value(quality[size][k])}"
                         for k in ("column_shapes", "column_pair_trends", "overall")]
               + [f"{value(quality[size]['diagnostic']['data_validity'])}, "
                  f"{value(quality[size]['diagnostic']['data_structure'])}"] for size in sizes])
    real_names = findings.real_set_names(split)
    doc.paragraph("**Does the synthetic data help?** The same models trained on real rows and tested on the same "
                  f"real half: on {real_names['real-balanced']} (`real-balanced`) and on {real_names['real-all']} "
                  "(`real-all`). Differences are synthetic minus real test AUROC, with a paired bootstrap interval "
                  "over test subjects (both prediction sets scored on each resample).")
    doc.table(["Model", "Synthetic set", "AUROC, synthetic", "AUROC, real-balanced", "AUROC, real-all",
               "Synthetic minus real-balanced", "Synthetic minus real-all"],
              findings.comparison_rows(results, comparison, models, sizes, NAMES))
    for sentence in findings.synthetic_vs_real(results, comparison, models, sizes, NAMES, split):
        doc.paragraph(sentence)
    spread_models = cfg.spread.models
    doc.paragraph(f"**Split-to-split spread.** The whole protocol (split, balance, synthesize, train, test) repeated "
                  f"over {spread['splits']} split seeds (`bdb.spread`), test AUROC per model and training set, "
                  "beside this run's default split and the paper's single number.")
    doc.table(["Model", "Training set", "Default split", "Median over splits",
               f"Central {round(100 * spread['level'])}% of splits", "Min-max", "Paper",
               "Splits where synthetic beat real-all"],
              findings.spread_rows(spread, results, paper["test"], spread_models, sizes, NAMES))
    doc.paragraph(findings.spread_summary(spread, results, paper["test"], spread_models, sizes, NAMES))
    report.spread_figure({NAMES[mo]: read_json(plots / "bdb_spread" / f"{mo}.json") for mo in spread_models},
                         {NAMES[mo]: {s: results[s][mo]["test"]["auroc"] for s in results} for mo in spread_models},
                         {NAMES[mo]: {s: paper["test"].get(s, {}).get(mo, {}).get("auroc") for s in results}
                          for mo in spread_models}, figures / "bdb_spread.png")
    doc.figure(figures / "bdb_spread.png", "BDB: test AUROC over split seeds, per model and training set")
    doc.paragraph("**Privacy of the synthetic sets** (the paper claims privacy by design): exact copies of real "
                  "training rows, distance to closest record (DCR) of synthetic rows beside that of unseen real "
                  "patients, the share of synthetic rows closer to the training patients than to unseen ones, and a "
                  "membership-inference attack (distance to the closest synthetic row) that tries to tell the "
                  "training patients from unseen ones (AUROC 0.5 = it cannot).")
    doc.table(["Set", "Exact copies", "Median DCR, synthetic / unseen", "Closer to training than to unseen",
               "Membership attack AUROC"], findings.privacy_rows(privacy, sizes))
    doc.paragraph(findings.privacy_summary(privacy, sizes))
    subgroups.report(doc, read_json(m / "subgroups" / "bdb.json"), "AdaBoost x20 on the real held-out half",
                     load_audit().subgroups.min_per_class)
    doc.paragraph(f"**Audit.** Subjects in both the training and the test half: "
                  f"{found['subjects_in_train_and_test']['count']}. Features missing by design for one class: "
                  f"{found['missing_by_design']}. A model that sees only which cells are missing reaches AUROC "
                  f"{value(found['missingness_only_auroc'])} (0.5 = no information; incomplete rows are dropped "
                  f"before the split). Preprocessing fit on test rows: "
                  f"{found['preprocessing_fit_on_test_rows']['count']} model(s).")
    doc.paragraph(trust_line(results, spread, split))
    report.curves_grid_figure(plots / "bdb", "BDB: the real held-out half", figures / "bdb_roc.png")
    doc.figure(figures / "bdb_roc.png", "BDB: ROC, precision-recall and calibration on the real held-out "
               "half, one row per training set (AUROC, average precision and Brier score with 95% intervals)")
    report.confusion_figure(read_json(plots / "bdb/confusion.json"), "Real test half", figures / "bdb_confusion.png")
    doc.figure(figures / "bdb_confusion.png", "BDB: confusion matrices on the real held-out half")
    if (plots / "bdb/training.json").exists():
        report.training_figure(read_json(plots / "bdb/training.json"), "Keras network, final fit",
                               figures / "bdb_network_curves.png")
        doc.figure(figures / "bdb_network_curves.png", "BDB: the network's loss and accuracy per epoch")


def trust_line(results: dict, spread: dict, split: dict) -> str:
    """The study's closing line: which number to trust (the headline run's test AUROC on real patients) and how
    far one split moves it."""
    if "adaboost" not in results.get("x20", {}):
        return ("**Which number to trust.** The test metrics on the real held-out half: the only numbers measured "
                "on patients no model or synthesizer saw.")
    test, cv = results["x20"]["adaboost"]["test"], results["x20"]["adaboost"]["cv"]["auroc"]
    text = (f"**Which number to trust.** AdaBoost x20 (the paper's best), test AUROC {test_value(results['x20']['adaboost'], 'auroc')}"
            f" on the {sum(split['test'].values())} real held-out subjects: the only number measured on patients "
            f"that neither the synthesizer nor the model saw. {verdict.sentence(test)} Its CV AUROC on synthetic "
            f"rows, {mean_sd(cv)}, scores synthetic rows.")
    moved = spread.get("x20", {}).get("adaboost")
    if moved:
        text += (f" Over {spread['splits']} split seeds its test AUROC spans {moved['low']:.3f}-{moved['high']:.3f} "
                 f"(central {round(100 * spread['level'])}%): one split moves it by that much.")
    return text


def headline_row(paper: dict, m: Path) -> list[str]:
    """The paper's best BDB result (AdaBoost x20) beside this run's, with what the baselines and the attack say;
    ``n/a`` when this run did not train that model or size."""
    results = read_json(m / "bdb.json")
    if "adaboost" not in results.get("x20", {}):
        return ["BDB, AdaBoost x20, test AUROC", value(paper["test"]["x20"]["adaboost"]["auroc"]), "n/a", "-"]
    versus = read_json(m / "bdb_synthetic_vs_real.json")["x20"]["adaboost"]["real-all"]
    attack = read_json(m / "bdb_privacy.json")["x20"]["membership_inference"]
    return ["BDB, AdaBoost x20, test AUROC", value(paper["test"]["x20"]["adaboost"]["auroc"]),
            test_value(results["x20"]["adaboost"], "auroc"),
            f"trained on all real training rows instead: {test_value(results['real-all']['adaboost'], 'auroc')}, "
            f"difference {value(versus['auroc_difference'], interval(versus, 'auroc_difference'))} ({versus['verdict']}); "
            f"membership attack on the synthetic set: AUROC {value(attack['auroc'], interval(attack, 'auroc'))}"
            + (" (**training patients detectable**)" if attack["detectable"] else "")]


def headline_numbers(paper: dict, m: Path) -> list[dict]:
    """The headline row's numbers for the forest plot (none when this run did not train AdaBoost x20)."""
    results = read_json(m / "bdb.json")
    if "adaboost" not in results.get("x20", {}):
        return []
    test = results["x20"]["adaboost"]["test"]
    return [forest.auroc_point("BDB, AdaBoost x20, test AUROC", paper["test"]["x20"]["adaboost"]["auroc"],
                               test["auroc"], interval(test, "auroc"))]

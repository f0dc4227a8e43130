"""Study 1's part of the results report: its section and its headline row, generated from the numbers."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from alskit.bdb import baselines, findings, records
from alskit.bdb.config import HEADLINE, MODEL_NAMES as NAMES, OTHER_CHARTS, SCORED_ON, STUDY, Bdb
from alskit.common import figures as charts, forest, subgroups, verdict
from alskit.common.config import load_audit
from alskit.common.io import read_json
from alskit.common.records import AuditFindings, Subgroups, read
from alskit.common.document import Document, audit_paragraph, mean_sd, paper_here, test_value, value
from alskit.common.plots import CHARTS, colour, pyplot, save_png
from alskit.common.uncertainty import interval


def section(doc: Document, paper: dict, m: Path, plots: Path, figures: Path, cfg: Bdb) -> None:
    """Study 1's section: Table II beside the paper, synthetic quality, synthetic versus real, the spread over
    splits, privacy, the audit and the figures, from the metrics and plot files under ``m`` and ``plots``."""
    results, quality = read(records.Results, m / "bdb.json"), read(records.Qualities, m / "bdb_synthetic_quality.json")
    privacy, found = read(records.Privacies, m / "bdb_privacy.json"), read(AuditFindings, m / "audit.json")["bdb"]
    split, spread = read(records.Split, m / "bdb_split.json"), read(records.Spread, m / "bdb_spread.json")
    comparison = read(records.Comparison, m / "bdb_synthetic_vs_real.json")
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
            rows.append([NAMES[model], size] + [paper_here(theirs.get(k), test_value(ours, k))
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
              [[size] + [paper_here(paper['quality'][size][k], value(quality[size][k]))
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
    spread_figure({NAMES[mo]: read_json(plots / "bdb_spread" / f"{mo}.json") for mo in spread_models},
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
    size, model = HEADLINE
    subgroups.report(doc, read(Subgroups, m / "subgroups" / "bdb.json"), f"{NAMES[model]} {size} on the {SCORED_ON}",
                     load_audit().subgroups.min_per_class)
    doc.paragraph(audit_paragraph(found, "Subjects", "Models whose preprocessing was",
                                  "Incomplete rows are dropped before the split."))
    doc.paragraph(trust_line(results, spread, split))
    charts.curves_grid_figure(plots / "bdb", f"{STUDY}: the {SCORED_ON}", figures / "bdb_roc.png")
    doc.figure(figures / "bdb_roc.png", f"{STUDY}: ROC, precision-recall and calibration on the {SCORED_ON}, "
               "one row per training set (AUROC, average precision and Brier score with 95% intervals)")
    charts.confusion_figure(read_json(plots / "bdb/confusion.json"), SCORED_ON.capitalize(),
                            figures / "bdb_confusion.png")
    doc.figure(figures / "bdb_confusion.png", f"{STUDY}: confusion matrices on the {SCORED_ON}")
    if (plots / "bdb/training.json").exists():
        charts.training_figure(read_json(plots / "bdb/training.json"), OTHER_CHARTS["loss"],
                               figures / "bdb_network_curves.png")
        doc.figure(figures / "bdb_network_curves.png", "BDB: the network's loss and accuracy per epoch")


def trust_line(results: dict, spread: dict, split: dict) -> str:
    """The study's closing line: which number to trust (the headline run's test AUROC on real patients) and how
    far one split moves it."""
    size, model = HEADLINE
    if model not in results.get(size, {}):
        return (f"**Which number to trust.** The test metrics on the {SCORED_ON}: the only numbers measured "
                "on patients no model or synthesizer saw.")
    run = results[size][model]
    text = (f"**Which number to trust.** {NAMES[model]} {size} (the paper's best), test AUROC "
            f"{test_value(run, 'auroc')} on the {sum(split['test'].values())} real held-out subjects: the only "
            f"number measured on patients that neither the synthesizer nor the model saw. "
            f"{verdict.sentence(run['test'])} Its CV AUROC on synthetic rows, {mean_sd(run['cv']['auroc'])}, scores "
            "synthetic rows.")
    moved = spread.get(size, {}).get(model)
    if moved:
        text += (f" Over {spread['splits']} split seeds its test AUROC spans {moved['low']:.3f}-{moved['high']:.3f} "
                 f"(central {round(100 * spread['level'])}%): one split moves it by that much.")
    return text


def headlines(paper: dict, m: Path) -> list[forest.Headline]:
    """The paper's best BDB result (:data:`HEADLINE`) beside this run's, with what the baselines and the attack
    say; ``n/a`` when this run did not train that model or size."""
    size, model = HEADLINE
    label, theirs = f"{STUDY}, {NAMES[model]} {size}, test AUROC", paper["test"][size][model]["auroc"]
    results = read(records.Results, m / "bdb.json")
    if model not in results.get(size, {}):
        return [forest.auroc(label, theirs, None, "-")]
    versus = read(records.Comparison, m / "bdb_synthetic_vs_real.json")[size][model]["real-all"]
    attack = read(records.Privacies, m / "bdb_privacy.json")[size]["membership_inference"]
    return [forest.auroc(
        label, theirs, results[size][model]["test"],
        f"trained on all real training rows instead: {test_value(results['real-all'][model], 'auroc')}, "
        f"difference {value(versus['auroc_difference'], interval(versus, 'auroc_difference'))} "
        f"({versus['verdict']}); membership attack on the synthetic set: AUROC "
        f"{value(attack['auroc'], interval(attack, 'auroc'))}"
        + (" (**training patients detectable**)" if attack["detectable"] else ""))]


def spread_figure(splits: dict[str, list[dict]], defaults: dict[str, dict[str, float | None]],
                  paper: dict[str, dict[str, float | None]], path: Path) -> None:
    """Test AUROC over split seeds: per model a panel, per training set a box (quartiles, whiskers to the
    extremes) over one point per split, the default split's value (diamond) and the paper's (cross)."""
    plt = pyplot()
    figure, axes = plt.subplots(1, len(splits), figsize=(4.2 * len(splits), 4), squeeze=False, sharey=True)
    for axis, (name, rows) in zip(axes[0], splits.items()):
        sets = list(dict.fromkeys(row["set"] for row in rows))
        values = [[row["auroc"] for row in rows if row["set"] == size] for size in sets]
        axis.boxplot(values, whis=(0, 100), widths=0.5, medianprops={"color": "black"})
        for i, column in enumerate(values, 1):
            offsets = np.linspace(-0.18, 0.18, len(column))  # evenly spread, not random: the figure is reproducible
            axis.scatter(i + offsets, column, s=6, alpha=0.4, color=colour(i - 1))
        for marks, style in ((defaults[name], {"marker": "D", "color": "black", "label": "default split"}),
                             (paper[name], {"marker": "x", "s": 60, "color": "tab:red", "label": "paper"})):
            shown = [(i, marks[size]) for i, size in enumerate(sets, 1) if marks.get(size) is not None]
            if shown:
                axis.scatter(*zip(*shown), zorder=3, **style)
        axis.axhline(0.5, color="grey", linestyle=":", linewidth=1, label="chance")
        axis.set_xticks(range(1, len(sets) + 1))
        axis.set_xticklabels(sets, rotation=20)
        axis.set(title=name, ylim=(0, 1.02), xlabel=CHARTS["spread"].y_label)
        axis.legend(fontsize=7, loc="lower right")
    splits_run = len({row["seed"] for row in next(iter(splits.values()))})
    axes[0][0].set_ylabel(f"{CHARTS['spread'].x_label} over {splits_run} splits")
    save_png(figure, path, dpi=90)

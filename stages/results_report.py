"""The results report: for each study, the paper's numbers beside this pipeline's (with 95% bootstrap
intervals over subjects) and the audit findings, with ROC, confusion and training-curve figures.

Usage: python stages/results_report.py PAPER_NUMBERS_YAML METRICS_DIR PLOTS_DIR REPORT_DIR
Writes REPORT_DIR/results.md (figures linked from REPORT_DIR/figures/) and REPORT_DIR/results.html (figures
embedded, opens offline).
"""
import logging
import shutil
from pathlib import Path

import yaml

from alskit import baselines, bdb_findings, report
from alskit.cli import UserError, load_params, param, run
from alskit.io import AtomicOutputs, read_json
from alskit.report import Document, mean_sd, value

log = logging.getLogger("alskit")
NAMES = {"lightgbm": "LightGBM", "adaboost": "AdaBoost", "mlp": "Keras network", "rf": "Random forest",
         "gb": "Gradient boosting", "ensemble": "Ensemble (mean probability)"}


CLEANING = {"Seed 001 workbook": "bdb_cleaning", "Seed 002 clinical workbook": "voice_clinical",
            "Seed 000 cohort": "prognosis_cleaning"}


def _paper(path: str) -> dict:
    if not Path(path).exists():
        raise UserError(f"{path}: file not found (the papers' reported numbers)")
    return yaml.safe_load(Path(path).read_text())


def _test(result: dict, metric: str) -> str:
    return value(result["test"].get(metric), result["test"].get(f"{metric}_ci"))


def bdb_section(doc: Document, paper: dict, m: Path, plots: Path, figures: Path, params: dict) -> None:
    results, quality = read_json(m / "bdb.json"), read_json(m / "bdb_synthetic_quality.json")
    privacy, found = read_json(m / "bdb_privacy.json"), read_json(m / "audit.json")["bdb"]
    split, spread = read_json(m / "bdb_split.json"), read_json(m / "bdb_spread.json")
    comparison = read_json(m / "bdb_synthetic_vs_real.json")
    models = param(params, "bdb.models", list)
    sizes = baselines.synthetic_sets(param(params, "bdb.synth.factors", list))
    doc.heading("Study 1: blood-derived biomarkers, trained on synthetic data (seed 001)")
    doc.paragraph(f"Paper: {paper['source']}. {paper['note']} This pipeline: the same protocol on the data "
                  "`bdb.raw` points at; test metrics on the real held-out half, 95% bootstrap intervals over its "
                  f"subjects. {bdb_findings.training_rows(split)}")
    rows = []
    for size in sizes:
        for model in models:
            ours, theirs = results[size][model], paper["test"].get(size, {}).get(model, {})
            rows.append([NAMES[model], size] + [f"{value(theirs.get(k))} / {_test(ours, k)}"
                                                for k in ("accuracy", "f1", "specificity", "auroc")]
                        + [mean_sd(ours["cv"]["auroc"])])
    doc.table(["Model", "Set", "Accuracy (paper / here)", "F1", "Specificity", "AUROC", "CV AUROC on synthetic"],
              rows)
    doc.paragraph(bdb_findings.cv_optimism(results, models, sizes, NAMES))
    doc.table(["Synthetic set", "Column shapes (paper / here)", "Column pair trends", "Overall",
               "SDV diagnostic (validity, structure)"],
              [[size] + [f"{value(paper['quality'][size][k])} / {value(quality[size][k])}"
                         for k in ("column_shapes", "column_pair_trends", "overall")]
               + [f"{value(quality[size]['diagnostic']['data_validity'])}, "
                  f"{value(quality[size]['diagnostic']['data_structure'])}"] for size in sizes])
    real_names = bdb_findings.real_set_names(split)
    doc.paragraph("**Does the synthetic data help?** The same models trained on real rows and tested on the same "
                  f"real half: on {real_names['real-balanced']} (`real-balanced`) and on {real_names['real-all']} "
                  "(`real-all`). Differences are synthetic minus real test AUROC, with a paired bootstrap interval "
                  "over test subjects (both prediction sets scored on each resample).")
    doc.table(["Model", "Synthetic set", "AUROC, synthetic", "AUROC, real-balanced", "AUROC, real-all",
               "Synthetic minus real-balanced", "Synthetic minus real-all"],
              bdb_findings.comparison_rows(results, comparison, models, sizes, NAMES))
    for sentence in bdb_findings.synthetic_vs_real(results, comparison, models, sizes, NAMES, split):
        doc.paragraph(sentence)
    spread_models = param(params, "bdb.spread.models", list)
    doc.paragraph(f"**Split-to-split spread.** The whole protocol (split, balance, synthesize, train, test) repeated "
                  f"over {spread['splits']} split seeds (`bdb.spread`), test AUROC per model and training set, "
                  "beside this run's default split and the paper's single number.")
    doc.table(["Model", "Training set", "Default split", "Median over splits",
               f"Central {round(100 * spread['level'])}% of splits", "Min-max", "Paper",
               "Splits where synthetic beat real-all"],
              bdb_findings.spread_rows(spread, results, paper["test"], spread_models, sizes, NAMES))
    doc.paragraph(bdb_findings.spread_summary(spread, results, paper["test"], spread_models, sizes, NAMES))
    report.spread_figure({NAMES[mo]: read_json(plots / "bdb_spread" / f"{mo}.json") for mo in spread_models},
                         {NAMES[mo]: {s: results[s][mo]["test"]["auroc"] for s in results} for mo in spread_models},
                         {NAMES[mo]: {s: paper["test"].get(s, {}).get(mo, {}).get("auroc") for s in results}
                          for mo in spread_models}, figures / "bdb_spread.png")
    doc.figure(figures / "bdb_spread.png", "Seed 001: test AUROC over split seeds, per model and training set")
    doc.paragraph("**Privacy of the synthetic sets** (the paper claims privacy by design): exact copies of real "
                  "training rows, distance to closest record (DCR) of synthetic rows beside that of unseen real "
                  "patients, the share of synthetic rows closer to the training patients than to unseen ones, and a "
                  "membership-inference attack (distance to the closest synthetic row) that tries to tell the "
                  "training patients from unseen ones (AUROC 0.5 = it cannot).")
    doc.table(["Set", "Exact copies", "Median DCR, synthetic / unseen", "Closer to training than to unseen",
               "Membership attack AUROC"], bdb_findings.privacy_rows(privacy, sizes))
    doc.paragraph(bdb_findings.privacy_summary(privacy, sizes))
    doc.paragraph(f"**Audit.** Subjects in both the training and the test half: "
                  f"{found['subjects_in_train_and_test']['count']}. Features missing by design for one class: "
                  f"{found['missing_by_design']}. A model that sees only which cells are missing reaches AUROC "
                  f"{value(found['missingness_only_auroc'])} (0.5 = no information; incomplete rows are dropped "
                  f"before the split). Preprocessing fit on test rows: "
                  f"{found['preprocessing_fit_on_test_rows']['count']} model(s).")
    curves = {f"{NAMES[mo]} {s}": read_json(plots / "bdb/roc" / f"{mo}_{s}.json") for s in sizes for mo in models}
    aurocs = {f"{NAMES[mo]} {s}": results[s][mo]["test"]["auroc"] for s in sizes for mo in models}
    report.roc_figure(curves, aurocs, "ROC, real test half", figures / "bdb_roc.png")
    doc.figure(figures / "bdb_roc.png", "Seed 001: ROC curves on the real held-out half (AUROC in brackets)")
    matrices = {f"{NAMES[mo]} {s}": read_json(plots / "bdb/confusion" / f"{mo}_{s}.json") for s in sizes
                for mo in models}
    report.confusion_figure(matrices, ["ALS", "HEALTHY"], "Real test half", figures / "bdb_confusion.png")
    doc.figure(figures / "bdb_confusion.png", "Seed 001: confusion matrices on the real held-out half")
    histories = {s: read_json(plots / "bdb/history" / f"mlp_{s}.json") for s in sizes
                 if (plots / "bdb/history" / f"mlp_{s}.json").exists()}
    if histories:
        report.curves_figure(histories, "Keras network, final fit", figures / "bdb_network_curves.png")
        doc.figure(figures / "bdb_network_curves.png", "Seed 001: the network's loss and accuracy per epoch")


VOICE_RUNS = {"audio": "CNN, audio only (best grid configuration)", "audio_clinical": "Multimodal, audio + clinical",
              "audio_clinical_common": "Multimodal, without columns missing by design"}
ACOUSTIC = {"gb": "Gradient boosting, acoustic measures", "rf": "Random forest, acoustic measures",
            "logreg": "Logistic regression, acoustic measures"}


def voice_models(m: Path, params: dict) -> dict[str, dict]:
    """Every voice model's metrics, by the name the report gives it: the CNN and fusion runs of
    ``metrics/voice.json``, then the acoustic models of ``metrics/voice_acoustic/``."""
    results = read_json(m / "voice.json")
    models = {label: results[name] for name, label in VOICE_RUNS.items() if name in results}
    for name in param(params, "voice.acoustic.models", list):
        models[ACOUSTIC[name]] = read_json(m / "voice_acoustic" / f"{name}.json")
    return models


def _trust_cells(result: dict) -> list[str]:
    flag = "**no better than trivial**" if result["trivial"] else "better"
    return [value(result["auroc"], result.get("auroc_ci")),
            value(result["balanced_accuracy"], result.get("balanced_accuracy_ci")),
            value(result["sensitivity"]), value(result["specificity"]),
            f"{result['majority_class']} {result['majority_rate']:.3f}", flag]


def _verdict(name: str, result: dict) -> str:
    """One sentence, from the numbers, on a model's per-subject result against the trivial answer."""
    subject, folds = result["per_subject"], result["folds"]
    told = "cannot be told from" if subject["trivial"] else "is better than"
    text = (f"{name}: per subject AUROC {value(subject['auroc'], subject.get('auroc_ci'))}, sensitivity "
            f"{value(subject['sensitivity'])}, specificity {value(subject['specificity'])}; it {told} always "
            f"answering {subject['majority_class']} (accuracy {subject['majority_rate']:.3f}).")
    if folds["collapsed"]:
        text += (f" {folds['collapsed']} of {folds['of']} CV folds collapsed (one class for every recording, or a "
                 "validation loss never better than after epoch 1) and are averaged into its numbers.")
    return text


def voice_section(doc: Document, paper: dict, m: Path, plots: Path, figures: Path, params: dict) -> None:
    results, found = read_json(m / "voice.json"), read_json(m / "audit.json")["voice"]
    folds = param(params, "voice.cv.folds", int)
    grouped = param(params, "voice.cv.group_by_subject", bool)
    models = voice_models(m, params)
    any_model = next(iter(models.values()))
    counts = any_model["per_subject"]
    doc.heading("Study 2: voice and clinical records (seed 002)")
    doc.paragraph(f"Paper: {paper['source']}. {paper['note']} This pipeline: {folds}-fold CV "
                  + ("with folds grouped by subject (no speaker on both sides)" if grouped else
                     "over recordings, as the paper (a speaker's other recordings in training)")
                  + f", {any_model['per_recording']['n']} recordings of {counts['subjects']} subjects; mean ± sd "
                  "over folds, and a 95% bootstrap interval over subjects (each drawn with all their recordings) "
                  "of the pooled out-of-fold predictions.")
    rows = []
    for name, label in VOICE_RUNS.items():
        if name in results:
            theirs = paper.get(name, {})
            rows.append([label] + [f"{value(theirs.get(k)) if theirs else '-'} / "
                                   f"{mean_sd(results[name][k], results[name].get(f'{k}_ci'))}"
                                   for k in ("accuracy", "f1")])
    doc.table(["Model (Table 5)", "Accuracy (paper / here)", "F1, weighted (paper / here)"], rows)
    for name, reason in results.get("runs_not_run", {}).items():
        doc.paragraph(f"{VOICE_RUNS[name]}: not run, because {reason} (`audit.missing_by_design_share` = "
                      f"{param(params, 'audit.missing_by_design_share', float)}); it would repeat the run above.")
    doc.paragraph("**Which voice model to trust.** Accuracy and class-weighted scores reward always giving the "
                  "majority answer. Below, every model's AUROC and balanced accuracy with 95% intervals over "
                  "subjects, beside the majority-class rate (the accuracy of always answering the larger class); "
                  "per recording, as the paper scores, and per subject, each person diagnosed from the mean of "
                  "their recordings' out-of-fold probabilities (the clinical question). A result is flagged unless "
                  "its accuracy interval lies above the majority rate and its AUROC and balanced-accuracy "
                  "intervals above 0.5.")
    rows = [[name, level.replace("_", " ")] + _trust_cells(result[level])
            + [f"{result['folds']['collapsed']} of {result['folds']['of']}"]
            for name, result in models.items() for level in ("per_recording", "per_subject")]
    doc.table(["Model", "Scored", "AUROC [95% CI]", "Balanced accuracy [95% CI]", "Sensitivity", "Specificity",
               "Majority class and rate", "Against the trivial answer", "Folds collapsed"], rows)
    for name, result in models.items():
        doc.paragraph(_verdict(name, result))
    trivial = [n for n, r in models.items() if r["per_subject"]["trivial"]]
    # a model fed columns that are blank by design for one class reads the class from the blanks, not the voice
    leaky = {VOICE_RUNS["audio_clinical"]} if found["missing_by_design"] else set()
    fair = [n for n in models if n not in leaky]
    best = max(fair, key=lambda n: models[n]["per_subject"]["auroc"] or 0)
    doc.paragraph(f"Highest per-subject AUROC"
                  + (f" among the models that do not see the {found['missing_by_design']} columns missing by "
                     "design" if leaky else "")
                  + f": {best} ({value(models[best]['per_subject']['auroc'], models[best]['per_subject']['auroc_ci'])})"
                  f", chosen after seeing {len(fair)} models on the same folds, so mildly optimistic. "
                  f"{len(trivial)} of {len(models)} models cannot be told from the trivial answer per subject"
                  + (f" ({'; '.join(trivial)})." if trivial else "."))
    tasks = list(any_model["per_task"])
    doc.paragraph("**Per task** (per recording, AUROC with 95% interval over subjects): which recording task "
                  "separates the classes best.")
    doc.table(["Task"] + list(models), [[task] + [value(r["per_task"][task]["auroc"], r["per_task"][task]["auroc_ci"])
                                                  if task in r["per_task"] else "n/a" for r in models.values()]
                                        for task in tasks])
    report.task_figure({n: {t: r["per_task"][t]["auroc"] for t in r["per_task"]} for n, r in models.items()},
                       figures / "voice_tasks.png")
    doc.figure(figures / "voice_tasks.png", "Seed 002: AUROC per recording task and model (0.5 = chance)")
    for name in param(params, "voice.acoustic.models", list):
        importance = read_json(plots / "voice/acoustic" / f"{name}_importance.json")
        doc.paragraph(f"{ACOUSTIC[name]}: most important measures "
                      + ", ".join(f"`{r['feature']}` ({r['importance']:.3f})" for r in importance[:5]) + ".")
    several = sum(v["count"] for v in found["subjects_in_several_folds"].values())
    by_design = found["missing_by_design"]
    missingness = found["missingness_only_auroc"]
    text = (f"**Audit.** Subjects in more than one CV fold: {several}. Clinical columns missing by design for one "
            f"class: {by_design}"
            + (f" (blank for every {', '.join(sorted(set(found['missing_by_design_columns'].values())))} subject)"
               if by_design else "")
            + f". A model that sees only which cells are missing reaches AUROC {value(missingness)}")
    if missingness is not None and missingness >= 0.9:
        text += ": the blank cells alone name the class, so a near-perfect multimodal score says nothing about voice"
    text += (f". Fusion folds whose clinical preprocessing saw the recordings they scored: "
             f"{found['preprocessing_fit_on_test_rows']['count']} (the CNN takes the spectrograms as they are).")
    doc.paragraph(text)
    matrices = {VOICE_RUNS[n]: read_json(plots / "voice/multimodal/confusion" / f"{n}.json")
                for n in VOICE_RUNS if (plots / "voice/multimodal/confusion" / f"{n}.json").exists()}
    report.confusion_figure(matrices, ["ALS", "HC"], "Out-of-fold, all recordings", figures / "voice_confusion.png")
    doc.figure(figures / "voice_confusion.png", "Seed 002: confusion matrices over the out-of-fold predictions")
    histories = {VOICE_RUNS[n]: read_json(plots / "voice/multimodal/curves" / f"{n}_fold1.json")
                 for n in VOICE_RUNS if (plots / "voice/multimodal/curves" / f"{n}_fold1.json").exists()}
    report.curves_figure(histories, "Fold 1", figures / "voice_curves.png")
    doc.figure(figures / "voice_curves.png", "Seed 002: loss and accuracy per epoch, fold 1")
    shutil.copyfile(plots / "voice/grid_accuracy.png", figures / "voice_grid_accuracy.png")
    doc.figure(figures / "voice_grid_accuracy.png", "Seed 002, Table 4: mean CV accuracy per configuration run")


def prognosis_section(doc: Document, paper: dict, m: Path, plots: Path, figures: Path) -> None:
    results, explained = read_json(m / "prognosis.json"), read_json(m / "prognosis_explain.json")
    found = read_json(m / "audit.json")["prognosis"]
    doc.heading("Study 3: prognosis from clinical, imaging and genetic features (seed 000)")
    doc.paragraph(f"Paper: {paper['source']}. {paper['note']} This pipeline: test split metrics with 95% "
                  "bootstrap intervals over its patients; CV AUROC on the training split.")
    metrics = ("accuracy", "precision", "recall", "f1", "auroc")
    rows = []
    for name, result in results.items():
        theirs = paper.get(name, {})
        rows.append([NAMES[name]] + [f"{value(theirs[k]) if k in theirs else '-'} / {_test(result, k)}"
                                     for k in metrics] + [mean_sd(result["cv"]["auroc"])])
    doc.table(["Model", "Accuracy (paper / here)", "Precision", "Recall", "F1", "AUROC", "CV AUROC"], rows)
    shares = explained["ensemble"]["shap"]["modality_share"]
    top = ", ".join(list(explained["ensemble"]["shap"]["top"])[:5])
    doc.paragraph(f"**Explanations.** Mean |SHAP| of the ensemble: {top} lead; clinical "
                  f"{100 * shares['clinical']:.0f}%, imaging {100 * shares['imaging']:.0f}%, genetic "
                  f"{100 * shares['genetic']:.0f}% of the total.")
    doc.paragraph(f"**Audit.** Patients in both training and test split: "
                  f"{found['subjects_in_train_and_test']['count']}; in more than one CV fold: "
                  f"{sum(v['count'] for v in found['subjects_in_several_folds'].values())}. Features missing by "
                  f"design: {found['missing_by_design']}; missingness-only AUROC "
                  f"{value(found['missingness_only_auroc'])}. Preprocessing fit on test rows: "
                  f"{found['preprocessing_fit_on_test_rows']['count']}.")
    curves = {NAMES[n]: read_json(plots / "prognosis/roc" / f"{n}.json") for n in results}
    report.roc_figure(curves, {NAMES[n]: r["test"]["auroc"] for n, r in results.items()}, "ROC, test split",
                      figures / "prognosis_roc.png")
    doc.figure(figures / "prognosis_roc.png", "Seed 000: ROC curves on the test split (AUROC in brackets)")
    matrices = {NAMES[n]: read_json(plots / "prognosis/confusion" / f"{n}.json") for n in results}
    classes = sorted({r["actual"] for rows in matrices.values() for r in rows})
    report.confusion_figure(matrices, classes, "Test split", figures / "prognosis_confusion.png")
    doc.figure(figures / "prognosis_confusion.png", "Seed 000: confusion matrices on the test split")
    shutil.copyfile(plots / "prognosis/shap_summary.png", figures / "prognosis_shap.png")
    doc.figure(figures / "prognosis_shap.png", "Seed 000: SHAP summary of the ensemble")


def _bdb_headline(paper: dict, results: dict, m: Path) -> list[str]:
    """The paper's best BDB result (AdaBoost x20) beside this run's, with what the baselines and the attack say;
    ``n/a`` when this run did not train that model or size."""
    if "adaboost" not in results.get("x20", {}):
        return ["Seed 001, AdaBoost x20, test AUROC", value(paper["test"]["x20"]["adaboost"]["auroc"]), "n/a", "-"]
    versus = read_json(m / "bdb_synthetic_vs_real.json")["x20"]["adaboost"]["real-all"]
    attack = read_json(m / "bdb_privacy.json")["x20"]["membership_inference"]
    return ["Seed 001, AdaBoost x20, test AUROC", value(paper["test"]["x20"]["adaboost"]["auroc"]),
            _test(results["x20"]["adaboost"], "auroc"),
            f"trained on all real training rows instead: {_test(results['real-all']['adaboost'], 'auroc')}, "
            f"difference {value(versus['auroc_difference'], versus['auroc_difference_ci'])} ({versus['verdict']}); "
            f"membership attack on the synthetic set: AUROC {value(attack['auroc'], attack['auroc_ci'])}"
            + (" (**training patients detectable**)" if attack["detectable"] else "")]


def _acoustic_headline(m: Path, params: dict) -> list[str]:
    """The headline row of the first acoustic model in ``voice.acoustic.models`` (not the best: picking the best
    of several on the same folds would flatter it)."""
    name = param(params, "voice.acoustic.models", list)[0]
    subject = read_json(m / "voice_acoustic" / f"{name}.json")["per_subject"]
    return [f"Seed 002, {ACOUSTIC[name].lower()}, per-subject AUROC", "-",
            value(subject["auroc"], subject.get("auroc_ci")),
            f"balanced accuracy {value(subject['balanced_accuracy'], subject.get('balanced_accuracy_ci'))}; "
            + ("**no better than the trivial answer**" if subject["trivial"] else "better than the trivial answer")]


def headline(doc: Document, papers: dict, m: Path, params: dict) -> None:
    bdb, voice, prognosis = read_json(m / "bdb.json"), read_json(m / "voice.json"), read_json(m / "prognosis.json")
    found = read_json(m / "audit.json")
    rows = [
        _bdb_headline(papers["bdb"], bdb, m),
        ["Seed 002, audio only, CV accuracy", value(papers["voice"]["audio"]["accuracy"]),
         mean_sd(voice["audio"]["accuracy"], voice["audio"].get("accuracy_ci")),
         "paper's folds put a speaker's other recordings in training; "
         + ("here folds are grouped by subject" if param(params, "voice.cv.group_by_subject", bool)
            else "so do this run's (`voice.cv.group_by_subject: false`)")],
        ["Seed 002, audio + clinical, CV accuracy", value(papers["voice"]["audio_clinical"]["accuracy"]),
         mean_sd(voice["audio_clinical"]["accuracy"], voice["audio_clinical"].get("accuracy_ci")),
         f"{found['voice']['missing_by_design']} clinical columns blank for every "
         f"{'/'.join(sorted(set(found['voice']['missing_by_design_columns'].values()))) or '-'} subject; "
         f"missingness alone: AUROC {value(found['voice']['missingness_only_auroc'])}; without them: "
         + (mean_sd(voice["audio_clinical_common"]["accuracy"]) if "audio_clinical_common" in voice
            else f"not run ({voice['runs_not_run'].get('audio_clinical_common', '')})")],
        ["Seed 002, audio only, per-subject AUROC", "-",
         value(voice["audio"]["per_subject"]["auroc"], voice["audio"]["per_subject"].get("auroc_ci")),
         f"always answering {voice['audio']['per_subject']['majority_class']}: accuracy "
         f"{voice['audio']['per_subject']['majority_rate']:.3f}; balanced accuracy "
         f"{value(voice['audio']['per_subject']['balanced_accuracy'])}; {voice['audio']['folds']['collapsed']} of "
         f"{voice['audio']['folds']['of']} folds collapsed"
         + ("; **no better than the trivial answer**" if voice["audio"]["per_subject"]["trivial"] else "")],
        _acoustic_headline(m, params),
        ["Seed 000, ensemble, test AUROC", value(papers["prognosis"]["ensemble"]["auroc"]),
         _test(prognosis["ensemble"], "auroc"),
         f"patients on both sides of the split: {found['prognosis']['subjects_in_train_and_test']['count']}; "
         f"preprocessing fit on test rows: {found['prognosis']['preprocessing_fit_on_test_rows']['count']}; "
         f"missingness alone: AUROC {value(found['prognosis']['missingness_only_auroc'])}"],
    ]
    doc.heading("Headline")
    doc.table(["Result", "Paper", "This pipeline [95% CI]", "Audit"], rows)


def main(paper_path: str, metrics_dir: str, plots_dir: str, report_dir: str) -> None:
    params = load_params()
    papers = _paper(paper_path)
    m, plots, folder = Path(metrics_dir), Path(plots_dir), Path(report_dir)
    with AtomicOutputs() as out:
        staging = out.directory(folder / "figures")
        doc = Document("Results: the papers' numbers beside this pipeline's")
        doc.paragraph("Generated by `dvc repro` (stage `results_report`) from `metrics/` and `plots/`. Unless "
                      "`params.yaml` points a study at real files, \"here\" means the demo cohorts: the numbers "
                      "show what the pipeline does, not findings about ALS. Intervals are 95% percentile bootstrap "
                      "intervals that resample subjects; paper numbers come from `reports/paper_numbers.yaml`.")
        headline(doc, papers, m, params)
        report.data_section(doc, {name: read_json(m / f"{file}.json") for name, file in CLEANING.items()},
                            read_json(m / "voice_audio.json"))
        bdb_section(doc, papers["bdb"], m, plots, staging, params)
        voice_section(doc, papers["voice"], m, plots, staging, params)
        prognosis_section(doc, papers["prognosis"], m, plots, staging)
        out.text(doc.markdown(base=staging.parent).replace(f"{staging.name}/", "figures/"), folder / "results.md")
        out.text(doc.html(), folder / "results.html")
    log.info("wrote %s and %s", folder / "results.md", folder / "results.html")


if __name__ == "__main__":
    run(main)

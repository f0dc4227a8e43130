"""Study 2's part of the results report: its section and its headline rows, generated from the numbers."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from alskit.common import figures as charts, forest, subgroups, verdict
from alskit.common.config import Audit
from alskit.common.io import read_json
from alskit.common.records import AuditFindings, Subgroups, read
from alskit.common.document import Document, audit_paragraph, mean_sd, p_value, paper_here, value
from alskit.common.plots import pyplot, save_png
from alskit.common.tables import class_bias
from alskit.voice import records
from alskit.voice.config import (ACOUSTIC_NAMES as ACOUSTIC, NESTED_NAME, OTHER_CHARTS, RUN_NAMES, SCORED_ON, STUDY,
                                 Voice)
from alskit.common.uncertainty import interval



def voice_models(m: Path, cfg: Voice) -> dict[str, dict]:
    """Every voice model's metrics, by the name the report gives it: the CNN and fusion runs of
    ``metrics/voice.json``, then the acoustic models of ``metrics/voice_acoustic/``."""
    results = read(records.Networks, m / "voice.json")
    models = {label: results[name] for name, label in RUN_NAMES.items() if name in results}
    for name in cfg.acoustic.models:
        models[ACOUSTIC[name]] = read(records.Run, m / "voice_acoustic" / f"{name}.json")
    return models


def reads_blanks(name: str, found: dict) -> bool:
    """Whether the audit explains ``name``'s scores away: the fusion run fed the clinical columns that are blank by
    design for one class reads the class from the blanks, not from the voice."""
    return name == RUN_NAMES["audio_clinical"] and bool(found["missing_by_design"])


def verdict_sentence(name: str, result: dict, blanks: bool = False) -> str:
    """One paragraph, from the numbers, on a model's per-subject result against the trivial answer."""
    subject, folds = result["per_subject"], result["folds"]
    if blanks:
        text = (f"{name}: per subject AUROC {value(subject['auroc'], interval(subject, 'auroc'))}, read from the "
                "clinical columns that are blank by design for one class (see the audit below): it says nothing "
                "about voice, and is not compared with the trivial answer.")
    else:
        text = f"{name}, per subject: {verdict.sentence(subject)}"
    if folds["collapsed"]:
        text += (f" {folds['collapsed']} of {folds['of']} CV folds collapsed (one class for every recording, or a "
                 "validation loss never better than after epoch 1) and are averaged into its numbers.")
    return text


def section(doc: Document, paper: dict, m: Path, plots: Path, figures: Path, cfg: Voice, audit: Audit) -> None:
    """Study 2's section: Table 5 beside the paper, every model against the trivial answer, per task, the
    acoustic measures, the audit and the figures."""
    results, found = read(records.Networks, m / "voice.json"), read(AuditFindings, m / "audit.json")["voice"]
    folds = cfg.cv.folds
    grouped = cfg.cv.group_by_subject
    models = voice_models(m, cfg)
    any_model = next(iter(models.values()))
    counts = any_model["per_subject"]
    doc.heading("Voice: voice and clinical records")
    doc.paragraph(f"Paper: {paper['source']}. {paper['note']} This pipeline: {folds}-fold CV "
                  + ("with folds grouped by subject (no speaker on both sides)" if grouped else
                     "over recordings, as the paper (a speaker's other recordings in training)")
                  + f", {any_model['per_recording']['n']} recordings of {counts['subjects']} subjects; mean ± sd "
                  "over folds, and a 95% bootstrap interval over subjects (each drawn with all their recordings) "
                  "of the pooled out-of-fold predictions.")
    rows = []
    for name, label in RUN_NAMES.items():
        if name in results:
            theirs = paper.get(name, {})
            rows.append([label] + [paper_here(theirs.get(k), mean_sd(results[name][k], interval(results[name], k)))
                                   for k in ("accuracy", "f1")])
    doc.table(["Model (Table 5)", "Accuracy (paper / here)", "F1, weighted (paper / here)"], rows)
    for name, reason in results.get("runs_not_run", {}).items():
        doc.paragraph(f"{RUN_NAMES[name]}: not run, because {reason} (`audit.missing_by_design_share` = "
                      f"{audit.missing_by_design_share}); it would repeat the run above.")
    doc.paragraph("**Which voice model to trust.** Accuracy and class-weighted scores reward always giving the "
                  "majority answer. Below, every model's AUROC, balanced accuracy and accuracy with 95% intervals "
                  "over subjects, per recording, as the paper scores, and per subject, each person diagnosed from "
                  "the mean of their recordings' out-of-fold probabilities (the clinical question). "
                  + verdict.RULE)
    nested = read(records.Nested, m / "voice_nested.json")
    doc.table(verdict.HEADER, [verdict.row(f"{NESTED_NAME}, per subject (**headline**)", nested["per_subject"])]
              + [verdict.row(f"{name}, {level.replace('_', ' ')}", result[level], reads_blanks(name, found))
                 for name, result in models.items() for level in ("per_recording", "per_subject")])
    doc.paragraph(f"{NESTED_NAME}, per subject: {verdict.sentence(nested['per_subject'])}")
    for name, result in models.items():
        doc.paragraph(verdict_sentence(name, result, reads_blanks(name, found)))
    nested_section(doc, nested, cfg)
    severity_section(doc, read(records.SeverityFile, m / "voice_severity.json"), cfg)
    severity_rows = read_json(plots / "voice/severity/confusion.json")
    if severity_rows:
        charts.confusion_figure(severity_rows, "Speech item level, per subject", figures / "voice_severity.png",
                                "severity")
        doc.figure(figures / "voice_severity.png", "Voice: the speech item level from voice, nested CV, per "
                   "subject (HC: healthy controls)")
    subgroups.report(doc, read(Subgroups, m / "subgroups" / "voice.json"), f"{_lowered(NESTED_NAME)}, per subject",
                     audit.subgroups.min_per_class)
    tasks = list(any_model["per_task"])
    doc.paragraph("**Per task** (per recording, AUROC with 95% interval over subjects): which recording task "
                  "separates the classes best.")
    doc.table(["Task"] + list(models), [[task] + [value(r["per_task"][task]["auroc"], interval(r["per_task"][task],
                                                                                            "auroc"))
                                                  if task in r["per_task"] else "n/a" for r in models.values()]
                                        for task in tasks])
    task_figure({n: {t: r["per_task"][t]["auroc"] for t in r["per_task"]} for n, r in models.items()},
                       figures / "voice_tasks.png")
    doc.figure(figures / "voice_tasks.png", "Voice: AUROC per recording task and model (0.5 = chance)")
    for name in cfg.acoustic.models:
        importance = read_json(plots / "voice/acoustic" / f"{name}_importance.json")
        doc.paragraph(f"{ACOUSTIC[name]}: most important measures "
                      + ", ".join(f"`{r['feature']}` ({r['importance']:.3f})" for r in importance[:5]) + ".")
    doc.paragraph(audit_paragraph(
        found, "Subjects", "Fusion folds whose clinical preprocessing was",
        "The CNN takes the spectrograms as they are. Clinical columns among the acoustic measures (the severity "
        f"model's inputs): {found['clinical_columns_among_acoustic_measures']['count']}."))
    folder = plots / "voice/evaluation"
    charts.curves_grid_figure(folder, f"{STUDY}: {SCORED_ON}", figures / "voice_roc.png")
    doc.figure(figures / "voice_roc.png", "Voice: ROC, precision-recall and calibration per subject (the mean "
               "over a subject's recordings; AUROC, average precision and Brier score with 95% intervals)")
    charts.confusion_figure(read_json(folder / "confusion.json"), SCORED_ON.capitalize(),
                            figures / "voice_confusion.png")
    doc.figure(figures / "voice_confusion.png", "Voice: confusion matrices over the subjects' out-of-fold "
               "predictions")
    collapsed = {RUN_NAMES[name]: {f"fold {f['fold']}": _collapse_reason(f) for f in results[name]["folds"]["folds"]
                                    if f["collapsed"]}
                 for name in RUN_NAMES if name in results}
    charts.training_figure(read_json(plots / "voice/multimodal/training.json"), OTHER_CHARTS["loss"],
                           figures / "voice_curves.png", collapsed)
    doc.figure(figures / "voice_curves.png", "Voice: loss and accuracy per epoch, every CV fold of each network "
               "(solid: training; dashed: the validation share of the training subjects; collapsed folds named)")
    table4_section(doc, read(records.Grid, m / "voice_grid.json"), paper.get("table4", {}))
    shutil.copyfile(plots / "voice/grid_accuracy.png", figures / "voice_grid_accuracy.png")
    doc.figure(figures / "voice_grid_accuracy.png", "Voice, Table 4: mean CV accuracy per configuration run")


def table4_section(doc: Document, grid: dict, paper: dict) -> None:
    """Table 4 as the paper prints it, one row per configuration run (``voice.grid``): the paper's CV accuracy
    beside this pipeline's, and each run's per-subject AUROC against chance and against the majority class."""
    doc.paragraph("**Table 4, the CNN grid** (scenario x dropout rate, the configurations in `voice.grid`; "
                  "docs/compute.md runs the paper's 60 on more machines). The paper reports CV accuracy per recording "
                  "only; the clinical reading is the per-subject one beside it.")
    rows = []
    for scenario, by_rate in grid.items():
        for dropout, result in by_rate.items():
            subject = result["per_subject"]
            rows.append([scenario, dropout, value(paper.get(scenario, {}).get(dropout)),
                         mean_sd(result["accuracy"], interval(result, "accuracy")),
                         value(subject["auroc"], interval(subject, "auroc")), verdict.discrimination(subject),
                         verdict.against_majority(subject, subject["majority_class"])])
    doc.table(["Scenario", "Dropout", "CV accuracy, paper", "CV accuracy here", "Per-subject AUROC", "Ranking",
               "Against the majority class"], rows)


def nested_section(doc: Document, nested: dict, cfg: Voice) -> None:
    """The headline's method, its spread over fold seeds, the best-of-candidates number it replaces, which
    candidate each outer fold chose, and the one line on which voice number to trust."""
    subject, seeds, best = nested["per_subject"], nested["over_seeds"], nested["best_of_candidates"]
    settings = nested["settings"]
    doc.paragraph(
        f"**The headline: nested, repeated, subject-grouped CV.** {settings['candidates']} candidates (models "
        f"{', '.join(cfg.acoustic.models)} x feature sets {', '.join(cfg.nested.feature_sets)} x windows "
        f"{', '.join(_window(w) for w in cfg.acoustic.window_seconds)}); inside each of the {settings['outer_folds']} "
        f"outer training folds a {settings['inner_folds']}-fold subject-grouped CV picks the candidate with the "
        "highest per-subject AUROC, which then scores the outer fold; the outer predictions are pooled whichever "
        f"candidate each fold chose, and the whole is repeated over {seeds['repeats']} fold seeds. Each subject's "
        "probability is the mean over its recordings and the seeds. Per-subject AUROC "
        f"{value(subject['auroc'], interval(subject, 'auroc'))} (interval over subjects); per fold seed "
        f"{seeds['auroc_mean']:.3f} ± {seeds['auroc_sd']:.3f}, from {seeds['auroc_min']:.3f} to "
        f"{seeds['auroc_max']:.3f}: how much one split moves the number. The best of the {best['of']} candidates "
        f"chosen after seeing their scores, `{best['candidate']}`, reaches {best['auroc_mean']:.3f} (mean over the "
        f"seeds), {best['auroc_mean'] - seeds['auroc_mean']:+.3f} against the nested estimate: the optimism the "
        "nesting removes (on noise it is all optimism; tests/test_nested.py). The CNN grid and the fusion network "
        "are scored on one fold split (their cost; docs/voice.md).")
    doc.table(["Candidate (model/features/window)", "Per-subject AUROC over its own outer folds, mean ± sd over "
               "seeds", "Outer folds that chose it"],
              [[f"`{name}`", f"{row['auroc_mean']:.3f} ± {row['auroc_sd']:.3f}",
                f"{row['chosen']} of {seeds['repeats'] * settings['outer_folds']}"]
               for name, row in nested["candidates"].items()])
    doc.paragraph(f"**Which number to trust.** The nested estimate, per subject: AUROC "
                  f"{value(subject['auroc'], interval(subject, 'auroc'))} over {subject['subjects']} subjects. No "
                  "scored subject took part in choosing the model, the feature set or the window, so no "
                  "best-of-N caveat applies; the per-model rows above are views of single models on one split. CV "
                  "accuracy per recording is the paper's number, not the clinical one.")


def _lowered(name: str) -> str:
    """A display name inside a sentence: its first letter lower case, acronyms (CV) kept."""
    return name[:1].lower() + name[1:]


def _window(seconds: float | None) -> str:
    return "the whole recording" if seconds is None else f"the central {seconds:g} s"


def severity_section(doc: Document, found: dict, cfg: Voice) -> None:
    """The bulbar severity task: its scores beside the trivial answers, or why it did not run."""
    target = cfg.severity.target
    if "skipped" in found:
        doc.paragraph(f"**Bulbar severity from voice** (`{target}`): not run, because {found['skipped']}.")
        return
    merged = "; ".join(f"level {name} merges {n} item values" for name, n in found["merged"].items())
    doc.paragraph(
        f"**Bulbar severity from voice** (beyond both papers; the SAND challenge's question): each subject's "
        f"`{target}` level, healthy controls a class of their own, from the acoustic measures alone (no clinical "
        f"column read: {found['clinical_columns_read']}), by the same nested CV chosen on per-subject macro-F1 "
        f"({', '.join(cfg.severity.models)}; {cfg.severity.repeats} fold seeds). Subjects per class: "
        + ", ".join(f"{k} {v}" for k, v in found["classes"].items())
        + (f" ({merged}: fewer than {cfg.cv.folds} subjects could not be stratified)" if merged else "")
        + (f"; {found['patients_without_item']} patient(s) without the item left out" if found[
            "patients_without_item"] else "") + ".")
    cell = lambda k: value(found[k], interval(found, k))  # noqa: E731
    doc.table(["Score", "Over", "Here [95% CI]", "Trivial answer"],
              [["Macro-F1 (SAND's metric)", f"all {found['subjects']} subjects", cell("macro_f1"),
                f"{found['majority_macro_f1']:.3f} (always the largest class)"],
               ["Balanced accuracy", f"all {found['subjects']} subjects", cell("balanced_accuracy"),
                f"{found['majority_balanced_accuracy']:.3f} (any constant answer)"],
               ["Macro-F1 among the levels", f"{found['patients']} patients", cell("patients_macro_f1"),
                f"{found['majority_level_patients_macro_f1']:.3f} (always the commonest level)"],
               ["Mean absolute error, item points", f"{found['patients']} patients", cell("mae"),
                f"{found['median_item_mae']:.3f} (always the median item, {found['median_item']:g})"],
               ["Quadratic-weighted kappa", f"{found['patients']} patients", cell("kappa"), "0 (any constant answer)"]])
    doc.paragraph("On the demo cohort the speech items and the voices are both drawn from each patient's latent "
                  "bulbar severity, so how well the level is recovered here is a property of the demo generator, "
                  "not a finding; on real recordings this table is the result. A patient called healthy counts as "
                  "normal speech (item 4) in the error and as the mildest level in the kappa.")


def _collapse_reason(fold: dict) -> str:
    """Why a fold counts as collapsed, in a few words for a legend."""
    reasons = (["one class for all"] if fold["one_class"] else []) + (
        ["never better than epoch 1"] if fold.get("never_improved") else [])
    return "collapsed: " + ", ".join(reasons)


def _nested_headline(m: Path) -> forest.Headline:
    """The headline of the nested estimate."""
    nested = read(records.Nested, m / "voice_nested.json")
    subject, seeds, best = nested["per_subject"], nested["over_seeds"], nested["best_of_candidates"]
    return forest.auroc(f"Voice, {_lowered(NESTED_NAME)}, per-subject AUROC", None, subject,
                        f"over {seeds['repeats']} fold seeds {seeds['auroc_mean']:.3f} ± {seeds['auroc_sd']:.3f} "
                        f"({seeds['auroc_min']:.3f}-{seeds['auroc_max']:.3f}); best of {best['of']} candidates "
                        f"chosen after seeing them {best['auroc_mean']:.3f}; {verdict.discrimination(subject)}; "
                        f"accuracy {verdict.against_majority(subject, subject['majority_class'])}")


def headlines(paper: dict, m: Path, cfg: Voice) -> list[forest.Headline]:
    """The headlines of study 2: audio only and audio + clinical CV accuracy beside the paper (with what the folds
    and the blank columns mean for them; their trivial answer the recordings' majority-class accuracy), the
    audio-only per-subject AUROC against the trivial answer, and the nested estimate over the acoustic
    candidates (the study's headline)."""
    voice, found = read(records.Networks, m / "voice.json"), read(AuditFindings, m / "audit.json")["voice"]
    audio = voice["audio"]
    majority = audio["per_recording"]["majority_rate"]
    return [
        forest.accuracy("Voice, audio only, CV accuracy", paper["audio"]["accuracy"], audio, majority,
                        "paper's folds put a speaker's other recordings in training; "
                        + ("here folds are grouped by subject" if cfg.cv.group_by_subject
                           else "so do this run's (`voice.cv.group_by_subject: false`)")),
        forest.accuracy("Voice, audio + clinical, CV accuracy", paper["audio_clinical"]["accuracy"],
                        voice["audio_clinical"], majority,
                        f"{found['missing_by_design']} clinical columns blank for every "
                        f"{'/'.join(sorted(set(found['missing_by_design_columns'].values()))) or '-'} subject; "
                        f"missingness alone: AUROC {value(found['missingness_only_auroc'])}"
                        + ("; **reads the blank-by-design columns**"
                           if reads_blanks(RUN_NAMES["audio_clinical"], found) else "")
                        + "; without them: "
                        + (mean_sd(voice["audio_clinical_common"]["accuracy"]) if "audio_clinical_common" in voice
                           else f"not run ({voice['runs_not_run'].get('audio_clinical_common', '')})")),
        forest.auroc("Voice, audio only, per-subject AUROC", None, audio["per_subject"],
                     f"always answering {audio['per_subject']['majority_class']}: accuracy "
                     f"{audio['per_subject']['majority_rate']:.3f}; balanced accuracy "
                     f"{value(audio['per_subject']['balanced_accuracy'])}; {audio['folds']['collapsed']} of "
                     f"{audio['folds']['of']} folds collapsed; {verdict.discrimination(audio['per_subject'])}"),
        _nested_headline(m),
    ]


def task_figure(aurocs: dict[str, dict[str, float | None]], path: Path) -> None:
    """AUROC per recording task (groups) and model (bars), with the chance line at 0.5."""
    plt = pyplot()
    tasks = list(dict.fromkeys(t for per_task in aurocs.values() for t in per_task))
    figure, axis = plt.subplots(figsize=(max(6.0, 1.1 * len(tasks) + 2), 4.8), layout="constrained")
    width = 0.8 / max(1, len(aurocs))
    for i, (name, per_task) in enumerate(aurocs.items()):
        heights = [np.nan if per_task.get(t) is None else per_task[t] for t in tasks]
        axis.bar(np.arange(len(tasks)) + (i - (len(aurocs) - 1) / 2) * width, heights, width, label=name)
    axis.axhline(0.5, color="grey", linestyle=":", linewidth=1, label="chance")
    axis.set(xticks=range(len(tasks)), ylim=(0, 1.02), ylabel="AUROC (per recording)", title="AUROC per task")
    axis.set_xticklabels(tasks, rotation=30, ha="right")
    figure.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)   # below: no bar hidden
    save_png(figure, path, dpi=90)


def audio_paragraph(doc: Document, audio: dict) -> None:
    """What the audio clean-up did to the recordings (``voice_audio``'s counts), for the report's data section;
    a sentence flags skipping that removed a larger share of one class than of another."""
    skipped = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in audio["skipped"].items() if n) or "none"
    fixed = ", ".join(f"{n} {kind}" for kind, n in audio["channels_replaced"].items() if n) or "none"
    missing = sum(audio["subjects_missing_tasks"].values())
    per_class = audio["by_class"]
    kept = "; ".join(f"{name} {c['recordings_out']} of {c['recordings_in']} recordings ({c['subjects_out']} "
                     f"subjects)" for name, c in per_class.items())
    text = (f"**Voice recordings.** {audio['recordings_in']} in, {audio['recordings_out']} kept ({kept}). "
            f"Skipped: {skipped}. Stereo taken from one channel: {fixed}. Truncated files read up to their end: "
            f"{audio['truncated_read']}; recordings with clipping: {audio['recordings_clipped']}; system files "
            f"ignored: {audio['system_files_ignored']}; subjects missing some tasks: {missing}; subjects with "
            f"recordings but no clinical row: {audio['subjects_without_clinical_row']}.")
    bias = class_bias({n: c["recordings_in"] for n, c in per_class.items()},
                      {n: c["recordings_out"] for n, c in per_class.items()})
    if bias["flag"]:
        text += (f" **Skipping is biased by class** (Fisher's exact test {p_value(bias['p_value'])}): the "
                 "recordings analysed are not a random sample of the cohort.")
    doc.paragraph(text)

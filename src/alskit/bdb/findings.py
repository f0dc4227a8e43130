"""Seed 001's findings in words, generated from the metrics files, so that every sentence of the report (and the
README block copied from it) is true of the data the pipeline last ran on, demo or real.

Each function takes the parsed metrics (``metrics/bdb*.json``) and returns sentences or table rows; none holds
a number of its own. The 0.5 of "chance AUROC" and "about 50% if nothing is memorised" are the only constants.
"""
from __future__ import annotations

from alskit.bdb.baselines import REAL_SETS
from alskit.common.document import value
from alskit.common.uncertainty import interval

VERDICT_WORDS = {"helped": "helped", "hurt": "hurt", "indistinguishable": "cannot be told apart from real training",
                 None: "could not be compared (no interval)"}


def _classes(counts: dict[str, int]) -> str:
    return " + ".join(f"{n} {label}" for label, n in counts.items())


def _span(values: list[float]) -> str:
    low, high = f"{min(values):.3f}", f"{max(values):.3f}"
    return low if low == high else f"{low}-{high}"


def real_set_names(split: dict) -> dict[str, str]:
    """What the real training sets are, in words with their sizes, from ``metrics/bdb_split.json``."""
    balanced, half = sum(split["train_balanced"].values()), sum(split["train_half"].values())
    return {"real-balanced": f"the {balanced} real rows the synthesizer was fit on",
            "real-all": f"all {half} real training rows, class-weighted"}


def training_rows(split: dict) -> str:
    """How many real patients the synthetic sets, and so every model, rest on."""
    balanced, half, test = split["train_balanced"], split["train_half"], split["test"]
    majority = max(test, key=test.get)
    return (f"The synthesizer is fit on {sum(balanced.values())} real rows ({_classes(balanced)}): the training half "
            f"of {sum(half.values())} subjects ({_classes(half)}) undersampled to its smaller class. Every model is "
            f"tested on the {sum(test.values())} real subjects of the other half ({_classes(test)}), so its test "
            f"metrics are estimates from that many subjects, not more; always answering {majority} would score "
            f"accuracy {test[majority] / sum(test.values()):.3f} and AUROC 0.5 there.")


def cv_optimism(results: dict, models: list[str], sizes: list[str], names: dict[str, str]) -> str:
    """Whether cross-validation on synthetic data over- or under-stated the real test AUROC, per run."""
    runs = [(m, s) for s in sizes for m in models
            if results[s][m]["cv"]["auroc"]["mean"] is not None and results[s][m]["test"]["auroc"] is not None]
    if not runs:
        return "Cross-validation and test AUROC could not both be computed for any model."
    cv = [results[s][m]["cv"]["auroc"]["mean"] for m, s in runs]
    test = [results[s][m]["test"]["auroc"] for m, s in runs]
    above = [run for run, c, t in zip(runs, cv, test) if c > t]
    beyond = [(m, s) for m, s in runs if interval(results[s][m]["test"], "auroc")
              and results[s][m]["cv"]["auroc"]["mean"] > interval(results[s][m]["test"], "auroc")[1]]
    if len(above) == len(runs):
        verdict = f"above the real test AUROC ({_span(test)}) for every one of the {len(runs)} runs: optimistic"
    elif not above:
        verdict = f"at or below the real test AUROC ({_span(test)}) for all {len(runs)} runs: not optimistic here"
    else:
        verdict = (f"above the real test AUROC for {len(above)} of {len(runs)} runs (test {_span(test)}), at or below "
                   f"it for the others ({', '.join(f'{names[m]} {s}' for m, s in runs if (m, s) not in above)})")
    return (f"Cross-validation on the synthetic sets gave AUROC {_span(cv)}, {verdict}; for {len(beyond)} of them the "
            "CV mean lies above the whole 95% interval of the test AUROC. CV on synthetic rows scores synthetic "
            "rows; only the real held-out half measures generalisation to patients.")


def comparison_rows(results: dict, comparison: dict, models: list[str], sizes: list[str],
                    names: dict[str, str]) -> list[list[str]]:
    """Table rows: per model and synthetic size, test AUROC trained on it and on each real set, and the paired
    differences with their intervals and verdicts."""
    rows = []
    for model in models:
        for size in sizes:
            versus = comparison[size][model]
            rows.append([names[model], size, _auroc(results, size, model)]
                        + [_auroc(results, real, model) for real in REAL_SETS]
                        + [f"{_difference(versus[real])} ({versus[real]['verdict'] or 'n/a'})" for real in REAL_SETS])
    return rows


def _difference(found: dict) -> str:
    return value(found["auroc_difference"], interval(found, "auroc_difference"))


def _attack(size: str, attack: dict) -> str:
    return f"{size}: AUROC {value(attack['auroc'], interval(attack, 'auroc'))}"


def _auroc(results: dict, size: str, model: str) -> str:
    test = results[size][model]["test"]
    text = value(test["auroc"], interval(test, "auroc"))
    return text + (" (one probability for all)" if results[size][model].get("constant_predictions") else "")


def synthetic_vs_real(results: dict, comparison: dict, models: list[str], sizes: list[str], names: dict[str, str],
                      split: dict) -> list[str]:
    """One sentence per model: did training on synthetic rows help, hurt, or not differ from training on real
    rows, against each real baseline, read from the paired intervals."""
    real_names = real_set_names(split)
    sentences = []
    for model in models:
        parts = []
        for real in REAL_SETS:
            verdicts = {size: comparison[size][model][real]["verdict"] for size in sizes}
            evidence = "; ".join(f"{size} {_difference(comparison[size][model][real])}" for size in sizes)
            if len(set(verdicts.values())) == 1:
                said = VERDICT_WORDS[next(iter(verdicts.values()))]
            else:
                said = " and ".join(f"{VERDICT_WORDS[v]} at {s}" for s, v in verdicts.items())
            constant = (" (trained on those rows it gave every test subject the same probability)"
                        if results[real][model].get("constant_predictions") else "")
            parts.append(f"against {real_names[real]}{constant}, synthetic training {said} (AUROC difference "
                         f"{evidence})")
        sentences.append(f"{names[model]}: " + "; ".join(parts) + ".")
    return sentences


def spread_rows(spread: dict, results: dict, paper: dict, models: list[str], sizes: list[str],
                names: dict[str, str]) -> list[list[str]]:
    """Table rows: per model and training set, the default split's test AUROC beside its spread over splits
    (median, central range, min-max), the paper's number and, for synthetic sets, how often synthetic training
    beat training on all real rows."""
    rows = []
    for size in [*sizes, *REAL_SETS]:
        for model in models:
            if model not in spread.get(size, {}):
                continue
            found, default = spread[size][model], results[size][model]["test"]["auroc"]
            share = found.get("share_above_real-all")
            rows.append([names[model], size, value(default), f"{found['median']:.3f}",
                         f"{found['low']:.3f}-{found['high']:.3f}", f"{found['min']:.3f}-{found['max']:.3f}",
                         _reported(paper.get(size, {}).get(model, {}).get("auroc")),
                         "-" if share is None else f"{100 * share:.0f}%"])
    return rows


def _reported(number: float | None) -> str:
    return "-" if number is None else value(number)


def spread_summary(spread: dict, results: dict, paper: dict, models: list[str], sizes: list[str],
                   names: dict[str, str]) -> str:
    """The widest split-to-split range, and where the default split and the paper's numbers fall in it."""
    runs = [(size, model) for size in [*sizes, *REAL_SETS] for model in models if model in spread.get(size, {})]
    if not runs:
        return "No model was repeated over splits (`bdb.spread.models`)."
    widest = max(runs, key=lambda run: spread[run[0]][run[1]]["high"] - spread[run[0]][run[1]]["low"])
    found = spread[widest[0]][widest[1]]
    outside = [f"{names[m]} {s}" for s, m in runs
               if results[s][m]["test"]["auroc"] is not None
               and not spread[s][m]["low"] <= results[s][m]["test"]["auroc"] <= spread[s][m]["high"]]
    beyond_paper = [f"{names[m]} {s} ({value(paper[s][m]['auroc'])})" for s, m in runs
                    if paper.get(s, {}).get(m, {}).get("auroc") is not None
                    and paper[s][m]["auroc"] > spread[s][m]["max"]]
    level = round(100 * spread["level"])
    text = (f"Over {spread['splits']} split seeds the test AUROC of one model and training set moves by up to "
            f"{found['high'] - found['low']:.3f} across the central {level}% of splits ({names[widest[1]]} "
            f"{widest[0]}: {found['low']:.3f}-{found['high']:.3f}, median {found['median']:.3f}). The default "
            f"split's number lies outside that central range for {len(outside)} of {len(runs)} runs"
            + (f" ({', '.join(outside)})" if outside else "") + ". ")
    if beyond_paper:
        text += (f"The paper's AUROC is above every split's result for {len(beyond_paper)} of the runs it "
                 f"reports ({', '.join(beyond_paper)}).")
    else:
        text += "Each of the paper's AUROCs that has a counterpart here lies within the range of splits."
    return text


def privacy_rows(privacy: dict, sizes: list[str]) -> list[list[str]]:
    """Table rows: per synthetic set, exact copies, DCR beside that of unseen patients, the share closer to the
    training rows, and the membership attack's AUROC with its interval."""
    rows = []
    for size in sizes:
        found, attack = privacy[size], privacy[size]["membership_inference"]
        rows.append([size, f"{found['exact_copies']} of {found['synthetic_rows']}",
                     f"{value(found['dcr_synthetic_to_train']['median'])} / "
                     f"{value(found['dcr_holdout_to_train']['median'])}",
                     f"{100 * found['overfitting_protection']['closer_to_training']:.0f}%",
                     f"{value(attack['auroc'], interval(attack, 'auroc'))}"
                     + (" (**detectable**)" if attack["detectable"] else "")])
    return rows


def privacy_summary(privacy: dict, sizes: list[str]) -> str:
    """Whether the synthetic sets give their training patients away, from the attack and the distances."""
    attacks = {size: privacy[size]["membership_inference"] for size in sizes}
    first = next(iter(attacks.values()))
    detectable = [size for size, attack in attacks.items() if attack["detectable"]]
    closer = [100 * privacy[s]["overfitting_protection"]["closer_to_training"] for s in sizes]
    copies = sum(privacy[s]["exact_copies"] for s in sizes)
    distances = (f"{copies} exact copies of training rows; {_span_pct(closer)} of synthetic rows lie closer to the "
                 f"training patients than to unseen ones (about 50% if nothing were memorised)")
    if detectable:
        verdict = (f"A membership attack holding only the synthetic set tells the {first['members']} training "
                   f"patients from {first['non_members']} unseen ones better than chance for {len(detectable)} of "
                   f"{len(sizes)} sets ({', '.join(_attack(s, attacks[s]) for s in detectable)}): "
                   "these synthetic sets give away who was in the cohort they were fit on, whatever the distance "
                   "checks say, so they are not private by design.")
    else:
        verdict = (f"A membership attack holding only the synthetic set cannot tell the {first['members']} training "
                   f"patients from {first['non_members']} unseen ones better than chance "
                   f"({', '.join(_attack(s, a) for s, a in attacks.items())}); "
                   f"with {first['members']} members that interval is wide, so this fails to show a leak rather "
                   "than showing privacy.")
    return f"{distances[0].upper()}{distances[1:]}. {verdict}"


def _span_pct(values: list[float]) -> str:
    return f"{min(values):.0f}-{max(values):.0f}%" if round(min(values)) != round(max(values)) \
        else f"{values[0]:.0f}%"

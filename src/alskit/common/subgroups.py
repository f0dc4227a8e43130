"""A study's headline result per subgroup (sex, age band): does the model serve every group it will meet?

One row per subject: its label, the headline model's probability (held out: the test split, or out of fold) and
its sex and age. Per subgroup, AUROC and balanced accuracy with 95% bootstrap intervals over the subgroup's
subjects (:mod:`alskit.common.uncertainty`), beside its counts. A subgroup with fewer than
``audit.subgroups.min_per_class`` subjects of either class is counted and not scored: an interval from three
patients would be noise dressed as a number. A subgroup whose AUROC interval lies wholly below the overall
estimate is flagged (``below_overall``); the report names it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from alskit.common import metrics, uncertainty
from alskit.common.errors import UserError

UNKNOWN = "unknown"  # a blank sex or age: counted as a subgroup of its own


def age_band(ages: pd.Series, edges: list[float]) -> pd.Series:
    """Each age's band: ``under <first>``, ``<a>-<b - 1>`` ... , ``<last> and over`` (``unknown`` if blank or not a
    number: searchsorted would put a NaN in the oldest band)."""
    if list(edges) != sorted(edges):
        raise UserError(f"params.yaml: audit.subgroups.age_bands must increase, got {list(edges)}")
    names = ([f"under {edges[0]:g}"] + [f"{a:g}-{b - 1:g}" for a, b in zip(edges, edges[1:])]
             + [f"{edges[-1]:g} and over"])
    numeric = pd.to_numeric(ages, errors="coerce")
    index = np.searchsorted(np.asarray(edges, dtype=float), numeric, side="right")
    return pd.Series(np.where(numeric.isna(), UNKNOWN, np.asarray(names, dtype=object)[np.minimum(index, len(edges))]),
                     index=ages.index)


def score_group(y: np.ndarray, p: np.ndarray, overall_auroc: float | None, bootstrap: dict,
                min_per_class: int) -> dict:
    """One subgroup: counts; AUROC and balanced accuracy with intervals when both classes have at least
    ``min_per_class`` subjects (``scored``); ``below_overall`` when the AUROC interval ends below the overall
    AUROC."""
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    entry = {"n": len(y), "positives": positives, "negatives": negatives,
             "scored": min(positives, negatives) >= min_per_class}
    if not entry["scored"]:
        return entry
    point = metrics.clinical_metrics(y, p)
    intervals = uncertainty.bootstrap_intervals(y, p, metrics.clinical_scores, **bootstrap)
    for name in metrics.PART_METRICS:
        entry[name] = point[name]
        entry.update(uncertainty.interval_fields(name, intervals[name]))
    high = entry["auroc_ci_high"]
    entry["below_overall"] = bool(high is not None and overall_auroc is not None and high < overall_auroc)
    return entry


def table(frame: pd.DataFrame, edges: list[float], bootstrap: dict, min_per_class: int) -> dict:
    """Per subgroup of ``sex`` and of age band (``age``), :func:`score_group` of the rows of ``frame`` (columns
    ``y_true``, ``p``, ``sex``, ``age``), and the overall AUROC they are compared with."""
    y, p = frame["y_true"].to_numpy(dtype=int), frame["p"].to_numpy(dtype=float)
    overall = metrics.clinical_metrics(y, p)["auroc"]
    groups = {"sex": frame["sex"].fillna(UNKNOWN).astype(str), "age": age_band(frame["age"], edges)}
    out: dict = {"overall_auroc": overall, "subjects": len(frame)}
    for variable, levels in groups.items():
        out[variable] = {str(level): score_group(y[mask], p[mask], overall, bootstrap, min_per_class)
                         for level in sorted(levels.unique()) for mask in [(levels == level).to_numpy()]}
    return out


def join(predictions: pd.DataFrame, people: pd.DataFrame, sex: str, age: str, where: str) -> pd.DataFrame:
    """The headline's ``predictions`` (first column the subject ID, then ``y_true`` and ``p``) with each subject's
    ``sex`` and ``age`` from ``people`` (the same ID column); a missing column or subject names ``where``."""
    key = predictions.columns[0]
    for column in (key, sex, age):
        if column not in people.columns:
            raise UserError(f"{where}: no column {column!r} (the subgroups' columns are named in "
                            f"<study>.subgroups in params.yaml); columns: {', '.join(map(str, people.columns))}")
    found = predictions.merge(people[[key, sex, age]].rename(columns={sex: "sex", age: "age"}), on=key, how="left",
                              indicator=True)
    absent = found.loc[found["_merge"] != "both", key]
    if len(absent):
        raise UserError(f"{where}: subject {absent.iloc[0]!r} has a prediction but no row here")
    return found.drop(columns="_merge")


# --- in the report ------------------------------------------------------------------------------------------------

HEADER = ["Subgroup", "Subjects (positive / negative)", "AUROC [95% CI]", "Balanced accuracy [95% CI]"]
LABELS = {"sex": "sex", "age": "age"}


def rows(result: dict) -> list[list[str]]:
    """The report's table of :func:`table`'s ``result``: one row per subgroup, an unscored one said so."""
    from alskit.common.document import value
    from alskit.common.uncertainty import interval

    out = []
    for variable in LABELS:
        for level, entry in result[variable].items():
            counts = f"{entry['n']} ({entry['positives']} / {entry['negatives']})"
            if not entry["scored"]:
                out.append([f"{LABELS[variable]}: {level}", counts, "not scored: too few of a class", "-"])
                continue
            flag = " (**below the overall estimate**)" if entry["below_overall"] else ""
            out.append([f"{LABELS[variable]}: {level}", counts, value(entry["auroc"], interval(entry, "auroc")) + flag,
                        value(entry["balanced_accuracy"], interval(entry, "balanced_accuracy"))])
    return out


def sentence(result: dict, what: str, min_per_class: int) -> str:
    """One paragraph: what the table shows, and every subgroup whose AUROC interval lies wholly below the overall
    estimate (or that none does)."""
    from alskit.common.document import value

    below = [f"{LABELS[v]} {level}" for v in LABELS for level, e in result[v].items() if e.get("below_overall")]
    unscored = sum(not e["scored"] for v in LABELS for e in result[v].values())
    text = (f"**Per subgroup** ({what}; overall AUROC {value(result['overall_auroc'])} on {result['subjects']} "
            f"subjects): AUROC and balanced accuracy with 95% intervals over the subgroup's subjects. ")
    text += (f"Interval wholly below the overall estimate: {', '.join(below)}." if below else
             "No subgroup's AUROC interval lies wholly below the overall estimate.")
    if unscored:
        text += (f" {unscored} subgroup(s) hold fewer than {min_per_class} subjects of a class "
                 "(`audit.subgroups.min_per_class`): counted, not scored.")
    return text


def report(doc, result: dict, what: str, min_per_class: int) -> None:
    """The per-subgroup paragraph and table of one study's headline in the results report ``doc``."""
    doc.paragraph(sentence(result, what, min_per_class))
    doc.table(HEADER, rows(result))

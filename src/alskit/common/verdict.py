"""A model against the trivial answer, as two separate statements a clinician reads correctly (every study).

1. **Discrimination** (does the model carry information about the class?): yes when the 95% intervals of its
   AUROC and of its balanced accuracy both lie above 0.5, what any constant answer scores. AUROC above chance
   while balanced accuracy is not: the model ranks patients better than chance, but its decision threshold does
   not separate the classes.
2. **The threshold against the majority class** (is its accuracy at the threshold better than always giving the
   larger class's answer?): yes when the accuracy interval lies above the majority-class rate.

The two are independent: a model can carry information and still be no more accurate than the majority answer
at a badly placed threshold (on unbalanced classes this is common), and a model can match the majority rate's
accuracy with no information at all (by answering the majority class). One rule, stated once, for the metrics
files and every sentence and table cell of the report.
"""
from __future__ import annotations

from alskit.common.document import value
from alskit.common.uncertainty import interval

CHANCE = 0.5


def _above(result: dict, name: str, level: float) -> bool:
    bounds = interval(result, name)
    return bounds is not None and bounds[0] > level


def judge(result: dict, majority_rate: float) -> dict[str, bool]:
    """``informative`` (AUROC and balanced-accuracy intervals above chance), ``ranks_above_chance`` (the AUROC
    interval alone above chance) and ``beats_majority`` (accuracy interval above ``majority_rate``) of a
    result holding ``auroc``, ``balanced_accuracy`` and ``accuracy`` with their ``_ci_low``/``_ci_high``."""
    ranks = _above(result, "auroc", CHANCE)
    return {"informative": ranks and _above(result, "balanced_accuracy", CHANCE), "ranks_above_chance": ranks,
            "beats_majority": _above(result, "accuracy", majority_rate)}


def discrimination(result: dict) -> str:
    """The first statement, as a short table cell."""
    if result["informative"]:
        return "informative"
    return "ranks above chance, threshold does not separate" if result["ranks_above_chance"] else "not informative"


def against_majority(result: dict, majority_class: str) -> str:
    """The second statement, as a short table cell."""
    return f"beats always {majority_class}" if result["beats_majority"] else f"no better than always {majority_class}"


def sentence(result: dict) -> str:
    """Both statements in words, with the numbers they rest on, e.g. "It carries information (AUROC 0.846
    [0.715, 0.952], balanced accuracy 0.749 [0.612, 0.885], both above chance, 0.5); its accuracy at the
    threshold, 0.760 [0.650, 0.870], cannot be told from always answering HC (0.722)." """
    auroc = value(result.get("auroc"), interval(result, "auroc"))
    balanced = value(result.get("balanced_accuracy"), interval(result, "balanced_accuracy"))
    if result["informative"]:
        first = f"It carries information (AUROC {auroc}, balanced accuracy {balanced}, both above chance, 0.5)"
    elif result["ranks_above_chance"]:
        first = (f"It ranks patients better than chance (AUROC {auroc}), but at its threshold it does not separate "
                 f"the classes (balanced accuracy {balanced}, not above 0.5)")
    else:
        first = f"It cannot be told from chance (AUROC {auroc}, balanced accuracy {balanced}; chance is 0.5)"
    accuracy = value(result.get("accuracy"), interval(result, "accuracy"))
    second = ("is above" if result["beats_majority"] else "cannot be told from")
    return (f"{first}; its accuracy at the threshold, {accuracy}, {second} always answering "
            f"{result['majority_class']} ({result['majority_rate']:.3f}).")


HEADER = ["Model", "AUROC [95% CI]", "Balanced accuracy [95% CI]", "Accuracy [95% CI]", "Majority class, rate",
          "Discrimination", "Accuracy at the threshold"]
RULE = ("Two separate statements against the trivial answer: a model *carries information* when the 95% intervals "
        "of its AUROC and its balanced accuracy both lie above 0.5 (what any constant answer scores); its accuracy "
        "at the threshold *beats the majority class* when its interval lies above the accuracy of always giving "
        "the larger class's answer. A model can carry information and still be no more accurate than the majority "
        "answer at its threshold.")


def row(name: str, result: dict, reads_blanks: bool = False) -> list[str]:
    """One row of :data:`HEADER`; a model the audit explains away (``reads_blanks``: fed columns blank by design
    for one class) is marked so in both verdict cells, never called informative."""
    cells = [value(result.get(k), interval(result, k)) for k in ("auroc", "balanced_accuracy", "accuracy")]
    verdicts = (["**reads the blank-by-design columns**"] * 2 if reads_blanks
                else [discrimination(result), against_majority(result, result["majority_class"])])
    return [name, *cells, f"{result['majority_class']} {result['majority_rate']:.3f}", *verdicts]

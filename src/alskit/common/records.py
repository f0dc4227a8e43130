"""Typed records of the metrics files: the keys a stage writes and a later stage reads, declared once.

Each metrics file (and each block several files share) is a ``TypedDict``, closed to keys it does not declare.
The stage that writes a file passes its content through :func:`checked`, and every reader opens the file
through :func:`read`: a key renamed on one side only fails at once, in the unit tests that build or read the
record, instead of as a ``KeyError`` when the report stage runs. The files stay the plain JSON DVC shows (scalar
keys, intervals as ``<metric>_ci_low`` / ``<metric>_ci_high``): a record is a dict, so reading one changes no
number. Dicts keyed by a parameter (models, training sets, subgroups) are ``dict[str, ...]``.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from typing_extensions import NotRequired, TypedDict

from pydantic import ConfigDict, TypeAdapter, ValidationError, with_config

from alskit.common.errors import UserError
from alskit.common.io import read_json, to_jsonable
from alskit.common.metrics import BINARY_METRICS, CLINICAL_METRICS, PART_METRICS

Record = TypeVar("Record")
closed = with_config(ConfigDict(extra="forbid"))
"""Decorator of every record: a key it does not declare is an error, so a renamed key cannot pass silently."""

Score = float | None
"""A metric value; ``None`` where it cannot be computed honestly (one class present, no positive prediction)."""


def with_intervals(name: str, metric_names: tuple[str, ...], extra: dict[str, Any],
                   before: dict[str, Any] | None = None, required: bool = True) -> type:
    """A closed record holding the ``before`` fields, each of ``metric_names`` with its ``_ci_low`` / ``_ci_high``
    (``NotRequired`` unless ``required``), then the ``extra`` fields: the metric lists live in
    :mod:`alskit.common.metrics`, not here."""
    kind = Score if required else NotRequired[Score]
    fields = {f"{metric}{suffix}": kind for metric in metric_names for suffix in ("", "_ci_low", "_ci_high")}
    return closed(TypedDict(name, {**(before or {}), **fields, **extra}))


VERDICT = {"majority_class": str, "majority_rate": float, "informative": bool, "ranks_above_chance": bool,
           "beats_majority": bool}
"""The trivial answer and the two statements against it (:func:`alskit.common.verdict.judge`)."""

TestScores = with_intervals("TestScores", BINARY_METRICS, VERDICT)
"""Test metrics of one run with intervals and the verdict (:func:`alskit.common.scoring.test_and_cv`)."""

Trust = with_intervals("Trust", CLINICAL_METRICS, {**VERDICT, "n": int, "subjects": int})
"""Clinical metrics with intervals over subjects, the verdict and the counts (:func:`alskit.voice.evaluate.trust`)."""


@closed
class MeanSd(TypedDict):
    """A metric over CV folds."""
    mean: Score
    std: Score


@closed
class Leaks(TypedDict):
    """An audit check: how many leaks it found and up to ten of them."""
    count: int
    examples: list


@closed
class StudyAudit(TypedDict):
    """One study's leakage audit (:mod:`alskit.common.audit`); each study runs the checks its design allows."""
    subjects_in_train_and_test: NotRequired[Leaks]
    subjects_in_several_folds: NotRequired[dict[str, Leaks]]
    missing_by_design: int
    missing_by_design_columns: dict[str, str]
    missingness_only_auroc: Score
    multimodal_accuracy: NotRequired[dict[str, dict[str, Score]]]
    clinical_columns_among_acoustic_measures: NotRequired[Leaks]
    preprocessing_fit_on_test_rows: Leaks


AuditFindings = dict[str, StudyAudit]
"""``metrics/audit.json``: the audit per study."""


Subgroup = with_intervals("Subgroup", PART_METRICS, {"below_overall": NotRequired[bool]},
                          before={"n": int, "positives": int, "negatives": int, "scored": bool}, required=False)
"""One subgroup's counts, and its scores when both classes are large enough (``scored``)."""


@closed
class Subgroups(TypedDict):
    """``metrics/subgroups/<study>.json`` (:func:`alskit.common.subgroups.table`)."""
    overall_auroc: Score
    subjects: int
    sex: dict[str, Subgroup]
    age: dict[str, Subgroup]


@closed
class ClassBias(TypedDict):
    """Whether cleaning dropped a larger share of one class (:func:`alskit.common.tables.class_bias`)."""
    dropped_share: dict[str, Score]
    p_value: Score
    flag: bool


class Ledger(TypedDict):
    """What a table reader did to cells and rows, per kind and class (:class:`alskit.common.tables.Ledger`);
    each study's cleaning record adds its own counts to it."""
    cells: dict[str, dict[str, dict[str, int]]]
    rows_dropped: dict[str, dict[str, int]]


@cache
def _adapter(kind: Any) -> TypeAdapter:
    return TypeAdapter(kind)


def problem(kind: Any, obj: Any) -> str | None:
    """The first way ``obj`` (as it will be stored: :func:`alskit.common.io.to_jsonable`) differs from ``kind``,
    as ``<key path>: <what>``; None when it matches."""
    try:
        _adapter(kind).validate_python(to_jsonable(obj))
    except ValidationError as error:
        first = error.errors()[0]
        return f"{'.'.join(map(str, first['loc'])) or 'top level'}: {first['msg'].lower()}"
    return None


def checked(kind: type[Record] | Any, obj: Any) -> Record:
    """``obj`` itself once it matches the record ``kind``; a ``ValueError`` naming the first key that does not
    (a writer and its record disagree: a bug, not a user mistake)."""
    found = problem(kind, obj)
    if found:
        raise ValueError(f"{getattr(kind, '__name__', kind)} record, key {found}")
    return obj


def read(kind: type[Record] | Any, path: str | Path) -> Record:
    """The metrics file ``path`` checked against its record ``kind``; one line naming the file and the key when
    it does not match (written by another version of the pipeline)."""
    obj = read_json(path)
    found = problem(kind, obj)
    if found:
        raise UserError(f"{path}: key {found}; it was written by another version of the pipeline: rerun the stage "
                        "that writes it (dvc repro)")
    return obj

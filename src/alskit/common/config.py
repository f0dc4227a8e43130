"""Typed parameters: the value types, the checking and the ``audit`` section shared by the three studies.

Each study declares its section of ``params.yaml`` as pydantic models in its own ``config`` module
(``alskit.bdb.config``, ``alskit.voice.config``, ``alskit.prognosis.config``) and loads it once per stage with
``load()``; every key is validated there, in exactly one place, and a mistake stops the stage with one line
naming the dotted key and what was expected::

    params.yaml: bdb.models[1] must be one of lightgbm, adaboost, mlp, got 'xgboost'
    params.yaml: bdb.trian is not a parameter (did you mean bdb.train?)

The ``check_params`` stage loads a whole study section (and ``audit``) before the study's first stage does any
work, so a mistake in a late stage's parameter surfaces in about a second, not after minutes of upstream work.
Every section forbids unknown keys, so a typo is named instead of silently ignored. Facts that involve several
keys (``prognosis.categorical`` names only listed features, ...) are each study's ``cross_check``.

The config modules import only pydantic, the standard library and ``alskit.common.cli``, so the check runs
without pandas, scipy, scikit-learn or TensorFlow. Choices that live in those heavier modules (model names, CNN
scenarios, the BDB numeric columns) are repeated there; ``tests/test_params.py`` checks that the copies agree.
"""
import difflib
import typing
from typing import Annotated, Any, Callable, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StrictFloat,
                      StrictInt, ValidationError, WrapValidator, field_validator)
from pydantic_core import PydanticCustomError

from alskit.common.cli import load_params
from alskit.common.errors import UserError

# Keys that moved: an old params.yaml names them, so say where they went.
MOVED = {"bdb.clean.missing_tokens": "bdb.read.missing_tokens",
         "prognosis.header_row": "prognosis.read.header_row",
         "voice.acoustic.sample_rate": "voice.acoustic.min_sample_rate"}


# --- value types: each carries the phrase that completes "<key> must be ..." ---------------------------------

def _expect(text: str, items: bool = False) -> WrapValidator:
    """Replace pydantic's messages about a value by one phrase saying what was expected.

    With ``items`` (a list or mapping type), wrong *items* keep their own errors, so the message can name the
    position (``bdb.models[1]``); anything wrong with the value itself becomes ``must be <text>``.
    """
    def wrap(value: Any, handler):
        try:
            return handler(value)
        except ValidationError as err:
            if items and isinstance(value, (list, dict)) and all(e["loc"] for e in err.errors()):
                raise
            raise PydanticCustomError("expected", "must be {expected}", {"expected": text}) from None
    return WrapValidator(wrap)


def _no_int(value: Any) -> Any:
    """The stages read these with ``float`` only: ``1`` is refused there, so it is refused here too."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise PydanticCustomError("expected", "written with a decimal point")
    return value


def _unique(values: list) -> list:
    if len(set(map(repr, values))) != len(values):
        raise PydanticCustomError("expected", "no repeats")
    return values


def _ordered(pair: list) -> list:
    if pair[0] > pair[1]:
        raise PydanticCustomError("expected", "lowest first")
    return pair


def Int(expected: str = "an integer", **bounds: Any) -> Any:
    return Annotated[int, Field(strict=True, **bounds), _expect(expected)]


def _keep_int(value: Any, handler) -> Any:
    """An integer stays one (``30``, not ``30.0``): what a stage computes from it, logs or writes is unchanged."""
    checked = handler(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else checked


def Number(expected: str = "a number", **bounds: Any) -> Any:
    """An integer or a decimal number (never true/false)."""
    return Annotated[float, Field(strict=True, **bounds), WrapValidator(_keep_int), _expect(expected)]


def Decimal(expected: str, **bounds: Any) -> Any:
    """A number the stage reads as ``float``: written with a decimal point (``1.0``, not ``1``)."""
    return Annotated[float, Field(strict=True, **bounds), BeforeValidator(_no_int), _expect(expected)]


def Text(expected: str = "a non-empty string") -> Any:
    return Annotated[str, Field(strict=True, min_length=1), _expect(expected)]


def _shown(choice: str) -> str:
    return choice if choice.isidentifier() else repr(choice)


def OneOf(*choices: str) -> Any:
    return Annotated[Literal[choices], _expect(f"one of {', '.join(map(_shown, choices))}")]


def ListOf(item: Any, expected: str, min_length: int = 0, unique: bool = False) -> Any:
    checks = [AfterValidator(_unique)] if unique else []
    return Annotated[list[item], Field(strict=True, min_length=min_length), *checks, _expect(expected, items=True)]


CELL_TEXT = "a cell's text or number (quote true, false, yes, no and null, which YAML reads otherwise)"
Seed = Int("an integer (a random seed)")
PositiveInt = Int("an integer >= 1", ge=1)
Fraction = Number("a number in (0, 1)", gt=0, lt=1)
Rate = Number("a number in [0, 1)", ge=0, lt=1)
Column = Text("a column name")
Columns = ListOf(Column, "a list of column names, each named once", unique=True)
Bool = Annotated[bool, Field(strict=True), _expect("true or false")]


class Section(BaseModel):
    """A block of ``params.yaml``: every key typed, unknown keys refused, in the file's order."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- shared blocks -------------------------------------------------------------------------------------------

class Read(Section):
    """How a study's table is read (``bdb.read``, ``voice.clinical.read``, ``prognosis.read``), as the table
    functions of :mod:`alskit.common.tables` take it: missing tokens as stripped text, detection limits as floats,
    and (:meth:`at`) the block's place in params.yaml, which their messages name."""

    sheet: Annotated[Union[Annotated[StrictInt, Field(ge=0)], Annotated[str, Field(min_length=1)]],
                     _expect("a sheet position (an integer >= 0) or a sheet name")]
    header_row: Int("an integer >= 0 (the 0-based row holding the column names)", ge=0)
    sep: OneOf("auto", ",", ";", "\t")
    decimal: OneOf("auto", ".", ",")
    missing_tokens: ListOf(Annotated[Union[str, StrictInt, StrictFloat], _expect(CELL_TEXT)],
                           "a list of cell texts (e.g. ['#!NULL', n.d.])")
    unparseable: OneOf("missing", "error")
    censored: OneOf("error", "limit", "half_limit")
    detection_limits: Annotated[dict[Column, Number("a positive number", gt=0)],
                                _expect("a mapping of column: limit", items=True)]
    _where: str = PrivateAttr(default="read")

    @field_validator("missing_tokens")
    @classmethod
    def _tokens_as_text(cls, tokens: list) -> tuple[str, ...]:
        return tuple(str(token).strip() for token in tokens)

    @field_validator("detection_limits")
    @classmethod
    def _limits_as_floats(cls, limits: dict) -> dict[str, float]:
        return {str(column): float(limit) for column, limit in limits.items()}

    def at(self, where: str) -> "Read":
        """These settings, named ``where`` (e.g. ``bdb.read``) in the messages that ask the user to change them."""
        named = self.model_copy()
        named._where = where
        return named

    @property
    def where(self) -> str:
        return self._where


# --- audit (all studies) -------------------------------------------------------------------------------------

class ReduceLR(Section):
    """Keras' ReduceLROnPlateau, the same settings for every network (``bdb.mlp.reduce_lr``,
    ``voice.train.reduce_lr``): an integer where a number is meant (``0``) is that number."""

    factor: Number("a number in (0, 1)", gt=0, lt=1)
    patience: Int("an integer >= 0", ge=0)
    min_learning_rate: Number("a number >= 0", ge=0)


class Bootstrap(Section):
    iterations: Int("an integer >= 100", ge=100)
    seed: Seed
    level: Decimal("a number in [0.5, 1)", ge=0.5, lt=1)


class Privacy(Section):
    seed: Seed


class Subgroups(Section):
    """A study's demographic columns for the results per subgroup (``<study>.subgroups``)."""

    sex: Column
    age: Column


class SubgroupSettings(Section):
    age_bands: ListOf(Number("a number of years"), "an increasing list of ages where a band begins (e.g. [50, 65])",
                      min_length=1, unique=True)
    min_per_class: Int("an integer >= 2", ge=2)


class Audit(Section):
    bootstrap: Bootstrap
    subgroups: SubgroupSettings
    privacy: Privacy
    seed: Seed
    folds: Int("an integer >= 2", ge=2)
    missing_by_design_share: Decimal("a decimal number in (0.5, 1] (1.0, not 1)", gt=0.5, le=1)
    calibration_bins: Int("an integer >= 2", ge=2)


# --- checking ------------------------------------------------------------------------------------------------

def load_section(name: str, model: type[Section], params: dict | None = None,
                 cross_check: Callable[[Any], None] | None = None) -> Any:
    """``params.yaml``'s section ``name`` validated against ``model`` and returned as it (``params``: the whole
    parameters, read from ``params.yaml`` when not given, e.g. a notebook's or a test's dict).

    Raises :class:`UserError` with one line: the first problem, naming its dotted key and what was expected,
    and how many more there are. ``cross_check`` (facts involving several keys) runs once every key is well
    formed.
    """
    params = load_params() if params is None else params
    if not isinstance(params, dict) or name not in params:
        near = difflib.get_close_matches(name, [str(k) for k in params] if isinstance(params, dict) else [], 1)
        hint = f" (is '{near[0]}' a misspelling of it?)" if near else ""
        raise UserError(f"params.yaml: missing section {name}{hint}")
    try:
        checked = model.model_validate(params[name])
    except ValidationError as err:
        errors = err.errors(include_url=False)
        more = len(errors) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''} in {name})" if more else ""
        raise UserError(f"params.yaml: {_describe(name, model, errors[0])}{suffix}") from None
    if cross_check is not None:
        cross_check(checked)
    return checked


def load_audit(params: dict | None = None) -> "Audit":
    """The ``audit`` section (bootstrap intervals, privacy, leakage checks), shared by every study."""
    return load_section("audit", Audit, params)


def _describe(study: str, model: type[Section], error: dict) -> str:
    """One error of pydantic's as '<dotted.key> must be ..., got ...'."""
    loc, kind = error["loc"], error["type"]
    if loc and loc[-1] == "[key]":
        expected = error["ctx"]["expected"] if kind == "expected" else "a string"
        return f"{_dotted(study, loc[:-2])} has the key {error['input']!r}; a key there must be {expected}"
    dotted = _dotted(study, loc)
    got = f", got {_short(error['input'])}"
    if kind == "expected":
        return f"{dotted} must be {error['ctx']['expected']}{got}"
    if kind == "extra_forbidden":
        return f"{dotted} is not a parameter{_suggestion(study, model, loc)}"
    if kind == "missing":
        return f"missing parameter {dotted}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{dotted} must be a mapping (indented key: value lines){got}"
    if kind in ("list_type", "tuple_type"):
        return f"{dotted} must be a list{got}"
    return f"{dotted}: {error['msg'][:1].lower()}{error['msg'][1:]}{got}"


def _dotted(study: str, loc: tuple) -> str:
    text = study
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _suggestion(study: str, model: type[Section], loc: tuple) -> str:
    """' (did you mean bdb.train?)' for an unknown key: a moved key, a near sibling, or the key elsewhere."""
    dotted = _dotted(study, loc)
    if dotted in MOVED:
        return f" any more: it moved to {MOVED[dotted]}"
    parent = _model_at(model, loc[:-1])
    key = str(loc[-1])
    if parent is not None:
        near = difflib.get_close_matches(key, list(parent.model_fields), n=1, cutoff=0.6)
        if near:
            return f" (did you mean {_dotted(study, (*loc[:-1], near[0]))}?)"
    paths = _paths(model, ())
    elsewhere = [p for p in paths if p[-1] == key]
    if not elsewhere:
        names = difflib.get_close_matches(key, sorted({p[-1] for p in paths}), n=1, cutoff=0.75)
        elsewhere = [p for p in paths if names and p[-1] == names[0]]
    if elsewhere:
        shared = lambda path: next((i for i, (a, b) in enumerate(zip(path, loc)) if a != b), len(loc))  # noqa: E731
        return f" (did you mean {_dotted(study, max(elsewhere, key=shared))}?)"
    return ""


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The section model inside an annotation (through Optional / Annotated), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel] | None, loc: tuple) -> type[BaseModel] | None:
    for part in loc:
        if model is None or part not in model.model_fields:
            return None
        model = _nested_model(model.model_fields[part].annotation)
    return model


def _paths(model: type[BaseModel], prefix: tuple) -> list[tuple]:
    found = []
    for name, field in model.model_fields.items():
        found.append((*prefix, name))
        inner = _nested_model(field.annotation)
        if inner is not None:
            found.extend(_paths(inner, (*prefix, name)))
    return found


# --- facts that involve several keys -------------------------------------------------------------------------

def names(columns: list) -> str:
    """'a', 'b' which are / 'a', which is: for messages naming one or several columns."""
    listed = ", ".join(map(repr, columns))
    return f"{listed}, which {'is' if len(columns) == 1 else 'are'}"


def sections_for_models(study: str, section: Section, models: list[str], key: str = "models") -> None:
    """Every model listed under ``<study>.<key>`` has its ``<study>.<model>`` settings section."""
    missing = [m for m in models if getattr(section, m) is None]
    if missing:
        raise UserError(f"params.yaml: {study}.{key} lists {missing[0]}, but there is no {study}.{missing[0]} "
                        "section with its settings")


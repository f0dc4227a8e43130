"""Running a stage script: parameters, logging and user-facing errors.

A stage is ``python stages/<name>.py ARGS`` run by DVC from the repository
root. Mistakes a user can make (bad file, bad column, bad parameter) raise
:class:`UserError`; :func:`run` turns it into one line on stderr and exit code
2, so the user never sees a traceback for their own input.
"""
from __future__ import annotations

import inspect
import logging
import sys
from pathlib import Path
from typing import Any, Callable

import yaml

PARAMS_FILE = Path("params.yaml")
log = logging.getLogger("alskit")


class UserError(Exception):
    """A problem with the user's input files or parameters (not a bug)."""


def load_params(path: Path = PARAMS_FILE) -> dict[str, Any]:
    """Return the whole ``params.yaml`` (DVC runs stages from the repository root)."""
    if not path.exists():
        raise UserError(f"{path}: not found (run stages from the repository root)")
    try:
        return yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        raise UserError(f"{path}: not valid YAML ({err})".replace("\n", " ")) from None


def param(params: dict[str, Any], dotted: str, kind: type | tuple = object,
          check: Callable[[Any], bool] | None = None, expected: str = "") -> Any:
    """Fetch ``params['a']['b']`` for ``dotted='a.b'`` and validate it.

    The error names the full parameter and what was expected, e.g.
    ``params.yaml: bdb.split.train_fraction must be a number in (0, 1), got 1.5``.
    """
    value: Any = params
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            raise UserError(f"params.yaml: missing parameter {dotted}")
        value = value[key]
    is_bool = isinstance(value, bool)
    wrong_type = not isinstance(value, kind) or (is_bool and bool not in _as_tuple(kind))
    if wrong_type or (check is not None and not check(value)):
        raise UserError(f"params.yaml: {dotted} must be {expected or _type_name(kind)}, got {value!r}")
    return value


def _as_tuple(kind: type | tuple) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


def _type_name(kind: type | tuple) -> str:
    return " or ".join(k.__name__ for k in _as_tuple(kind))


def run(main: Callable[..., None]) -> None:
    """Call ``main(*sys.argv[1:])`` with logging set up and user errors reported in one line."""
    name = Path(sys.argv[0]).stem
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"{name}: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        try:
            inspect.signature(main).bind(*sys.argv[1:])
        except TypeError:
            usage = (sys.modules["__main__"].__doc__ or "").strip().splitlines()
            raise UserError(f"wrong number of arguments; {next((l for l in usage if 'Usage' in l), '')}") from None
        main(*sys.argv[1:])
    except UserError as err:
        print(f"{name}: error: {err}", file=sys.stderr)
        sys.exit(2)

"""Reading a user's table as it arrives, with every cell accounted for.

Real exports differ from the contracts (docs/data.md, "What real exports look like"): Excel in an Italian locale writes
``;``-separated CSV with decimal commas, laboratory systems write censored values (``<0.5``, ``>1000``,
``<LOD``), hand-typed IDs differ in case and spaces, footnotes and blank rows sit under the table, data sit on
another sheet or in an old ``.xls``. Nothing here guesses quietly: every cell of a numeric column becomes a
number, a counted missing value (an empty cell, a missing token, or stray text under the ``unparseable:
missing`` policy), a counted substitution (a censored value under the ``limit``/``half_limit`` policies), or one
error line naming the file, column, row and value. Counts go into a :class:`Ledger`, per column and per class,
for the stage's cleaning metrics and the report's data section.

Rows are labelled by their row number in the file as a spreadsheet shows it (the header on row
``header_row + 1``), so every message points at a row the user can find. Each study's ``read`` block in
``params.yaml`` is a :class:`alskit.common.config.Read`, passed as it is.
"""
from __future__ import annotations

import csv
import io
import logging
import math
import re
import zipfile
from numbers import Number
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alskit.common.errors import UserError
from alskit.common.config import Read

log = logging.getLogger("alskit")
TABLE_SUFFIXES = (".xlsx", ".xls", ".csv")
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
NO_CLASS = "(no label)"
_POINT_NUMBER = re.compile(r"^[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$")
_COMMA_NUMBER = re.compile(r"^[+-]?\d+,\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_CENSORED = re.compile(r"^(?P<op><=?|>=?|≤|≥)\s*(?P<limit>\S.*)$")
_LIMIT_WORDS = {"LOD", "LOQ", "DL", "LLOQ", "ULOQ", "DETECTION LIMIT"}
_INFINITE = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


# ---------------------------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------------------------

def read_table(path: str | Path, options: Read) -> pd.DataFrame:
    """Read a CSV export or one sheet of a workbook as raw cells (text stays text; blank cells are NaN).

    The index holds each row's number in the file as a spreadsheet shows it. Column names are stripped;
    unnamed columns without a single value (spreadsheet formatting) are dropped.
    """
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: file not found")
    if not path.is_file():
        raise UserError(f"{path}: a folder, expected a table file")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise UserError(f"{path}: expected a {', '.join(TABLE_SUFFIXES)} file, got '{path.suffix or 'no extension'}'")
    frame = _read_csv(path, options) if suffix == ".csv" else _read_workbook(path, options)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.map(_blank_to_nan)
    unnamed = [c for c in frame.columns if c.startswith("Unnamed:") and frame[c].isna().all()]
    if unnamed:
        log.info("%s: dropped %d unnamed empty column(s)", path, len(unnamed))
        frame = frame.drop(columns=unnamed)
    if frame.empty or frame.isna().all(axis=None):
        raise UserError(f"{path}: the table has no data rows (header on row {options.header_row + 1})")
    frame.index = pd.RangeIndex(options.header_row + 2, options.header_row + 2 + len(frame), name="row")
    return frame


def _blank_to_nan(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return np.nan
    return value


def _read_csv(path: Path, options: Read) -> pd.DataFrame:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UserError(f"{path}: cannot be read ({err.strerror})") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if encoding != "utf-8-sig":
        log.info("%s: not UTF-8; read as Windows-1252 (Excel's default on Windows)", path)
    lines = text.splitlines()
    if len(lines) <= options.header_row:
        raise UserError(f"{path}: the file has {len(lines)} line(s); the header should be on line "
                        f"{options.header_row + 1} ({options.where}.header_row)")
    sep = options.sep if options.sep != "auto" else _sniff_separator(lines[options.header_row], path, options)
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, header=options.header_row, dtype=str,
                           keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        detail = str(err).strip().splitlines()[-1]
        raise UserError(f"{path}: cannot be read as a {SEPARATORS[sep]}-separated table ({detail}); "
                        f"set {options.where}.sep if the separator is another") from None


def _sniff_separator(header: str, path: Path, options: Read) -> str:
    """The separator that splits the header line into the most fields (``,``, ``;`` or tab).

    Decided on the header because data lines of a ``;`` file with decimal commas also contain commas."""
    fields = {sep: len(next(csv.reader([header], delimiter=sep), [])) for sep in SEPARATORS}
    best = max(fields.values())
    winners = [sep for sep, n in fields.items() if n == best]
    if best < 2 or len(winners) > 1:
        raise UserError(f"{path}: cannot tell the field separator from the header line "
                        f"(line {options.header_row + 1}); set {options.where}.sep")
    if winners[0] != ",":
        log.info("%s: fields separated by %s", path, SEPARATORS[winners[0]])
    return winners[0]


def _read_workbook(path: Path, options: Read) -> pd.DataFrame:
    try:
        workbook = pd.ExcelFile(path)
    except ImportError as err:
        raise UserError(f"{path}: reading this workbook format needs a package that is not installed ({err}); "
                        "run `make setup`, or save it as .xlsx or .csv") from None
    except (ValueError, OSError, zipfile.BadZipFile, KeyError) as err:
        raise UserError(f"{path}: not a readable {path.suffix} workbook ({err})") from None
    with workbook:
        sheets = workbook.sheet_names
        if isinstance(options.sheet, int) and options.sheet >= len(sheets) or \
                isinstance(options.sheet, str) and options.sheet not in sheets:
            raise UserError(f"{path}: no sheet {options.sheet!r} ({options.where}.sheet); the workbook has "
                            f"{', '.join(map(repr, sheets))}")
        try:
            frame = workbook.parse(options.sheet, header=options.header_row, dtype=object)
        except (ValueError, IndexError) as err:
            raise UserError(f"{path}: sheet {options.sheet!r} cannot be read as a table ({err})") from None
    if len(sheets) > 1:
        log.info("%s: read sheet %r of %d (%s)", path, options.sheet, len(sheets), ", ".join(map(repr, sheets)))
    return frame


# ---------------------------------------------------------------------------------------------------------------
# Rows and identifiers
# ---------------------------------------------------------------------------------------------------------------

def drop_rows_without_data(frame: pd.DataFrame, id_column: str, ledger: "Ledger", source: str) -> pd.DataFrame:
    """Drop blank rows, footnotes (nothing but the first cell filled) and rows without an ID, each logged.

    A footnote under a table sits in its first column, which is often the ID column: a row whose only filled
    cell is its ID cell holds no data and is dropped as a footnote. A row with data but no ID cannot be tied to
    a subject: dropped too, logged with its row number and counted under its class.
    """
    others = frame.drop(columns=[id_column])
    no_data = others.isna().all(axis=1)
    no_id = frame[id_column].isna() & ~no_data
    for mask, kind, what in ((no_data, "blank_or_footnote", "blank or footnote"), (no_id, "without_id", "no ID")):
        if mask.any():
            rows = frame.index[mask]
            log.info("%s: dropped %d row(s) with %s (row%s %s)", source, mask.sum(), what,
                     "s" if mask.sum() > 1 else "", _row_list(rows))
            ledger.rows(kind, mask)
    return frame[~(no_data | no_id)]


def normalise_ids(ids: pd.Series, column: str, source: str) -> pd.Series:
    """IDs as text, stripped and upper case (``mo050 `` and ``MO050`` are one subject); whole numbers stored
    as floats lose their ``.0``. Two rows that collide only after this are an error naming both."""
    def as_text(value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    normal = ids.map(as_text).str.upper()
    spelled = ids.map(lambda v: v if isinstance(v, str) else as_text(v))
    for key in normal[normal.duplicated(keep=False)].unique():
        spellings = spelled[normal == key]
        if spellings.nunique() > 1:
            (row_a, a), (row_b, b) = list(spellings.drop_duplicates().items())[:2]
            raise UserError(f"{source}: column '{column}' has {a!r} (row {row_a}) and {b!r} (row {row_b}), one "
                            "subject once case and spaces are ignored; keep one row per subject")
    return normal


def repeated_ids(ids: pd.Series, column: str, source: str) -> None:
    """One row per subject: a repeated (normalised) ID is an error naming the ID and its rows."""
    repeated = ids[ids.duplicated(keep=False)]
    if len(repeated):
        first = repeated.iloc[0]
        rows = repeated.index[repeated == first]
        raise UserError(f"{source}: column '{column}' repeats subject {first!r} (rows {_row_list(rows)}"
                        f"{f' and {repeated.nunique() - 1} more subject(s)' if repeated.nunique() > 1 else ''}); "
                        "one row per subject is expected")


# ---------------------------------------------------------------------------------------------------------------
# Categories and labels
# ---------------------------------------------------------------------------------------------------------------

def normalise_labels(values: pd.Series, allowed: list[str], column: str, source: str,
                     ledger: "Ledger | None" = None) -> pd.Series:
    """Map each cell to one of ``allowed`` ignoring case and surrounding spaces (``als`` -> ``ALS``, logged and
    counted); blank cells stay missing; any other value is an error naming it and its first row."""
    canonical = {a.casefold(): a for a in allowed}
    text = values.map(lambda v: v if pd.isna(v) else str(v).strip())
    mapped = text.map(lambda v: v if pd.isna(v) else canonical.get(v.casefold()))
    unknown = text.notna() & mapped.isna()
    if unknown.any():
        found = list(dict.fromkeys(text[unknown]))
        raise UserError(f"{source}: column '{column}' has {', '.join(map(repr, found[:5]))} "
                        f"(first on row {text.index[unknown][0]}); expected {' or '.join(allowed)}")
    respelled = text.notna() & (text != mapped)
    if respelled.any():
        spellings = sorted(set(text[respelled]))
        log.info("%s: column '%s': %s read as %s (%d cell(s))", source, column, ", ".join(map(repr, spellings)),
                 ", ".join(sorted(set(mapped[respelled]))), respelled.sum())
        if ledger is not None:
            ledger.cells("respelled", column, respelled)
    return mapped


def harmonise_categories(values: pd.Series, column: str, source: str, ledger: "Ledger",
                         recode: dict[str, str] | None = None, recode_param: str | None = None) -> pd.Series:
    """One spelling per category: ``recode`` first (user-given ``{spelling: value}``), then spellings that differ
    only in case or spaces are merged into the most frequent one (logged, counted).

    With ``recode_param``, an abbreviation beside its full form (``M`` and ``Male``, ``Y`` and ``Yes``) is an
    error pointing at that parameter: it is probably one category spelled two ways, but only the user knows.
    """
    recode = {str(k).strip(): str(v).strip() for k, v in (recode or {}).items()}
    ledger.cells("empty", column, values.isna())
    text = values.map(lambda v: v if pd.isna(v) else _category_text(v))
    recoded = text.map(lambda v: recode.get(v, v) if isinstance(v, str) else v)
    changed = text.notna() & (recoded != text)
    if changed.any():
        log.info("%s: column '%s': %d cell(s) recoded as params.yaml says", source, column, changed.sum())
        ledger.cells("recoded", column, changed)
    counts = recoded.value_counts()
    spelling = {}
    for key, group in counts.groupby(lambda v: v.casefold().replace(" ", ""), sort=True):
        ordered = sorted(group.index, key=lambda v: (-group[v], v))
        spelling.update({v: ordered[0] for v in ordered})
    merged = recoded.map(lambda v: spelling.get(v, v) if isinstance(v, str) else v)
    respelled = recoded.notna() & (merged != recoded)
    if respelled.any():
        log.info("%s: column '%s': %s merged with the spelling used most (%d cell(s))", source, column,
                 ", ".join(map(repr, sorted(set(recoded[respelled])))), respelled.sum())
        ledger.cells("respelled", column, respelled)
    if recode_param:
        exempt = set(recode) | set(recode.values())
        categories = sorted(set(merged.dropna()) - exempt)
        for short in (c for c in categories if len(c) <= 2):
            longer = [c for c in categories if len(c) > len(short) and c.casefold().startswith(short.casefold())]
            if longer:
                raise UserError(f"{source}: column '{column}' has {short!r} and {longer[0]!r}, probably one category "
                                f"spelled two ways; map them in {recode_param} (e.g. {column}: "
                                f"{{{short}: {longer[0]}}}), or map each to itself to keep both")
    return merged


def _category_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# ---------------------------------------------------------------------------------------------------------------
# Numeric cells
# ---------------------------------------------------------------------------------------------------------------

def parse_numeric(frame: pd.DataFrame, columns: list[str], options: Read, ledger: "Ledger", source: str,
                  non_negative: set[str] = frozenset(), hint: str = "") -> pd.DataFrame:
    """``frame[columns]`` as floats, every cell accounted for in ``ledger``.

    A cell is a number (a decimal comma read as such, see :func:`decimal_separator`), empty, a missing token,
    a censored value (``<0.5``, ``>1000``, ``<LOD``; ``options.censored`` decides), or other text
    (``options.unparseable`` decides). Infinite values, negative values in ``non_negative`` columns and
    columns without a single number are errors naming column and row. ``hint`` is added to the message for
    unparseable text (e.g. how to declare a categorical column).
    """
    decimal = decimal_separator(frame[columns], options, source)
    tokens = set(options.missing_tokens)
    parsed = {}
    for column in columns:
        kinds, values = zip(*(_parse_cell(v, decimal, tokens) for v in frame[column])) if len(frame) else ((), ())
        kinds = pd.Series(kinds, index=frame.index, dtype=object)
        numbers = pd.Series(values, index=frame.index, dtype=float)
        _check_cells(frame[column], kinds, numbers, column, options, source, non_negative, hint)
        numbers = _censored(frame[column], kinds, numbers, column, options, ledger, source)
        for kind in ("empty", "missing_token", "unparseable", "decimal_comma"):
            ledger.cells(kind, column, kinds == kind)
        if numbers.isna().all():
            what = "is empty in every row" if (kinds == "empty").all() else "holds no number in any row"
            raise UserError(f"{source}: column '{column}' {what} (rows {frame.index[0]}-{frame.index[-1]})")
        parsed[column] = numbers
    return pd.DataFrame(parsed, index=frame.index)


def decimal_separator(cells: pd.DataFrame, options: Read, source: str) -> str:
    """``.`` or ``,``: the decimal separator of the text cells of numeric columns.

    ``auto`` reads ``12,5`` as 12.5 when no text cell of these columns uses a decimal point, and refuses to
    guess when both appear or when every comma is followed by exactly three digits (``1,234``: a thousands
    separator or a decimal comma?).
    """
    if options.decimal != "auto":
        return options.decimal
    text = pd.Series(cells.to_numpy().ravel()).map(lambda v: _strip_censoring(v) if isinstance(v, str) else "")
    commas, points = text[text.str.match(_COMMA_NUMBER)], text[text.str.match(_POINT_NUMBER)]
    if commas.empty:
        return "."
    if not points.empty:
        raise UserError(f"{source}: numbers written with a decimal comma ({commas.iloc[0]!r}) and a decimal point "
                        f"({points.iloc[0]!r}) in one table; set {options.where}.decimal")
    if commas.map(lambda v: len(v.split(",")[1]) == 3).all():
        raise UserError(f"{source}: {commas.iloc[0]!r} could be a decimal comma or a thousands separator; "
                        f"set {options.where}.decimal")
    log.info("%s: %d cell(s) written with a decimal comma, read as such", source, len(commas))
    return ","


def _strip_censoring(text: str) -> str:
    match = _CENSORED.match(text.strip())
    return match["limit"].strip() if match else text.strip()


def _parse_cell(value: Any, decimal: str, tokens: set[str]) -> tuple[str, float]:
    """(kind, value) of one cell: number, decimal_comma, empty, missing_token, infinite, censored, unparseable."""
    if value is None or isinstance(value, float) and math.isnan(value):
        return "empty", math.nan
    if isinstance(value, Number) and not isinstance(value, bool):
        number = float(value)
        return ("number" if math.isfinite(number) else "infinite"), number
    text = str(value).strip()
    if text in tokens:
        return "missing_token", math.nan
    if text.lower() in _INFINITE:
        return "infinite", math.inf
    number = _number(text, decimal)
    if number is not None:
        return ("decimal_comma" if "," in text else "number"), number
    if _CENSORED.match(text):
        return "censored", math.nan
    return "unparseable", math.nan


def _number(text: str, decimal: str) -> float | None:
    candidate = text.replace(",", ".") if decimal == "," and text.count(",") == 1 and "." not in text else text
    if not _NUMBER.match(candidate):
        return None
    number = float(candidate) + 0.0   # "-0" is 0
    return number if math.isfinite(number) else math.inf


def _check_cells(raw: pd.Series, kinds: pd.Series, numbers: pd.Series, column: str, options: Read,
                 source: str, non_negative: set[str], hint: str) -> None:
    """The cell errors: infinite values, negatives where impossible, unparseable text under ``error``."""
    def first(mask: pd.Series) -> tuple[int, Any]:
        row = mask.idxmax()
        return row, raw[row]

    if (kinds == "infinite").any():
        row, cell = first(kinds == "infinite")
        raise UserError(f"{source}: column '{column}' row {row} has {cell!r}, not a finite number")
    if column in non_negative and (numbers < 0).any():
        row, cell = first(numbers < 0)
        raise UserError(f"{source}: column '{column}' row {row} has {cell!r}; this column cannot be negative")
    bad = kinds == "unparseable"
    if bad.any() and options.unparseable == "error":
        row, cell = first(bad)
        more = f" ({bad.sum()} such cells in this column)" if bad.sum() > 1 else ""
        raise UserError(f"{source}: column '{column}' row {row} has {cell!r}, not a number{more}; {hint}"
                        f"list it in {options.where}.missing_tokens if it means missing, or set "
                        f"{options.where}.unparseable: missing")


def _censored(raw: pd.Series, kinds: pd.Series, numbers: pd.Series, column: str, options: Read,
              ledger: "Ledger", source: str) -> pd.Series:
    """Censored cells under ``options.censored``: an error naming them, or their limit (``limit``), or half a
    lower limit (``half_limit``; an upper limit ``>x`` stays x). ``<LOD`` takes the column's limit from
    ``options.detection_limits``."""
    censored = kinds == "censored"
    if not censored.any():
        return numbers
    cells = [f"{raw[row]!r} (row {row})" for row in raw.index[censored][:3]]
    more = f" and {censored.sum() - 3} more" if censored.sum() > 3 else ""
    if options.censored == "error":
        raise UserError(f"{source}: column '{column}' has censored value(s) {', '.join(cells)}{more}; set "
                        f"{options.where}.censored: limit or half_limit to use the limit or half of it")
    out = numbers.copy()
    for row in raw.index[censored]:
        match = _CENSORED.match(str(raw[row]).strip())
        limit = _number(match["limit"].strip(), ",") if "," in match["limit"] else _number(match["limit"].strip(), ".")
        if limit is None:
            if match["limit"].strip().upper() not in _LIMIT_WORDS:
                raise UserError(f"{source}: column '{column}' row {row} has {raw[row]!r}, neither a number nor a "
                                f"censored value such as '<0.5' or '<LOD'")
            limit = options.detection_limits.get(column)
            if limit is None:
                raise UserError(f"{source}: column '{column}' row {row} has {raw[row]!r} but no limit for "
                                f"'{column}' in {options.where}.detection_limits")
        below = match["op"] in ("<", "<=", "≤")
        out[row] = limit / 2 if below and options.censored == "half_limit" else limit
    ledger.cells(f"censored_to_{options.censored}", column, censored)
    log.info("%s: column '%s': %d censored value(s) replaced by %s", source, column, censored.sum(),
             "half the limit" if options.censored == "half_limit" else "the limit")
    return out


# ---------------------------------------------------------------------------------------------------------------
# Accounting
# ---------------------------------------------------------------------------------------------------------------

class Ledger:
    """What reading and cleaning did to a table, counted per column and per class.

    ``classes`` gives each row's class (missing for rows without one, counted as ``(no label)``). Counts are
    kept, never the values or IDs, so the ledger can go into committed metrics.
    """

    def __init__(self, classes: pd.Series):
        self.classes = classes.fillna(NO_CLASS).astype(str)
        self.cell_counts: dict[str, dict[str, dict[str, int]]] = {}
        self.row_counts: dict[str, dict[str, int]] = {}

    def set_classes(self, classes: pd.Series) -> None:
        """Replace the row classes (e.g. once labels are normalised); earlier counts stay."""
        self.classes = classes.fillna(NO_CLASS).astype(str)

    def cells(self, kind: str, column: str, mask: pd.Series) -> None:
        if mask.any():
            per_class = self._per_class(mask)
            column_counts = self.cell_counts.setdefault(kind, {}).setdefault(column, {})
            for name, n in per_class.items():
                column_counts[name] = column_counts.get(name, 0) + n

    def rows(self, kind: str, mask: pd.Series) -> None:
        if mask.any():
            counts = self.row_counts.setdefault(kind, {})
            for name, n in self._per_class(mask).items():
                counts[name] = counts.get(name, 0) + n

    def _per_class(self, mask: pd.Series) -> dict[str, int]:
        classes = self.classes.reindex(mask.index).fillna(NO_CLASS)
        return {str(k): int(v) for k, v in sorted(classes[mask.to_numpy(bool)].value_counts().items())}

    def report(self) -> dict:
        """``{"cells": {kind: {column: {class: n}}}, "rows_dropped": {kind: {class: n}}}``, sorted."""
        return {"cells": {k: dict(sorted(v.items())) for k, v in sorted(self.cell_counts.items())},
                "rows_dropped": dict(sorted(self.row_counts.items()))}


def class_bias(rows_in: dict[str, int], rows_out: dict[str, int], alpha: float = 0.05) -> dict:
    """Did cleaning remove a larger share of one class than of the other?

    The share of rows dropped per class and Fisher's exact test of dropped/kept by class; ``flag`` is true when
    p < ``alpha``: the cleaned table no longer has the class mix of the file, and the rows lost are not a random
    sample (in seed 001, incomplete rows are mostly controls).
    """
    classes = sorted(k for k in rows_in if k != NO_CLASS)
    dropped = {c: rows_in[c] - rows_out.get(c, 0) for c in classes}
    share = {c: dropped[c] / rows_in[c] if rows_in[c] else None for c in classes}
    result = {"dropped_share": share, "p_value": None, "flag": False}
    if len(classes) == 2 and sum(dropped.values()) > 0:
        from scipy.stats import fisher_exact  # here, not at import: scipy.stats costs every stage a second

        table = [[dropped[c], rows_out.get(c, 0)] for c in classes]
        result["p_value"] = float(fisher_exact(table).pvalue)
        result["flag"] = bool(result["p_value"] < alpha)
    return result


def _row_list(rows, limit: int = 5) -> str:
    rows = list(rows)
    return ", ".join(map(str, rows[:limit])) + (f" and {len(rows) - limit} more" if len(rows) > limit else "")

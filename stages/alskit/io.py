"""Reading the user's tables and writing stage outputs atomically.

Readers raise :class:`~alskit.cli.UserError` naming the file and what was
expected. Writers go through :class:`AtomicOutputs`: every file is written to a
temporary name beside its target and renamed only when the whole stage has
succeeded, so a failing stage leaves no partial outputs behind.
"""
from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .cli import UserError

TABLE_SUFFIXES = (".xlsx", ".xls", ".csv")


def read_table(path: str | Path, header_row: int = 0) -> pd.DataFrame:
    """Read a workbook's first sheet or a CSV file; ``header_row`` is 0-based."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: file not found")
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise UserError(f"{path}: expected a {', '.join(TABLE_SUFFIXES)} file, got '{path.suffix or 'no extension'}'")
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path, header=header_row)
        else:
            frame = pd.read_excel(path, sheet_name=0, header=header_row)
    except (pd.errors.EmptyDataError, ValueError, OSError) as err:
        raise UserError(f"{path}: cannot be read as a table ({err})") from None
    frame.columns = [str(c).strip() if isinstance(c, str) else c for c in frame.columns]
    if frame.empty:
        raise UserError(f"{path}: the table has no data rows")
    return frame


def read_csv(path: str | Path, **kwargs: Any) -> pd.DataFrame:
    """Read an intermediate CSV written by an earlier stage."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: file not found (run the stage that makes it first)")
    return pd.read_csv(path, **kwargs)


def read_json(path: str | Path) -> Any:
    """Read a JSON file written by an earlier stage."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: file not found (run the stage that makes it first)")
    return json.loads(path.read_text())


def to_jsonable(value: Any, digits: int = 4) -> Any:
    """Convert numpy scalars, round floats to ``digits`` and turn NaN into ``None``."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v, digits) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else round(value, digits)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_DOC_TIME = b"1980-01-01T00:00:00Z"


def _reproducible_xlsx(data: bytes) -> bytes:
    """Pin the save times an .xlsx carries (zip entry dates, created/modified properties).

    Without this every save gives new bytes, so DVC would record a new hash for
    an unchanged demo cohort on every fresh ``dvc repro``.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", _FIXED_DOC_TIME, content)
            target.writestr(zipfile.ZipInfo(info.filename, _FIXED_ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


class AtomicOutputs:
    """Collect a stage's outputs under temporary names; publish them all at the end.

    Use as a context manager::

        with AtomicOutputs() as out:
            out.csv(frame, "data/x.csv")
            out.json(metrics, "metrics/x.json")

    On a clean exit every temporary file (or folder, see :meth:`directory`) is
    renamed onto its target; if the block raises, the temporaries are deleted
    and no target is touched.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []
        self._folders: list[tuple[Path, Path]] = []

    def __enter__(self) -> "AtomicOutputs":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            for tmp, target in self._pending:
                os.replace(tmp, target)
            for tmp, target in self._folders:
                shutil.rmtree(target, ignore_errors=True)
                os.replace(tmp, target)
        else:
            for tmp, _ in self._pending:
                tmp.unlink(missing_ok=True)
            for tmp, _ in self._folders:
                shutil.rmtree(tmp, ignore_errors=True)
        self._pending.clear()
        self._folders.clear()

    def path(self, target: str | Path) -> Path:
        """A temporary path (same folder and suffix) that becomes ``target`` on success."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
        os.close(fd)
        tmp = Path(name)
        self._pending.append((tmp, target))
        return tmp

    def directory(self, target: str | Path) -> Path:
        """An empty temporary folder beside ``target`` that replaces it, whole, on success.

        For stages whose output is a folder of files: files written into it and later found
        unusable can simply be deleted, and a failed run leaves neither placeholders nor the
        staging folder behind.
        """
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        self._folders.append((tmp, target))
        return tmp

    def csv(self, frame: pd.DataFrame, target: str | Path, index: bool = False) -> None:
        frame.to_csv(self.path(target), index=index, float_format="%.10g")

    def json(self, obj: Any, target: str | Path, digits: int = 4) -> None:
        self.path(target).write_text(json.dumps(to_jsonable(obj, digits), indent=2) + "\n")

    def excel(self, frame: pd.DataFrame, target: str | Path, title: str | None = None) -> None:
        """Write a workbook whose bytes depend only on its content (see :func:`_reproducible_xlsx`).
        With ``title``, the first row holds it and the column names go on the second row."""
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, startrow=0 if title is None else 1)
            if title is not None:
                next(iter(writer.sheets.values()))["A1"] = title
        self.path(target).write_bytes(_reproducible_xlsx(buffer.getvalue()))

    def text(self, text: str, target: str | Path) -> None:
        self.path(target).write_text(text)



"""Reading earlier stages' outputs and writing stage outputs atomically (users' own tables: :mod:`alskit.common.tables`).

Readers raise :class:`~alskit.common.errors.UserError` naming the file and what was
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
import secrets
import shutil
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alskit.common.cli import interruptions_deferred
from alskit.common.errors import UserError

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


STORED_DIGITS = 4   # decimals every metrics and plot file keeps


def to_jsonable(value: Any, digits: int = STORED_DIGITS) -> Any:
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


TMP_PREFIX = ".alskit-tmp."
"""Every temporary file or folder :class:`AtomicOutputs` creates is named ``.alskit-tmp.<target name>.<8 hex>``
(plus the target's suffix, for files). ``.gitignore`` and ``.dvcignore`` ignore the prefix, so what a
``kill -9`` leaves behind (beside outputs in git-tracked folders such as metrics/ too) never reaches a git
commit, an experiment or a DVC output, and the next run of the stage removes it."""
_TMP_RANDOM = r"[0-9a-f]{8}"


def _tmp_name(target: Path, suffix: str) -> str:
    return f"{TMP_PREFIX}{target.name}.{secrets.token_hex(4)}{suffix}"


def _remove_stale_temporaries(target: Path, suffix: str, keep: list[tuple[Path, Path]]) -> None:
    """Delete what an earlier, killed run left beside ``target``: ``.alskit-tmp.<target name>.<8 hex><suffix>``.

    The exact pattern leaves other targets' temporaries (``clean`` vs ``clean.csv``) alone, and ``keep``
    (this block's own temporaries, as ``(temporary, target)`` pairs) too.
    """
    pattern = re.compile(re.escape(f"{TMP_PREFIX}{target.name}.") + _TMP_RANDOM + re.escape(suffix))
    with os.scandir(target.parent) as scan:
        stale = [Path(entry.path) for entry in scan if pattern.fullmatch(entry.name)]
    for path in stale:
        if any(path == tmp for tmp, _ in keep):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


class AtomicOutputs:
    """Collect a stage's outputs under temporary names; publish them all at the end.

    Use as a context manager::

        with AtomicOutputs() as out:
            out.csv(frame, "data/x.csv")
            out.json(metrics, "metrics/x.json")

    On a clean exit every temporary file (or folder, see :meth:`directory`) is
    renamed onto its target; if the block raises (a bug, a :class:`~alskit.common.errors.UserError`, or SIGTERM/SIGINT
    turned into an exception by :func:`alskit.common.cli.run`), the temporaries are deleted and no target is touched.
    Temporaries are named ``.alskit-tmp.<target name>.<random>`` beside their targets (see :data:`TMP_PREFIX`);
    a run killed outright (``kill -9``) leaves them behind, git- and DVC-ignored, and the next request for the
    same target removes them. Signals are held while the outputs are renamed or the temporaries deleted, so
    an interruption never leaves half of the outputs published.
    """

    published = 0
    """How many blocks have published their outputs in this process (an interruption's message says so)."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []
        self._folders: list[tuple[Path, Path]] = []
        self._live: list[Path] = []

    def __enter__(self) -> "AtomicOutputs":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        with interruptions_deferred():
            if exc_type is None:
                self._publish()
            else:
                for tmp, _ in self._pending:
                    tmp.unlink(missing_ok=True)
                for tmp, _ in self._folders:
                    shutil.rmtree(tmp, ignore_errors=True)
                for folder in self._live:
                    shutil.rmtree(folder, ignore_errors=True)
            self._pending.clear()
            self._folders.clear()
            self._live.clear()

    def _publish(self) -> None:
        for tmp, target in self._pending:
            os.replace(tmp, target)
        for tmp, target in self._folders:
            # The old folder moves aside under a temporary name first: whenever a kill -9 lands, what is
            # beside the target is only ignored temporaries that the stage's next run removes.
            old = target.parent / _tmp_name(target, "")
            if target.exists() or target.is_symlink():
                os.replace(target, old)
            os.replace(tmp, target)
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
        if self._pending or self._folders:
            AtomicOutputs.published += 1

    def path(self, target: str | Path) -> Path:
        """A temporary path (same folder and suffix) that becomes ``target`` on success.

        Stale temporaries of the same target from a killed run are removed first.
        """
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        with interruptions_deferred():  # a temporary is never created without being registered for clean-up
            _remove_stale_temporaries(target, target.suffix, self._pending + self._folders)
            while True:
                tmp = target.parent / _tmp_name(target, target.suffix)
                try:
                    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                    break
                except FileExistsError:
                    continue
            self._pending.append((tmp, target))
        return tmp

    def directory(self, target: str | Path) -> Path:
        """An empty temporary folder beside ``target`` that replaces it, whole, on success.

        For stages whose output is a folder of files: files written into it and later found
        unusable can simply be deleted, and a failed run leaves neither placeholders nor the
        staging folder behind. Stale staging folders of the same target from a killed run are removed first.
        """
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        with interruptions_deferred():
            _remove_stale_temporaries(target, "", self._pending + self._folders)
            while True:
                tmp = target.parent / _tmp_name(target, "")
                try:
                    tmp.mkdir(mode=0o700)
                    break
                except FileExistsError:
                    continue
            self._folders.append((tmp, target))
        return tmp

    def live(self, target: str | Path) -> Path:
        """An empty folder at ``target`` itself, written in place while the block runs (dvclive's training
        curves, so that they can be watched epoch by epoch), and deleted if the block fails: live, yet never
        left behind by a failed run."""
        target = Path(target)
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        self._live.append(target)
        return target

    def csv(self, frame: pd.DataFrame, target: str | Path, index: bool = False) -> None:
        frame.to_csv(self.path(target), index=index, float_format="%.10g")

    def json(self, obj: Any, target: str | Path, digits: int = STORED_DIGITS) -> None:
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



"""Readers and atomic, reproducible writers."""
import json
import zipfile

import numpy as np
import pytest

from alskit.cli import UserError
from alskit.io import AtomicOutputs, read_table, to_jsonable


def test_outputs_appear_only_when_the_whole_block_succeeds(tmp_path):
    with pytest.raises(RuntimeError):
        with AtomicOutputs() as out:
            out.json({"a": 1}, tmp_path / "m.json")
            raise RuntimeError("stage failed half way")
    assert list(tmp_path.iterdir()) == []
    with AtomicOutputs() as out:
        out.json({"a": 1}, tmp_path / "sub" / "m.json")
        assert not (tmp_path / "sub" / "m.json").exists()
    assert json.loads((tmp_path / "sub" / "m.json").read_text()) == {"a": 1}
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["m.json"]


def test_a_staged_folder_replaces_its_target_whole_or_not_at_all(tmp_path):
    target = tmp_path / "audio"
    (target / "old").mkdir(parents=True)
    (target / "old" / "stale.flac").write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with AtomicOutputs() as out:
            (out.directory(target) / "new.flac").write_bytes(b"new")
            raise RuntimeError("stage failed half way")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audio"], "no staging folder left"
    assert (target / "old" / "stale.flac").read_bytes() == b"old", "target untouched"
    with AtomicOutputs() as out:
        staging = out.directory(target)
        (staging / "new.flac").write_bytes(b"new")
        (staging / "dropped.flac").write_bytes(b"")
        (staging / "dropped.flac").unlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audio"]
    assert [p.name for p in target.iterdir()] == ["new.flac"], "stale files gone, only the staged content"


def test_excel_is_reproducible_and_reads_back(tmp_path, cohort):
    with AtomicOutputs() as out:
        out.excel(cohort, tmp_path / "demo.xlsx")
    with zipfile.ZipFile(tmp_path / "demo.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"1980-01-01T00:00:00Z" in archive.read("docProps/core.xml")
    back = read_table(tmp_path / "demo.xlsx")
    assert list(back.columns) == list(cohort.columns) and len(back) == len(cohort)
    assert (back["ID Paziente"] == cohort["ID Paziente"]).all()


def test_read_table_errors_name_the_file(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(UserError, match="empty.csv: cannot be read"):
        read_table(tmp_path / "empty.csv")
    (tmp_path / "data.json").write_text("{}")
    with pytest.raises(UserError, match=r"data.json: expected a \.xlsx, \.xls, \.csv file, got '\.json'"):
        read_table(tmp_path / "data.json")


def test_json_values_are_rounded_and_nan_is_missing():
    assert to_jsonable({"x": np.float64(0.123456), "n": np.int64(3), "bad": float("nan"),
                        "l": [np.float32(1.5)]}) == {"x": 0.1235, "n": 3, "bad": None, "l": [1.5]}

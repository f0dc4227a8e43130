"""Readers and atomic, reproducible writers."""
import json
import zipfile

import numpy as np
import pytest

from conftest import read_settings

from alskit.common.errors import UserError
from alskit.common.io import TMP_PREFIX, AtomicOutputs, to_jsonable
from alskit.common.tables import read_table


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


def test_temporaries_have_one_recognisable_prefix_and_keep_the_suffix(tmp_path):
    with AtomicOutputs() as out:
        file, folder = out.path(tmp_path / "mel.npy"), out.directory(tmp_path / "audio")
        assert file.parent == folder.parent == tmp_path
        assert file.name.startswith(f"{TMP_PREFIX}mel.npy.") and file.suffix == ".npy", "np.save keeps the name"
        assert folder.name.startswith(f"{TMP_PREFIX}audio.") and folder.is_dir()
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([file.name, folder.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audio", "mel.npy"]


def test_stale_temporaries_of_a_killed_run_go_when_their_target_is_asked_for(tmp_path):
    stale = [tmp_path / f"{TMP_PREFIX}m.json.0123abcd.json", tmp_path / f"{TMP_PREFIX}audio.0123abcd"]
    stale[0].write_text("{")
    (stale[1] / "task").mkdir(parents=True)
    (stale[1] / "task" / "half.flac").write_bytes(b"")
    others = [tmp_path / f"{TMP_PREFIX}m.0123abcd",          # staging folder of the target `m`, not `m.json`
              tmp_path / f"{TMP_PREFIX}audio.csv.0123abcd.csv",  # another target's
              tmp_path / ".m.json.0123abcd.json"]             # not an alskit temporary at all
    for other in others:
        other.write_text("x")
    with AtomicOutputs() as out:
        first = out.path(tmp_path / "m.json")
        second = out.path(tmp_path / "m.json")  # a block's own temporaries are never stale
        assert first.exists() and second.exists() and not stale[0].exists()
        out.directory(tmp_path / "audio")
        assert not stale[1].exists()
        first.write_text("1")
        second.write_text("2")
    assert (tmp_path / "m.json").read_text() == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["audio", "m.json"] + [o.name for o in others])


def test_excel_is_reproducible_and_reads_back(tmp_path, cohort):
    with AtomicOutputs() as out:
        out.excel(cohort, tmp_path / "demo.xlsx")
    with zipfile.ZipFile(tmp_path / "demo.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"1980-01-01T00:00:00Z" in archive.read("docProps/core.xml")
    back = read_table(tmp_path / "demo.xlsx", read_settings("bdb.read"))
    assert list(back.columns) == list(cohort.columns) and len(back) == len(cohort)
    assert (back["ID Paziente"].to_numpy() == cohort["ID Paziente"].to_numpy()).all()
    assert list(back.index) == list(range(2, len(cohort) + 2)), "rows are numbered as a spreadsheet shows them"


def test_read_table_errors_name_the_file(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(UserError, match=r"empty.csv: the file has 0 line\(s\)"):
        read_table(tmp_path / "empty.csv", read_settings("bdb.read"))
    (tmp_path / "data.json").write_text("{}")
    with pytest.raises(UserError, match=r"data.json: expected a \.xlsx, \.xls, \.csv file, got '\.json'"):
        read_table(tmp_path / "data.json", read_settings("bdb.read"))


def test_json_values_are_rounded_and_nan_is_missing():
    assert to_jsonable({"x": np.float64(0.123456), "n": np.int64(3), "bad": float("nan"),
                        "l": [np.float32(1.5)]}) == {"x": 0.1235, "n": 3, "bad": None, "l": [1.5]}

"""The in-process stage runner of the bad-input tests (conftest.run_stage) against a real ``python`` process, as
DVC runs a stage: the same exit code, the same lines on stderr, the same outputs. If the two ever differ, the
bad-input tests would be checking something other than what a user sees."""
import shutil

import pytest

from conftest import run_stage

CLEAN = ("out/clean.csv", "out/cleaning.json")


def _both(name, args, folder, tmp_path):
    """The stage run in this process in ``folder`` and in a fresh interpreter in a copy of it."""
    copy = tmp_path / "real"
    shutil.copytree(folder, copy)
    return run_stage(name, *args, cwd=folder), run_stage(name, *args, cwd=copy, in_process=False), copy


def _lines(stderr: str) -> list[str]:
    """stderr without progress bars (a bar redraws itself with carriage returns)."""
    return [line for line in stderr.splitlines() if "\r" not in line and "it/s" not in line and "%|" not in line]


@pytest.mark.parametrize("case", ["good", "missing column", "wrong arguments", "unknown study"])
def test_in_process_runs_match_real_ones(case, stage_dir, cohort, tmp_path):
    raw = cohort.drop(columns=["TNFalfa"]) if case == "missing column" else cohort
    raw.to_csv(stage_dir / "raw.csv", index=False)
    name, args = {"good": ("bdb_clean", ("raw.csv", *CLEAN)), "missing column": ("bdb_clean", ("raw.csv", *CLEAN)),
                  "wrong arguments": ("bdb_clean", ("raw.csv",)),
                  "unknown study": ("check_params", ("audio", "out/x.ok"))}[case]
    here, real, copy = _both(name, args, stage_dir, tmp_path / "copy")
    assert here.returncode == real.returncode == (0 if case == "good" else 2), (here.stderr, real.stderr)
    assert _lines(here.stderr) == _lines(real.stderr)
    assert here.stdout == real.stdout
    for output in CLEAN:
        assert (stage_dir / output).exists() == (copy / output).exists() == (case == "good")
        if case == "good":
            assert (stage_dir / output).read_bytes() == (copy / output).read_bytes()


def test_an_uncaught_exception_is_a_traceback_and_exit_1_in_both(tmp_path):
    """A programming error (not a user error) must still look like one: the runner does not swallow it."""
    import subprocess
    import sys

    from conftest import _run_in_process, venv_env

    script = tmp_path / "broken.py"
    script.write_text('"""Usage: python broken.py"""\nfrom alskit.common.cli import run\n\n\n'
                      'def main():\n    raise RuntimeError("a bug, not a user error")\n\n\nrun(main)\n')
    here = _run_in_process(script, [], tmp_path)
    real = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=venv_env(), capture_output=True, text=True)
    assert here.returncode == real.returncode == 1
    assert "Traceback" in here.stderr and "Traceback" in real.stderr
    assert here.stderr.splitlines()[-1] == real.stderr.splitlines()[-1] == "RuntimeError: a bug, not a user error"


def test_the_runner_puts_this_process_back(stage_dir):
    import logging
    import os
    import signal

    before = (os.getcwd(), list(logging.getLogger("alskit").handlers), signal.getsignal(signal.SIGTERM))
    assert run_stage("check_params", "audio", "out/x.ok", cwd=stage_dir).returncode == 2
    assert (os.getcwd(), list(logging.getLogger("alskit").handlers), signal.getsignal(signal.SIGTERM)) == before


def test_joblib_workers_started_elsewhere_are_not_reused_by_a_stage(stage_dir, tmp_path, monkeypatch):
    """joblib's reused workers keep the folder they started in: a stage run here must start its own, in its folder,
    or it opens its relative paths in another test's folder (seen: voice_features after another test's workers)."""
    import os

    from joblib import Parallel, delayed

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert Parallel(n_jobs=2, backend="loky")(delayed(os.getcwd)() for _ in range(2)) == [str(elsewhere)] * 2
    monkeypatch.chdir(tmp_path)
    assert run_stage("check_params", "audio", "out/x.ok", cwd=stage_dir).returncode == 2
    monkeypatch.chdir(stage_dir)
    assert Parallel(n_jobs=2, backend="loky")(delayed(os.getcwd)() for _ in range(2)) == [str(stage_dir)] * 2

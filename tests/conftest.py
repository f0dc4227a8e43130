"""Shared fixtures: a small real-shaped BDB cohort, a stage runner."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]

from alskit.bdb import cohort as bdb, demo as demo_bdb  # noqa: E402
from alskit.common.config import Read  # noqa: E402


E2E_MODULE = "test_pipeline_e2e.py"
_e2e: dict = {}   # the end-to-end module and the folder of its runs, once started


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The end-to-end tests last, after pytest-randomly's shuffle (which still orders everything else): their
    repros run in the background from collection on, so the unit tests run beside them instead of waiting for them
    (one order measured 16 min 42 s for `make test`, the e2e module first, against 12-13 min with it late)."""
    items.sort(key=lambda item: item.path.name == E2E_MODULE)   # stable: each group keeps its order


def pytest_collection_finish(session):
    """Start the end-to-end repros in the background as soon as collection selects one of their tests (not under
    `make test-fast`), so that they run beside the unit tests rather than after them."""
    module = next((item.module for item in session.items if item.path.name == E2E_MODULE), None)
    if module is not None:
        _e2e.update(module=module, root=Path(tempfile.mkdtemp(prefix="alskit-e2e-")))
        module.start_runs(_e2e["root"])


def pytest_sessionfinish(session):
    """Stop the end-to-end repros if still running and remove their copies."""
    if _e2e:
        _e2e["module"].stop_runs()
        shutil.rmtree(_e2e["root"], ignore_errors=True)


def params_with(**sections: dict) -> dict:
    """The default ``params.yaml`` with ``sections`` merged in (``bdb={"train": {"seed": 3}}``), nested keys
    replacing only what they name: what a study's ``config.load(params)`` takes in a test."""
    def merge(base: dict, updates: dict) -> dict:
        return {**base, **{k: merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
                           for k, v in updates.items()}}
    return merge(yaml.safe_load((REPO / "params.yaml").read_text()), sections)


@pytest.fixture
def cohort():
    """A 40-subject demo workbook frame (26 ALS + 14 HEALTHY, 2 + 3 incomplete rows)."""
    return demo_bdb.make_cohort(n_als=26, n_healthy=14, incomplete_als=2, incomplete_healthy=3,
                                effect_scale=3.0, seed=11)


@pytest.fixture
def encoded(cohort):
    clean, _ = bdb.clean(cohort, PAPER_READ, 2, "test")
    return bdb.encode(clean, "test")


def read_settings(where: str = "bdb.read", **changes) -> Read:
    """A ``read`` block as params.yaml writes one (every policy at its strictest: errors, not guesses), with
    ``changes``, named ``where`` in messages."""
    settings = {"sheet": 0, "header_row": 0, "sep": "auto", "decimal": "auto", "missing_tokens": [],
                "unparseable": "error", "censored": "error", "detection_limits": {}}
    return Read(**{**settings, **changes}).at(where)


PAPER_READ = read_settings("bdb.read", missing_tokens=["#!NULL"], unparseable="missing")
"""Seed 001's workbook as the paper's authors exported it: ``#!NULL`` and stray text are missing cells."""


def committed(path: str) -> bytes:
    """``path`` (relative to the repository root) as git's HEAD holds it, not as the working tree has it: a
    `dvc repro` on another CPU legitimately rewrites the networks' outputs, and a test about the committed
    results must not fail because of it. Skips where the checkout is not a git repository (an exported copy)."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the committed files cannot be read")
    return subprocess.run(["git", "show", f"HEAD:{path}"], cwd=REPO, capture_output=True, check=True).stdout


def venv_env() -> dict[str, str]:
    """The environment with this interpreter's bin folder first, as `make` sets it for DVC's `python`."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture
def stage_dir(tmp_path):
    """A scratch working directory holding a copy of params.yaml, as DVC runs stages from the repo root."""
    shutil.copy(REPO / "params.yaml", tmp_path / "params.yaml")
    return tmp_path


def run_stage(name: str, *args: str, cwd: Path, in_process: bool = True) -> subprocess.CompletedProcess:
    """Run ``stages/<name>.py ARGS`` in ``cwd`` as DVC does and capture its output and exit code.

    By default in this process (:func:`_run_in_process`): a new interpreter costs 2-5 s of imports per run, and the
    bad-input tests run about a hundred stages. ``in_process=False`` starts a real ``python`` as DVC does; the
    end-to-end repros, the signal tests and :func:`test_in_process_runs_match_real_ones` run stages that way."""
    if not in_process:
        return subprocess.run([sys.executable, str(REPO / "stages" / f"{name}.py"), *map(str, args)],
                              cwd=cwd, env=venv_env(), capture_output=True, text=True, timeout=600)
    return _run_in_process(REPO / "stages" / f"{name}.py", [str(arg) for arg in args], Path(cwd))


# A fresh interpreter's warning filters: what a stage run by DVC prints, the in-process run prints too.
_FRESH_FILTERS = [("default", DeprecationWarning, "__main__"), ("ignore", DeprecationWarning, ""),
                  ("ignore", PendingDeprecationWarning, ""), ("ignore", ImportWarning, ""),
                  ("ignore", ResourceWarning, "")]


def _run_in_process(script: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``python SCRIPT ARGS`` in ``cwd``, run here as ``__main__``: its stdout and stderr captured, ``sys.exit``
    taken as the exit code, an uncaught exception printed as Python prints it (code 1). What the run changes in this
    process is put back afterwards: working directory, ``sys.argv``, the ``alskit`` logger's handlers, level and
    propagation, the signal handlers and :mod:`alskit.common.cli`'s signal state, the warning filters; joblib's
    reused workers are stopped before and after (:func:`alskit.common.cli.stop_reused_workers`)."""
    import contextlib
    import io
    import logging
    import runpy
    import signal
    import traceback
    import warnings

    from alskit.common import cli

    logger = logging.getLogger("alskit")
    saved = (os.getcwd(), sys.argv, list(logger.handlers), logger.level, logger.propagate, dict(cli._signals),
             {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)})
    stdout, stderr, code = io.StringIO(), io.StringIO(), 0
    cli.stop_reused_workers(kill=False)   # reused workers keep the folder they started in; a stage's start in cwd
    try:
        os.chdir(cwd)
        sys.argv = [str(script), *args]
        with warnings.catch_warnings(), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            warnings.resetwarnings()
            for action, category, module in reversed(_FRESH_FILTERS):
                warnings.filterwarnings(action, category=category, module=module)
            try:
                runpy.run_path(str(script), run_name="__main__")
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
                if done.code is not None and not isinstance(done.code, int):
                    print(done.code, file=sys.stderr)
            except Exception:  # noqa: BLE001 - what the interpreter would print for an uncaught exception
                traceback.print_exc()
                code = 1
    finally:
        cwd_before, sys.argv, handlers, level, propagate, signals_state, handlers_by_signal = saved
        os.chdir(cwd_before)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate
        cli._signals.clear()
        cli._signals.update(signals_state)
        for signum, handler in handlers_by_signal.items():
            signal.signal(signum, handler)
        cli.stop_reused_workers(kill=False)
    return subprocess.CompletedProcess([sys.executable, str(script), *args], code, stdout.getvalue(),
                                       stderr.getvalue())


@pytest.fixture(scope="session")
def tiny_voice(tmp_path_factory):
    """A tiny voice cohort (10 speakers, 2 tasks) prepared by the stages, with a 2 x 1 grid of tiny CNNs (2 folds,
    2 epochs) in its params.yaml, and that grid run here on this machine's cores into ``local/``. Shared by the
    tests that compare the grid run elsewhere (one core, a Dask cluster) with it."""
    folder = tmp_path_factory.mktemp("voice")
    params = yaml.safe_load((REPO / "params.yaml").read_text())
    voice = params["voice"]
    voice["tasks"], voice["cv"]["folds"], voice["train"]["max_epochs"] = ["phonationA", "rhythmPA"], 2, 2
    voice["demo"].update(n_als=6, n_hc=4)
    voice["grid"].update(scenarios=["S1A", "S1B"], dropouts=[0.3])
    (folder / "params.yaml").write_text(yaml.safe_dump(params))
    for name, *args in [("voice_demo", "demo"), ("voice_clinical", "demo", "clinical.csv", "clinical.json"),
                        ("voice_audio", "demo", "clinical.csv", "audio", "recordings.csv", "audio.json"),
                        ("voice_features", "recordings.csv", "audio", "mel.npy", "mel.csv", "mel.png"),
                        ("voice_cnn", "recordings.csv", "mel.npy", "local")]:
        # the grid trains networks: in a process of its own (TensorFlow fixes its thread count once per process)
        result = run_stage(name, *args, cwd=folder, in_process=name != "voice_cnn")
        assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def tensorflow_one_thread():
    """TensorFlow in this test process on one thread, the count of every network trained in-process by the suite
    (the BDB network's): TensorFlow fixes its count at its first op and ``training.set_threads`` refuses another
    one later, so a test that builds a network in-process must not be the first to start TensorFlow on all cores."""
    from alskit.bdb import models
    from alskit.common import training

    training.set_threads(models.NETWORK_THREADS)

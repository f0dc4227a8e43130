"""Shared fixtures: the stage package on sys.path, a small real-shaped BDB cohort, a stage runner."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "stages"))

from alskit import bdb, demo_bdb  # noqa: E402


@pytest.fixture
def cohort():
    """A 40-subject demo workbook frame (26 ALS + 14 HEALTHY, 2 + 3 incomplete rows)."""
    return demo_bdb.make_cohort(n_als=26, n_healthy=14, incomplete_als=2, incomplete_healthy=3,
                                effect_scale=3.0, seed=11)


@pytest.fixture
def encoded(cohort):
    clean, _ = bdb.clean(cohort, bdb.PAPER_READ, 2, "test")
    return bdb.encode(clean, "test")


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


def run_stage(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``stages/<name>.py ARGS`` in ``cwd`` the way DVC does; capture its output."""
    return subprocess.run([sys.executable, str(REPO / "stages" / f"{name}.py"), *map(str, args)],
                          cwd=cwd, env=venv_env(), capture_output=True, text=True, timeout=600)

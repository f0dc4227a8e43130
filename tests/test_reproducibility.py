"""Results that do not depend on the CPU: what another machine would choose is forced on this one.

A fresh clone on another CPU model once changed every synthetic set and network (README, "Reproducibility").
These tests run a stage twice, once as this machine would and once as another would (other BLAS kernels, another
core count), and ask for the same bytes.
"""
import os
import platform
import subprocess
import sys

import pytest

from alskit.bdb import cohort
from conftest import REPO, venv_env

X86 = platform.machine().lower() in ("x86_64", "amd64")


def stage(name: str, *args, cwd, env=None, cpus=None):
    """Run a stage script; ``cpus`` limits the process to those cores (as on a machine with fewer)."""
    result = subprocess.run([sys.executable, str(REPO / "stages" / f"{name}.py"), *map(str, args)], cwd=cwd,
                            env={**venv_env(), **(env or {})}, capture_output=True, text=True, timeout=600,
                            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.skipif(not X86, reason="OpenBLAS kernel names are x86-64 ones")
@pytest.mark.slow
def test_synthetic_rows_do_not_depend_on_the_blas_kernels(stage_dir, encoded):
    """20 rows x 37 columns give a singular correlation matrix; sampling through its SVD let the CPU's BLAS
    kernels pick the eigenvectors. Haswell kernels stand in for an AVX2 machine."""
    train = cohort.undersample(encoded, seed=0)
    train.to_csv(stage_dir / "train.csv")
    stage("bdb_synthesize", "train.csv", 10, "native.csv", cwd=stage_dir)
    stage("bdb_synthesize", "train.csv", 10, "haswell.csv", cwd=stage_dir, env={"OPENBLAS_CORETYPE": "Haswell"})
    assert (stage_dir / "native.csv").read_bytes() == (stage_dir / "haswell.csv").read_bytes()


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores to compare with one")
@pytest.mark.slow
def test_voice_network_does_not_depend_on_the_core_count(tiny_voice):
    """The grid run on one core against the same run on two (``local``, the shared fixture's)."""
    stage("voice_cnn", "recordings.csv", "mel.npy", "one_core", cwd=tiny_voice, cpus={0})
    for name in ("S1A_0.3/predictions.csv", "S1A_0.3/history.json", "S1B_0.3/predictions.csv",
                 "S1B_0.3/history.json"):
        assert (tiny_voice / "local" / name).read_bytes() == (tiny_voice / "one_core" / name).read_bytes()

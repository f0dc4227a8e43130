"""The compute layer (alskit.common.compute): a fan-out gives its results in order, names a failing task in one line,
runs each task alone with one BLAS thread; and the same stages on a real Dask cluster (a scheduler and two workers
over TCP on this machine) write the same bytes as on this machine's cores, even when a worker is lost mid-run."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from alskit.common import compute
from alskit.common.errors import UserError
from conftest import REPO, venv_env

cloudpickle = pytest.importorskip("cloudpickle")
cloudpickle.register_pickle_by_value(sys.modules[__name__])   # Dask's workers cannot import this test module


def _slow_square(x: int, delay: float) -> int:
    time.sleep(delay)
    return x * x


def _divide(x: int) -> float:
    return 1 / x


def _bad_file(name: str) -> None:
    raise UserError(f"{name}: not a WAV file")


def _blas_threads(_: int) -> list[int]:
    from threadpoolctl import threadpool_info

    return sorted({pool["num_threads"] for pool in threadpool_info()})


def test_results_come_back_in_the_calls_order_whatever_finishes_first():
    calls = [(x, 0.3 - 0.1 * x) for x in range(3)]
    assert compute.run(_slow_square, calls, ["a", "b", "c"], desc="t", unit="task", workers=2) == [0, 1, 4]
    assert compute.run(_slow_square, calls, ["a", "b", "c"], desc="t", unit="task", workers=1) == [0, 1, 4]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_task_is_named_in_one_line(workers):
    with pytest.raises(compute.TaskFailed, match=r"^task 'S1B dropout 0.3 fold 3' failed: ZeroDivisionError: "
                                                 r"division by zero$"):
        compute.run(_divide, [(1,), (2,), (0,)], ["S1B dropout 0.3 fold 1", "S1B dropout 0.3 fold 2",
                                                   "S1B dropout 0.3 fold 3"], desc="t", unit="task", workers=workers)


def test_a_user_error_inside_a_task_keeps_its_own_message():
    with pytest.raises(UserError, match=r"^a\.wav: not a WAV file$") as raised:
        compute.run(_bad_file, [("a.wav",)], ["a.wav"], desc="t", unit="file", workers=1)
    assert not isinstance(raised.value, compute.TaskFailed)


@pytest.mark.parametrize("workers", [1, 2])
def test_every_task_runs_its_blas_on_one_thread(workers):
    """In this process too (workers=1), where BLAS would otherwise use every core: the same rounding wherever a
    task runs."""
    assert compute.run(_blas_threads, [(0,), (1,)], ["a", "b"], desc="t", unit="task", workers=workers) == [[1]] * 2


def test_network_trainings_share_the_cores_at_their_thread_count(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert [compute.network_workers(t) for t in (1, 2, 3, 32)] == [16, 8, 5, 1]
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert compute.network_workers(2) == 1, "a 2-core machine trains in the stage's own process, as before"


def test_no_scheduler_named_means_this_machine(monkeypatch, tmp_path):
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    monkeypatch.setenv("DASK_CONFIG", str(tmp_path))
    monkeypatch.setattr(os.path, "expanduser", lambda path: str(tmp_path / "home"))
    assert compute.scheduler_address() is None
    with compute.cluster():
        assert not compute.on_cluster()


def test_tensorflow_refuses_a_second_thread_count_in_one_process():
    """TensorFlow fixes its thread count at its first op; a later, different count would be silently ignored and
    change the numbers. Asked in a fresh process (this one may have run TensorFlow already)."""
    script = ("from alskit.common import training, compute\n"
              "training.set_threads(1)\n"
              "training.tensorflow().constant(1.0) + 1\n"
              "training.set_threads(1)\n"
              "print(compute.tensorflow_threads())\n"
              "try:\n"
              "    training.set_threads(2)\n"
              "except Exception as err:\n"
              "    print(type(err).__name__, err)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=venv_env(),
                            timeout=120)
    assert result.stdout.splitlines() == [
        "1", "UserError TensorFlow in this process already runs on 1 threads, not 2; it fixes the count once per "
             "process: run this in a fresh process"], result.stderr


def test_a_named_scheduler_that_does_not_answer_is_one_line(stage_dir):
    env = {"DASK_SCHEDULER_ADDRESS": "tcp://127.0.0.1:9", "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    result = subprocess.run([sys.executable, str(REPO / "stages" / "check_params.py"), "bdb", "ok"], cwd=stage_dir,
                            env={**venv_env(), **env}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("check_params: error: no Dask scheduler answers at tcp://127.0.0.1:9 "
                           "(DASK_SCHEDULER_ADDRESS or Dask's scheduler-address)")
    assert "Traceback" not in result.stderr and not (stage_dir / "ok").exists()


# --- a real Dask cluster on this machine -------------------------------------------------------------------------

def features(folder: Path, out: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return _stage(folder, "voice_features", "recordings.csv", "audio", f"{out}.npy", f"{out}.csv", f"{out}.png",
                  env=env)


def grid(folder: Path, out: str, env: dict | None = None, wait: bool = True):
    return _stage(folder, "voice_cnn", "recordings.csv", "mel.npy", out, env=env, wait=wait)


def _stage(folder: Path, name: str, *args: str, env: dict | None = None, wait: bool = True):
    command = [sys.executable, str(REPO / "stages" / f"{name}.py"), *args]
    if not wait:
        return subprocess.Popen(command, cwd=folder, env={**venv_env(), **(env or {})}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    result = subprocess.run(command, cwd=folder, env={**venv_env(), **(env or {})}, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    return result


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but the dvclive folders (their timestamps differ run to run) by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "live" not in p.relative_to(folder).parts}


class DaskCluster:
    """``dask scheduler`` and two ``dask worker --nthreads 1`` processes over TCP on this machine."""

    def __init__(self, folder: Path):
        self.folder, self.workers = folder, []
        scheduler_file = folder / "scheduler.json"
        self.scheduler = self._start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                      "--scheduler-file", str(scheduler_file)])
        for _ in range(100):
            if scheduler_file.exists() and scheduler_file.stat().st_size:
                break
            time.sleep(0.2)
        self.address = yaml.safe_load(scheduler_file.read_text())["address"]
        self.workers = [self._start(["worker", self.address, "--nthreads", "1", "--no-dashboard", "--name", f"w{i}"])
                        for i in range(2)]
        self.wait_for_workers(2)

    def _start(self, arguments: list[str]) -> subprocess.Popen:
        return subprocess.Popen([str(Path(sys.executable).parent / "dask"), *arguments], cwd=self.folder,
                                env=venv_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)

    def client(self):
        from dask.distributed import Client

        return Client(self.address, timeout="30s")

    def wait_for_workers(self, n: int) -> None:
        with self.client() as client:
            client.wait_for_workers(n, timeout=120)

    def kill_worker(self, i: int) -> None:
        """SIGKILL the worker's whole process group (its nanny and the worker process): a lost node."""
        os.killpg(self.workers[i].pid, signal.SIGKILL)
        self.workers[i].wait()

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def dask_cluster(tmp_path):
    cluster = DaskCluster(tmp_path)
    yield cluster
    cluster.stop()


def _fix_tensorflow_threads(threads: int) -> int | None:
    from alskit.common import training

    training.set_threads(threads)
    training.tensorflow().constant(1.0) + 1
    return threads


@pytest.mark.slow
def test_a_dask_cluster_writes_the_same_bytes_as_this_machine(tiny_voice, dask_cluster):
    """The grid (2 configurations x 2 folds, one fan-out) and a joblib fan-out (mel images of every recording) on
    the cluster against this machine. The workers first run TensorFlow on 1 thread (as a BDB network leaves them):
    the stage must restart them for its 2 threads rather than silently train on 1."""
    folder = tiny_voice
    on_dask = {"DASK_SCHEDULER_ADDRESS": dask_cluster.address}
    dask_features = features(folder, "mel_dask", env=on_dask)
    assert f"fan-outs run on the Dask cluster at {dask_cluster.address}: 2 workers, 2 threads" in dask_features.stderr
    assert np.array_equal(np.load(folder / "mel.npy"), np.load(folder / "mel_dask.npy"))
    assert (folder / "mel.csv").read_bytes() == (folder / "mel_dask.csv").read_bytes()

    with dask_cluster.client() as client:
        assert set(client.run(_fix_tensorflow_threads, 1).values()) == {1}
    on_cluster = grid(folder, "dask", env=on_dask)
    assert "restarting 2 Dask worker(s) whose TensorFlow runs on another thread count ([1]), for 2" in on_cluster.stderr
    local, dask = files_of(folder / "local"), files_of(folder / "dask")
    assert sorted(local) == ["S1A_0.3/history.json", "S1A_0.3/predictions.csv", "S1B_0.3/history.json",
                             "S1B_0.3/predictions.csv"]
    assert dask == local
    with dask_cluster.client() as client:
        assert any(client.run(lambda: "tensorflow" in sys.modules).values()), "no training ran on a worker"


@pytest.mark.slow
def test_a_worker_lost_mid_run_costs_time_not_bytes(tiny_voice, dask_cluster):
    """One worker (its nanny too) is killed while it trains: Dask gives its training to the other worker."""
    folder = tiny_voice
    running = grid(folder, "lost", env={"DASK_SCHEDULER_ADDRESS": dask_cluster.address}, wait=False)
    with dask_cluster.client() as client:
        busy = None
        for _ in range(1200):   # until a worker holds a training and has begun its epochs
            names = {address: info["name"] for address, info in client.scheduler_info()["workers"].items()}
            busy = next((names[a] for a, tasks in client.processing().items() if tasks and a in names), None)
            if (busy is not None and any((folder / "lost").rglob("*.tsv"))) or running.poll() is not None:
                break
            time.sleep(0.1)
    assert running.poll() is None and busy is not None, "the stage ended before a worker could be lost"
    dask_cluster.kill_worker(int(busy[1:]))
    _, stderr = running.communicate(timeout=600)
    assert running.returncode == 0, stderr
    assert files_of(folder / "lost") == files_of(folder / "local")


def test_building_and_training_a_network_draws_nothing_from_pythons_shared_random_stream(tensorflow_one_thread):
    """Keras seeds a layer left unseeded from Python's global random stream, which a Dask worker's own threads draw
    from too (heartbeat jitter): a training's first epoch then changed from run to run on a cluster. Every network
    seeds its layers itself (training.LayerSeeds), so the global stream is left as it was."""
    import random

    from alskit.bdb import models
    from alskit.voice import cnn

    x, y = np.random.default_rng(0).random((16, 8, 8, 1), dtype=np.float32), np.arange(16) % 2
    random.seed(0)
    before = random.getstate()
    cnn.build("S1B", 0.3, (8, 8), 4, 1e-3, seed=1).fit(x, y, epochs=1, verbose=0)
    cnn.build_multimodal((8, 8), 3, 4, 0.3, 4, [4], 4, 1e-3, seed=1)
    network = models.KerasMLP(hidden_units=(4, 4), dropout=0.2, learning_rate=1e-3, batch_size=8, max_epochs=1,
                              early_stopping_patience=1, reduce_lr_factor=0.5, reduce_lr_patience=1,
                              min_learning_rate=1e-5, validation_fraction=0.25, class_weight="balanced", seed=1)
    network._build(5)
    assert random.getstate() == before


def test_the_slurm_launcher_asks_for_single_task_workers_at_the_networks_thread_count(tmp_path):
    """Not run on SLURM here (none): the job script it would submit, built by dask-jobqueue."""
    shutil.copy(REPO / "params.yaml", tmp_path / "params.yaml")
    result = subprocess.run([sys.executable, str(REPO / "tools" / "dask_slurm.py"), "--cores", "16", "--queue", "cpu",
                             "--walltime", "02:00:00", "--dry-run"], cwd=tmp_path, env=venv_env(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    threads = yaml.safe_load((REPO / "params.yaml").read_text())["voice"]["train"]["threads"]
    script = result.stdout
    assert "#SBATCH --cpus-per-task=16" in script and "#SBATCH -p cpu" in script and "#SBATCH -t 02:00:00" in script
    assert f"--nworkers {16 // threads}" in script and "--nthreads 1 " in script

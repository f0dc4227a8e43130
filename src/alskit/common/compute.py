"""Where the pipeline's fan-outs run: this machine's cores (the default) or a Dask cluster the environment names.

Every fan-out (split-to-split spread, audio clean-up, spectrograms and acoustic measures, CV fits, sklearn's grid
searches, the networks' configuration x fold trainings) goes through joblib. By default joblib runs the tasks in
local worker processes on this machine's cores, as it always has: nothing to start, nothing to set. When Dask's
configuration names a scheduler (``DASK_SCHEDULER_ADDRESS=tcp://host:8786``, Dask's own convention, or
``scheduler-address`` in a Dask config file), :func:`cluster` connects a ``dask.distributed`` client to it for the
whole stage and makes Dask joblib's backend, so the same tasks, sklearn's own included, run on that cluster's
workers (docs/compute.md: a local cluster, SLURM through dask-jobqueue, GPU nodes).

Where work runs is not a parameter and changes no number: every task is seeded from params, runs its BLAS and
OpenMP libraries on one thread and TensorFlow on a fixed thread count (:func:`run`), so a run
on a cluster is byte-identical to the local run on the same CPU model. Dask reschedules the tasks of a worker lost
mid-run; a task that fails stops the stage with one line naming it (its configuration and fold, split seed or file).
"""
from __future__ import annotations

import logging
import os
import sys
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

from joblib import Parallel, delayed, parallel_config
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from alskit.common.errors import UserError

log = logging.getLogger("alskit")

_state: dict[str, Any] = {"client": None}
# One task at a time per process: NumPy's and TensorFlow's global random streams (seeded by SDV's sampler and the
# networks) and TensorFlow's thread pools belong to a process, so two tasks sharing one (a Dask worker started with
# more than one thread) would mix them.
_ONE_AT_A_TIME = threading.RLock()   # re-entrant: a task run in this process may run a fan-out of its own


class TaskFailed(UserError):
    """A task of a fan-out failed: the message names the task and what went wrong, in one line."""


def scheduler_address() -> str | None:
    """The Dask scheduler the environment names (``DASK_SCHEDULER_ADDRESS`` or Dask's config), or None."""
    if not os.environ.get("DASK_SCHEDULER_ADDRESS") and not _dask_config_names_one():
        return None
    import dask.config

    return dask.config.get("scheduler-address", None) or None


def _dask_config_names_one() -> bool:
    """Whether a Dask config file may name a scheduler (checked without importing Dask when none exists)."""
    folders = [os.environ.get("DASK_CONFIG", ""), os.path.expanduser("~/.config/dask"), "/etc/dask"]
    return any(os.path.isdir(folder) and os.listdir(folder) for folder in folders if folder)


def on_cluster() -> bool:
    """Whether this stage's fan-outs go to a Dask cluster (inside :func:`cluster`, when one is named)."""
    return _state["client"] is not None


@contextmanager
def cluster() -> Iterator[None]:
    """For the ``with`` block (a whole stage, :func:`alskit.common.cli.run`): joblib's tasks go to the Dask cluster
    the environment names, if any; otherwise nothing changes. The client is closed at the end, which releases any
    task of this stage still queued there (an interrupted stage leaves no work behind on the cluster)."""
    address = scheduler_address()
    if address is None:
        yield
        return
    import dask.config
    from dask.distributed import Client

    try:   # Dask's connect timeout (30 s unless its config says otherwise)
        client = Client(address, timeout=dask.config.get("distributed.comm.timeouts.connect"), set_as_default=True)
    except (OSError, TimeoutError) as err:
        raise UserError(f"no Dask scheduler answers at {address} (DASK_SCHEDULER_ADDRESS or Dask's "
                        f"scheduler-address): {err}") from None
    workers = client.scheduler_info(n_workers=-1)["workers"].values()
    log.info("fan-outs run on the Dask cluster at %s: %d workers, %d threads", address, len(workers),
             sum(worker["nthreads"] for worker in workers))
    _state["client"] = client
    try:
        with parallel_config(backend="dask"):
            yield
    finally:
        _state["client"] = None
        client.close()


def run(function: Callable, calls: Sequence[tuple], names: Sequence[str], *, desc: str, unit: str,
        workers: int = -1, batch_size: int | str = "auto", threads: int | None = None) -> list:
    """``function(*call)`` for every call, results in the calls' order, with a progress bar over the whole fan-out
    (done / total, rate, time left) as tasks finish, wherever they run.

    ``workers``: local processes (-1: one per core; 1: in this process, for work too small to pay for starting
    workers); on a Dask cluster every worker takes tasks. A task runs alone in its process (seeds of NumPy's and
    TensorFlow's global streams are per process: two tasks sharing a multi-threaded Dask worker would mix them)
    and runs its BLAS and OpenMP libraries on one thread, as joblib's local workers do, so its result does not
    depend on where it ran. ``threads``: the calls train networks with TensorFlow on that many threads (each sets
    it, :func:`alskit.common.training.set_threads`): at most :func:`network_workers` local processes, and on a
    cluster the workers whose TensorFlow runs on another count are restarted first, because TensorFlow fixes its
    count once per process. A task that fails raises
    :class:`TaskFailed` naming ``names[i]``; a :class:`UserError` inside a task (a bad file) is raised as it is (it
    names its file)."""
    if threads is not None:
        workers = network_workers(threads) if workers == -1 else min(workers, network_workers(threads))
        if on_cluster():
            _tensorflow_on(threads)
    folder = os.getcwd() if on_cluster() else None   # a worker elsewhere reads and writes the stage's paths from it
    jobs = (delayed(_task)(i, name, function, call, folder) for i, (name, call) in enumerate(zip(names, calls)))
    parallel = Parallel(n_jobs=-1 if on_cluster() else workers, batch_size=batch_size,
                        return_as="generator_unordered")
    results: list = [None] * len(calls)
    for i, result in tqdm(parallel(jobs), total=len(calls), desc=desc, unit=unit):
        results[i] = result
    return results


def _task(index: int, name: str, function: Callable, call: tuple, folder: str | None) -> tuple[int, Any]:
    """One task, run where joblib sends it: ``(index, function(*call))``, its failure named; on a Dask worker, in
    the stage's ``folder`` (relative paths as the stage gave them)."""
    try:
        with _ONE_AT_A_TIME, threadpool_limits(limits=1), _working_directory(folder):
            return index, function(*call)
    except UserError:
        raise
    except Exception as err:  # noqa: BLE001 - any failure of a task is reported with the task's name
        message = str(err).strip().splitlines()[0] if str(err).strip() else "(no message)"
        raise TaskFailed(f"task {name!r} failed: {type(err).__name__}: {message}") from err


@contextmanager
def _working_directory(folder: str | None) -> Iterator[None]:
    """Inside ``folder`` for the block (nothing when None); one task at a time per process, so the change of
    directory is the task's alone. A worker that cannot see the folder says so."""
    if folder is None:
        yield
        return
    here = os.getcwd()
    try:
        os.chdir(folder)
    except OSError:
        import socket

        raise UserError(f"the Dask worker on {socket.gethostname()} cannot see the stage's folder {folder}: the "
                        "workers need the repository on a shared filesystem, at the same path "
                        "(docs/compute.md)") from None
    try:
        yield
    finally:
        os.chdir(here)


def _tensorflow_on(threads: int) -> None:
    """Restart the cluster's workers if any of them already runs TensorFlow on another thread count (a network of
    another stage trained there): Dask's own restart, logged, so every training runs on ``threads``."""
    counts = _state["client"].run(tensorflow_threads)
    other = {worker: count for worker, count in counts.items() if count not in (None, threads)}
    if other:
        log.info("restarting %d Dask worker(s) whose TensorFlow runs on another thread count (%s), for %d",
                 len(other), sorted(set(other.values())), threads)
        _state["client"].restart()


def tensorflow_threads() -> int | None:
    """The thread count TensorFlow was given in this process: None where TensorFlow is not imported, 0 for none
    set (all cores). Asked of every Dask worker before a network fan-out."""
    tensorflow = sys.modules.get("tensorflow")
    if tensorflow is None:
        return None
    threading = tensorflow.config.threading
    intra, inter = threading.get_intra_op_parallelism_threads(), threading.get_inter_op_parallelism_threads()
    return intra if intra == inter else 0


def network_workers(threads: int) -> int:
    """Local processes for network trainings: this machine's cores shared out at ``threads`` each (1: in this
    process, as on a 2-core machine with 2 TensorFlow threads)."""
    return max(1, (os.cpu_count() or 1) // threads)

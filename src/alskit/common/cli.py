"""Running a stage script: parameters, logging and user-facing errors.

A stage is ``python stages/<name>.py ARGS`` run by DVC from the repository
root. Mistakes a user can make (bad file, bad column, bad parameter) raise
:class:`~alskit.common.errors.UserError`; :func:`run` turns it into one line on stderr and exit code
2, so the user never sees a traceback for their own input. SIGTERM and SIGINT
while a stage runs stop its worker processes, delete its temporaries and end it
with one line on stderr, too.
"""
from __future__ import annotations

import inspect
import logging
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import psutil
import yaml

from alskit.common.errors import UserError

PARAMS_FILE = Path("params.yaml")
log = logging.getLogger("alskit")


def load_params(path: Path = PARAMS_FILE) -> dict[str, Any]:
    """Return the whole ``params.yaml`` (DVC runs stages from the repository root)."""
    if not path.exists():
        raise UserError(f"{path}: not found (run stages from the repository root)")
    try:
        return yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        raise UserError(f"{path}: not valid YAML ({err})".replace("\n", " ")) from None


_INTERRUPTIONS = {signal.SIGTERM: "SIGTERM", signal.SIGINT: "SIGINT"}
# The first SIGTERM/SIGINT received, whether it has been raised in the main thread yet, how many
# interruptions_deferred() blocks are open, and the real stderr (set aside once a signal arrives).
_signals: dict[str, Any] = {"received": 0, "raised": False, "deferring": 0, "stderr": None}


class _Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGINT, raised in the main thread so that ``with AtomicOutputs()`` blocks unwind and delete
    their temporaries. A KeyboardInterrupt, so that ``except Exception`` in library code does not swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame: Any) -> None:
    """Stop the worker processes at once (so none writes into a staging folder being deleted), then raise
    :class:`_Interrupted` unless outputs are being renamed or deleted right now. Later signals are ignored:
    the clean-up under way should finish. From here on ``sys.stderr`` is a null sink, so that what libraries
    say while unwinding (joblib's warning about cancelled tasks, "Exception ignored in ...") does not bury the
    one line :func:`run` prints at the end."""
    if _signals["received"]:
        return
    _signals["received"] = signum
    _signals["stderr"] = sys.stderr
    sys.stderr = open(os.devnull, "w")
    _kill_children()
    if not _signals["deferring"]:
        _signals["raised"] = True
        raise _Interrupted(signum)


@contextmanager
def interruptions_deferred() -> Iterator[None]:
    """Hold a SIGTERM/SIGINT that arrives inside the block until its end (used while
    :class:`~alskit.common.io.AtomicOutputs` renames its outputs or deletes its temporaries, so that neither is left
    half done). Outside :func:`run`, where no handler is installed, it does nothing."""
    _signals["deferring"] += 1
    try:
        yield
    finally:
        _signals["deferring"] -= 1
    if _signals["received"] and not _signals["deferring"] and not _signals["raised"]:
        _signals["raised"] = True
        raise _Interrupted(_signals["received"])


def _kill_children() -> None:
    """SIGKILL the processes this one started (joblib/loky and multiprocessing workers) and wait for them: a
    stage's outputs are written by this process only, so the workers have nothing to save, and a signal they
    caught themselves could print a traceback of their own. Resource trackers are spared: they ignore
    SIGINT/SIGTERM, end by themselves when this process exits, and one killed would be relaunched and print
    warnings and tracebacks about the resources it no longer knows."""
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    workers = []
    for child in children:
        try:
            if any("resource_tracker" in part for part in child.cmdline()):
                continue
            child.kill()
            workers.append(child)
        except psutil.Error:
            pass
    psutil.wait_procs(workers, timeout=5)


def stop_reused_workers(*, kill: bool) -> None:
    """Shut joblib's reusable worker processes (loky's executor) down, if this process has any: killed at once
    (``kill``, an interrupted stage) or once idle (the tests' in-process stage runner, before it changes folder:
    a reused worker keeps the working directory it started in)."""
    loky = sys.modules.get("joblib.externals.loky.reusable_executor")
    executor = getattr(loky, "_executor", None)
    if executor is not None:
        try:
            executor.shutdown(wait=not kill, kill_workers=kill)
        except Exception:  # noqa: BLE001 - already broken or shut down: nothing left to stop
            pass


def _stop_workers() -> None:
    """Kill joblib's reused workers (joblib may have made a fresh executor while unwinding), then whatever child
    processes are left."""
    stop_reused_workers(kill=True)
    _kill_children()


def run(main: Callable[..., None]) -> None:
    """Call ``main(*sys.argv[1:])`` with logging set up, user errors reported in one line and interruptions
    cleaned up.

    A :class:`UserError` prints ``<stage>: error: ...`` and exits 2. SIGTERM (a cluster's time limit) and
    SIGINT (Ctrl-C) stop the worker processes, unwind ``main`` (``with AtomicOutputs()`` deletes its
    temporaries), print ``<stage>: interrupted by SIGTERM; no outputs written`` and exit 128 + the signal
    number, as a shell reports a process killed by it. The stage's fan-outs run on the Dask cluster the
    environment names, if any (:func:`alskit.common.compute.cluster`).
    """
    name = Path(sys.argv[0]).stem
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"{name}: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    if threading.current_thread() is threading.main_thread():
        for signum in _INTERRUPTIONS:
            signal.signal(signum, _on_signal)
    error = None
    try:
        try:
            try:
                inspect.signature(main).bind(*sys.argv[1:])
            except TypeError:
                usage = (sys.modules["__main__"].__doc__ or "").strip().splitlines()
                raise UserError(f"wrong number of arguments; {next((l for l in usage if 'Usage' in l), '')}") from None
            from alskit.common import compute

            with compute.cluster():   # a Dask cluster, if the environment names one; this machine's cores otherwise
                main(*sys.argv[1:])
        finally:
            _signals["deferring"] += 1  # from here on a signal is only recorded: the stage is ending anyway
    except UserError as err:
        error = err
    except BaseException:
        if not _signals["received"]:
            raise
    if _signals["received"]:
        _interrupted(name, _signals["received"])
    if error is not None:
        print(f"{name}: error: {error}", file=sys.stderr)
        sys.exit(2)


def _interrupted(name: str, signum: int) -> None:
    """Stop the workers, say in one line what happened, and exit 128 + ``signum``."""
    _stop_workers()
    io = sys.modules.get("alskit.common.io")
    written = getattr(getattr(io, "AtomicOutputs", None), "published", 0)
    what = "; no outputs written" if not written else " after writing outputs; dvc repro will run it again"
    sys.stdout.flush()
    print(f"{name}: interrupted by {_INTERRUPTIONS[signum]}{what}", file=_signals["stderr"], flush=True)
    sys.exit(128 + signum)

"""Training Keras models the same way everywhere: seeded, deterministic, early stopping on validation loss
with the best weights restored (an in-memory best-val-loss checkpoint), ReduceLROnPlateau, a progress bar per
epoch and, where asked, the training curves logged by dvclive as each epoch ends."""
from __future__ import annotations

import csv
import os
import platform
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from alskit.common import compute
from alskit.common.errors import UserError

VALIDATION_ROWS = "validation_rows"
"""The history entry (and dvclive parameter) holding how many rows the validation share had: the training curves
say how many rows or recordings their dashed line stands on."""

# TensorFlow: no C++ start-up chatter, and oneDNN kernels (twice as fast on CPU as the plain ones for these
# networks). With op determinism both are bit-for-bit repeatable on one machine; neither is across machines
# with different core counts or instruction sets, so repeatability is per machine either way.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
# oneDNN picks its kernels by instruction set at run time: AVX-512 machines and AVX2 machines round differently,
# so the same seed gave other networks on another CPU. Capped at AVX2 (every x86-64 CPU of the last decade),
# all of them run the same kernels, measured no slower here. Not set on other architectures.
if platform.machine().lower() in ("x86_64", "amd64"):
    os.environ.setdefault("ONEDNN_MAX_CPU_ISA", "AVX2")


def tensorflow():
    """The ``tensorflow`` module, imported with stderr muted the first time: its C++ side prints a oneDNN
    banner at load time, before any log setting applies, once in every (parallel worker) process."""
    import sys

    if "tensorflow" not in sys.modules:
        saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        try:
            import tensorflow  # noqa: F401
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(devnull)
    return sys.modules["tensorflow"]


def set_threads(threads: int) -> None:
    """Run TensorFlow's ops on ``threads`` threads, whatever the machine's core count: how a reduction is split
    between threads changes its rounding, so results depend on the thread count. TensorFlow fixes the count at its
    first op; a process already running on another count is refused (a silent other count would change the
    numbers), so a second model in one process needs the same count."""
    tf = tensorflow()
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        if compute.tensorflow_threads() != threads:
            raise UserError(f"TensorFlow in this process already runs on {compute.tensorflow_threads() or 'all'} "
                            f"threads, not {threads}; it fixes the count once per process: run this in a fresh "
                            "process") from None


class LayerSeeds:
    """Seeds for one network's random layers, drawn in order from its training seed: ``weights()`` (a Glorot-uniform
    initialiser, Keras' default) and ``next()`` (a dropout layer's seed). Keras would otherwise seed each layer from
    Python's global random stream, which every thread of the process shares: on a Dask worker, whose own threads
    draw from it (heartbeat jitter), a training's first epoch changed from run to run. Given explicitly, building
    and training a network draw nothing from that stream (tests/test_compute.py)."""

    def __init__(self, seed: int) -> None:
        self._stream = random.Random(seed)

    def next(self) -> int:
        return self._stream.randrange(1, 2**31)

    def weights(self):
        import keras

        return keras.initializers.GlorotUniform(seed=self.next())


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow, and make TensorFlow's ops deterministic."""
    tf = tensorflow()
    import keras

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    tf.get_logger().setLevel("ERROR")  # no retracing notes from predicting with a new model per fold


def balanced_class_weights(labels: np.ndarray) -> dict[int, float]:
    """``{0: w0, 1: w1}`` with each class weighted by the inverse of its share (sklearn's "balanced")."""
    from sklearn.utils.class_weight import compute_class_weight

    return dict(enumerate(compute_class_weight("balanced", classes=np.array([0, 1]), y=labels).tolist()))


def fit(model, x_fit: Any, y_fit: np.ndarray, x_val: Any, y_val: np.ndarray, *, batch_size: int, max_epochs: int,
        patience: int, lr_factor: float, lr_patience: int, min_lr: float, seed: int,
        class_weight: dict[int, float] | None = None, min_delta: float = 0.0,
        live_dir: Path | None = None) -> dict[str, list[float]]:
    """Fit ``model`` (inputs may be an array or a tuple of arrays) and return its per-epoch history, with the
    validation share's size (:data:`VALIDATION_ROWS`, a one-item list).

    ``min_delta`` is the smallest fall in validation loss that counts as progress for early stopping.
    Data go through a prebuilt tf.data pipeline, reshuffled each epoch from ``seed``: Keras re-wraps
    NumPy input every epoch, which costs more than an epoch of a small network. With ``live_dir``, dvclive's
    Keras callback writes every epoch's metrics there as it ends (``plots/metrics/{train,eval}/<metric>.tsv``,
    no timestamps; watch them with ``dvc plots show <live_dir>``); a failed fit removes the folder.
    """
    tf = tensorflow()
    import keras

    n = len(y_fit)
    train = (tf.data.Dataset.from_tensor_slices((x_fit, y_fit))
             .shuffle(n, seed=seed, reshuffle_each_iteration=True).batch(batch_size))
    validation = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(batch_size)
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, min_delta=min_delta,
                                      restore_best_weights=True),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=lr_factor, patience=lr_patience, min_lr=min_lr),
    ]
    from tqdm.keras import TqdmCallback

    callbacks.append(TqdmCallback(epochs=max_epochs, verbose=0, leave=False, desc="epochs", unit="epoch"))
    if live_dir is not None:
        from dvclive import Live
        from dvclive.keras import DVCLiveCallback

        live = Live(str(live_dir), dvcyaml=None, save_dvc_exp=False)
        live.log_param(VALIDATION_ROWS, len(y_val))
        callbacks.append(DVCLiveCallback(live=live))
    try:
        history = model.fit(train, validation_data=validation, epochs=max_epochs, class_weight=class_weight,
                            callbacks=callbacks, shuffle=False, verbose=0)  # the dataset reshuffles itself, seeded
    except BaseException:
        if live_dir is not None:
            shutil.rmtree(live_dir, ignore_errors=True)
        raise
    return {**{k: [float(v) for v in values] for k, values in history.history.items()}, VALIDATION_ROWS: [len(y_val)]}


def read_live(live_dir: Path) -> dict[str, list[float]]:
    """The per-epoch history that :func:`fit` logged with dvclive under ``live_dir``, keyed as Keras names it
    (``loss``, ``val_loss``, ``accuracy``, ...): dvclive's ``train/<metric>`` and ``eval/<metric>`` files, and
    :data:`VALIDATION_ROWS` from its ``params.yaml``."""
    import yaml

    params = Path(live_dir) / "params.yaml"
    history = {VALIDATION_ROWS: [yaml.safe_load(params.read_text())[VALIDATION_ROWS]]} if params.exists() else {}
    for split, prefix in (("train", ""), ("eval", "val_")):
        for path in sorted((Path(live_dir) / "plots" / "metrics" / split).glob("*.tsv")):
            with path.open(newline="") as handle:
                history[prefix + path.stem] = [float(row[path.stem]) for row in csv.DictReader(handle, delimiter="\t")]
    return history

"""A progress bar for work that sklearn hands to joblib (grid searches, cross_val_predict), which has none.

joblib reports progress only by printing (``verbose``); :func:`joblib_bar` turns the count it keeps of finished
tasks into a tqdm bar instead. joblib calls ``Parallel.print_progress`` in the calling process each time a batch
of tasks finishes, so the bar counts fits in the worker processes too. This is the recipe the ``tqdm-joblib``
package ships, written here in a few lines rather than pinned as one more dependency.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from joblib.parallel import Parallel
from tqdm import tqdm


@contextmanager
def joblib_bar(total: int, desc: str, unit: str = "fit") -> Iterator[tqdm]:
    """A tqdm bar of ``total`` tasks, advanced as joblib finishes them inside the ``with`` block."""
    bar = tqdm(total=total, desc=desc, unit=unit)
    original = Parallel.print_progress

    def advance(parallel: Parallel) -> None:
        bar.update(parallel.n_completed_tasks - bar.n)
        original(parallel)

    Parallel.print_progress = advance
    try:
        yield bar
    finally:
        Parallel.print_progress = original
        bar.close()

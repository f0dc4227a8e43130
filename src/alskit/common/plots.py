"""Plot data in the shapes ``dvc plots`` templates read (lists of flat records), and PNG figures saved so that
an unchanged result gives byte-identical files."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import roc_curve


def pyplot():
    """matplotlib's pyplot on the Agg backend (no display needed)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_png(figure, path: str | Path, dpi: int) -> None:
    """Lay out, save without matplotlib's version stamp (so unchanged figures give identical bytes), close."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=dpi, format="png", metadata={"Software": None})
    pyplot().close(figure)


def roc_points(y_true: np.ndarray, p_positive: np.ndarray) -> list[dict[str, float]]:
    """ROC curve points ``{fpr, tpr, threshold}`` (sklearn's, first threshold capped at 1)."""
    fpr, tpr, thresholds = roc_curve(y_true, p_positive)
    return [{"fpr": float(f), "tpr": float(t), "threshold": float(min(th, 1.0))}
            for f, t, th in zip(fpr, tpr, thresholds)]


def confusion_rows(y_true: np.ndarray, y_pred: np.ndarray, names: dict[int, str]) -> list[dict[str, str]]:
    """One ``{actual, predicted}`` record per subject, for DVC's ``confusion`` template."""
    return [{"actual": names[int(a)], "predicted": names[int(b)]} for a, b in zip(y_true, y_pred)]


def history_rows(history: dict[str, list[float]]) -> list[dict[str, float]]:
    """Keras ``History.history`` as one record per epoch (``epoch`` counts from 1)."""
    n_epochs = len(next(iter(history.values()), []))
    return [{"epoch": i + 1, **{name: values[i] for name, values in history.items()}} for i in range(n_epochs)]

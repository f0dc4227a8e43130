"""The results report: one document model rendered twice, as Markdown (figures linked) and as a standalone HTML
page (figures embedded), plus the matplotlib figures it shows (saved by :func:`plots.save_png`).
"""
from __future__ import annotations

import base64
import html
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from alskit.common.io import STORED_DIGITS, read_json
from alskit.common.plots import colour as plots_colour, pyplot, save_png
from alskit.common.tables import class_bias
from alskit.common.uncertainty import interval


def _fixed(number: float, digits: int) -> str:
    """``number`` with ``digits`` decimals, rounded first to the decimals the metrics files keep, so that a chart
    label built from a freshly computed score and a report cell read back from the file print the same digits."""
    return f"{round(number, STORED_DIGITS):.{digits}f}"


def value(point: float | None, bounds: list[float] | None = None, digits: int = 3) -> str:
    """``0.867 [0.781, 0.940]``; ``n/a`` for a metric that could not be computed honestly."""
    if point is None:
        return "n/a"
    return _fixed(point, digits) + _interval(bounds, digits)


def mean_sd(summary: dict | None, bounds: list[float] | None = None) -> str:
    """``0.754 ± 0.059 [0.699, 0.810]`` from a ``{mean, std}`` CV summary."""
    if not summary or summary.get("mean") is None:
        return "n/a"
    return f"{_fixed(summary['mean'], 3)} ± {_fixed(summary['std'], 3)}" + _interval(bounds, 3)


def p_value(p: float) -> str:
    """``p = 0.031`` for a reader, ``p < 0.001`` below it (a p-value is never 0)."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def _interval(bounds: list[float] | None, digits: int) -> str:
    return f" [{_fixed(bounds[0], digits)}, {_fixed(bounds[1], digits)}]" if bounds else ""


class Document:
    """Headings, paragraphs, tables and figures, in order."""

    def __init__(self, title: str):
        self.blocks: list[tuple[str, Any]] = [("title", title)]

    def heading(self, text: str) -> None:
        self.blocks.append(("heading", text))

    def paragraph(self, text: str) -> None:
        self.blocks.append(("paragraph", text))

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(("table", (header, rows)))

    def figure(self, path: Path, caption: str) -> None:
        self.blocks.append(("figure", (Path(path), caption)))

    def markdown(self, base: Path) -> str:
        """Markdown with figures linked relative to ``base`` (the folder the file is written to)."""
        lines = []
        for kind, content in self.blocks:
            if kind == "title":
                lines += [f"# {content}", ""]
            elif kind == "heading":
                lines += [f"## {content}", ""]
            elif kind == "paragraph":
                lines += [content, ""]
            elif kind == "table":
                header, rows = content
                lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                lines += ["| " + " | ".join(row) + " |" for row in rows] + [""]
            else:
                path, caption = content
                lines += [f"![{caption}]({path.relative_to(base).as_posix()})", f"*{caption}*", ""]
        return "\n".join(lines)

    def html(self) -> str:
        """A standalone page: figures embedded as data URIs, so it opens anywhere, offline."""
        body = []
        for kind, content in self.blocks:
            if kind == "title":
                body.append(f"<h1>{html.escape(content)}</h1>")
            elif kind == "heading":
                body.append(f"<h2>{html.escape(content)}</h2>")
            elif kind == "paragraph":
                body.append(f"<p>{_inline(content)}</p>")
            elif kind == "table":
                header, rows = content
                cells = "".join(f"<th>{_inline(h)}</th>" for h in header)
                lines = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in rows)
                body.append(f"<table><thead><tr>{cells}</tr></thead><tbody>{lines}</tbody></table>")
            else:
                path, caption = content
                data = base64.b64encode(path.read_bytes()).decode()
                body.append(f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(caption)}">'
                            f"<figcaption>{html.escape(caption)}</figcaption></figure>")
        title = html.escape(self.blocks[0][1])
        return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
                f"<style>{_STYLE}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")


_STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}"
          "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;"
          "text-align:left}th{background:#eee}figure{margin:1.5em 0}img{max-width:100%}"
          "figcaption{font-style:italic;color:#444}code{background:#f3f3f3;padding:0 .2em}")


def _inline(text: str) -> str:
    """Escape, then render Markdown's `code` and **bold** spans."""
    out = html.escape(text)
    for mark, tag in (("**", "strong"), ("`", "code")):
        parts = out.split(mark)
        out = "".join(part if i % 2 == 0 else f"<{tag}>{part}</{tag}>" for i, part in enumerate(parts))
    return out


def _by_panel(rows: list[dict]) -> dict[str, dict[str, list[dict]]]:
    """Records grouped by ``panel`` then ``model``, both in order of first appearance."""
    grouped: dict[str, dict[str, list[dict]]] = {}
    for row in rows:
        grouped.setdefault(row["panel"], {}).setdefault(row["model"], []).append(row)
    return grouped


def _wrapped(text: str, width: int = 60) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def curves_grid_figure(folder: Path, title: str, path: Path) -> None:
    """Per panel (training set or split) a row of three charts from a study's chart files in ``folder``
    (``roc.json``, ``precision_recall.json``, ``calibration.json``: :func:`alskit.common.plots.curve_rows`
    records): ROC with the chance diagonal, precision-recall with the chance line (the share of the positive
    class, labelled from the data), calibration with the diagonal of perfect calibration and each bin's subjects
    written beside its point. One colour per model (:func:`alskit.common.plots.colour` of its ``order``, as in
    `dvc plots`); the legends, under each chart, carry AUROC, average precision and Brier score with their
    intervals."""
    plt = pyplot()
    kinds = {"roc": ("fpr", "tpr", "False positive rate", "True positive rate (sensitivity)"),
             "precision_recall": ("recall", "precision", "Recall (sensitivity)", "Precision (PPV)"),
             "calibration": ("predicted", "observed", "Mean predicted probability", "Observed share positive")}
    curves = {kind: read_json(folder / f"{kind}.json") for kind in kinds}
    panels = {kind: _by_panel(curves[kind]) for kind in kinds}
    names = list(panels["roc"])
    models = len({row["model"] for row in curves["roc"]})
    figure, axes = plt.subplots(len(names), 3, figsize=(15, (5.2 + 0.3 * models) * len(names)), squeeze=False,
                                layout="constrained")
    for row, panel in zip(axes, names):
        for axis, (kind, (x, y, x_label, y_label)) in zip(row, kinds.items()):
            for model, points in panels[kind].get(panel, {}).items():
                colour = plots_colour(points[0]["order"])
                axis.plot([r[x] for r in points], [r[y] for r in points], color=colour,
                          marker="o" if kind == "calibration" else None, markersize=3,
                          label=_wrapped(points[0]["label"]))
                if kind == "calibration":
                    for r in points:
                        axis.annotate(str(r["n"]), (r[x], r[y]), textcoords="offset points", xytext=(4, 4),
                                      fontsize=8, color=colour)
            if kind == "precision_recall":
                first = next(iter(panels[kind][panel].values()))[0]
                axis.axhline(first["prevalence"], color="grey", linestyle=":", linewidth=1,
                             label=first.get("chance_label", f"chance ({first['prevalence']:.3f})"))
            else:
                axis.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1,
                          label="chance" if kind == "roc" else "perfect calibration (numbers: subjects per bin)")
            axis.set(xlabel=x_label, ylabel=y_label, xlim=(0, 1), ylim=(0, 1.02))
            axis.set_title(f"{panel}: {kind.replace('_', '-').replace('roc', 'ROC')}", fontsize=10)
            axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=9, frameon=False)
    figure.suptitle(title, fontsize=12)
    save_png(figure, path, dpi=80)


def confusion_figure(rows: list[dict], title: str, path: Path) -> None:
    """One small confusion matrix per panel and model from the ``{actual, predicted, count}`` cells of
    :func:`alskit.common.plots.curve_rows`, counts written in the cells, titles wrapped to their matrix."""
    plt = pyplot()
    matrices = [(f"{model}\n{panel}", cells) for panel, models in _by_panel(rows).items()
                for model, cells in models.items()]
    classes = list(dict.fromkeys(cell["actual"] for cell in rows))
    columns = min(3, len(matrices))
    n_rows = int(np.ceil(len(matrices) / columns))
    figure, axes = plt.subplots(n_rows, columns, figsize=(4.2 * columns, 3.8 * n_rows), squeeze=False,
                                layout="constrained")
    for axis, (name, cells) in zip(axes.ravel(), matrices):
        counts = np.zeros((len(classes), len(classes)), dtype=int)
        for cell in cells:
            counts[classes.index(cell["actual"]), classes.index(cell["predicted"])] += cell["count"]
        axis.imshow(counts, cmap="Blues")
        for (i, j), n in np.ndenumerate(counts):
            axis.text(j, i, str(n), ha="center", va="center", color="white" if n > counts.max() / 2 else "black")
        axis.set(xticks=range(len(classes)), yticks=range(len(classes)), xticklabels=classes, yticklabels=classes,
                 xlabel="predicted", ylabel="actual")
        axis.set_title("\n".join(_wrapped(line, 34) for line in name.split("\n")), fontsize=9)
    for axis in axes.ravel()[len(matrices):]:
        axis.axis("off")
    figure.suptitle(title, fontsize=12)
    save_png(figure, path, dpi=90)


def training_figure(rows: list[dict], title: str, path: Path, flagged: dict | None = None) -> None:
    """Loss and accuracy per epoch (:func:`alskit.common.plots.history_rows` records): one row of two charts
    per network (``panel``), one colour per run (``curve``: a fold, or the final fit), solid for training and
    dashed for validation (both in the legend); runs named in ``flagged`` (``{panel: {curve: reason}}``, e.g.
    a collapsed fold) say so in the legend."""
    plt = pyplot()
    from matplotlib.lines import Line2D

    panels = list(dict.fromkeys(r["panel"] for r in rows))
    figure, axes = plt.subplots(len(panels), 2, figsize=(12, 3.6 * len(panels)), squeeze=False,
                                layout="constrained")
    for (loss, accuracy), panel in zip(axes, panels):
        runs = list(dict.fromkeys(r["curve"] for r in rows if r["panel"] == panel))
        for i, run in enumerate(runs):
            for split, style in (("training", "-"), ("validation", "--")):
                points = [r for r in rows if r["panel"] == panel and r["curve"] == run and r["split"] == split]
                for axis, metric in ((loss, "loss"), (accuracy, "accuracy")):
                    if points and metric in points[0]:
                        axis.plot([r["epoch"] for r in points], [r[metric] for r in points], linestyle=style,
                                  color=plots_colour(i), linewidth=1.3)
        note = (flagged or {}).get(panel, {})
        handles = [Line2D([], [], color=plots_colour(i), label=f"{run} ({note[run]})" if run in note else run)
                   for i, run in enumerate(runs)]
        handles += [Line2D([], [], color="black", linestyle=style, label=split)
                    for split, style in (("training", "-"), ("validation", "--"))]
        loss.set(xlabel="Epoch", ylabel="Loss (binary cross-entropy)")
        accuracy.set(xlabel="Epoch", ylabel="Accuracy")
        loss.set_title(f"{panel}: loss", fontsize=10)
        accuracy.set_title(f"{panel}: accuracy", fontsize=10)
        accuracy.legend(handles=handles, fontsize=8, loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    figure.suptitle(title, fontsize=12)
    save_png(figure, path, dpi=90)


def task_figure(aurocs: dict[str, dict[str, float | None]], path: Path) -> None:
    """AUROC per recording task (groups) and model (bars), with the chance line at 0.5."""
    plt = pyplot()
    tasks = list(dict.fromkeys(t for per_task in aurocs.values() for t in per_task))
    figure, axis = plt.subplots(figsize=(max(6.0, 1.1 * len(tasks) + 2), 4))
    width = 0.8 / max(1, len(aurocs))
    for i, (name, per_task) in enumerate(aurocs.items()):
        heights = [np.nan if per_task.get(t) is None else per_task[t] for t in tasks]
        axis.bar(np.arange(len(tasks)) + (i - (len(aurocs) - 1) / 2) * width, heights, width, label=name)
    axis.axhline(0.5, color="grey", linestyle=":", linewidth=1)
    axis.set(xticks=range(len(tasks)), ylim=(0, 1.02), ylabel="AUROC (per recording)", title="AUROC per task")
    axis.set_xticklabels(tasks, rotation=30, ha="right")
    axis.legend(fontsize=7, loc="lower right")
    save_png(figure, path, dpi=90)


def spread_figure(splits: dict[str, list[dict]], defaults: dict[str, dict[str, float | None]],
                  paper: dict[str, dict[str, float | None]], path: Path) -> None:
    """Test AUROC over split seeds: per model a panel, per training set a box (quartiles, whiskers to the
    extremes) over one point per split, the default split's value (diamond) and the paper's (cross)."""
    plt = pyplot()
    figure, axes = plt.subplots(1, len(splits), figsize=(4.2 * len(splits), 4), squeeze=False, sharey=True)
    for axis, (name, rows) in zip(axes[0], splits.items()):
        sets = list(dict.fromkeys(row["set"] for row in rows))
        values = [[row["auroc"] for row in rows if row["set"] == size] for size in sets]
        axis.boxplot(values, whis=(0, 100), widths=0.5, medianprops={"color": "black"})
        for i, column in enumerate(values, 1):
            offsets = np.linspace(-0.18, 0.18, len(column))  # evenly spread, not random: the figure is reproducible
            axis.scatter(i + offsets, column, s=6, alpha=0.4, color=plots_colour(i - 1))
        for marks, style in ((defaults[name], {"marker": "D", "color": "black", "label": "default split"}),
                             (paper[name], {"marker": "x", "s": 60, "color": "tab:red", "label": "paper"})):
            shown = [(i, marks[size]) for i, size in enumerate(sets, 1) if marks.get(size) is not None]
            if shown:
                axis.scatter(*zip(*shown), zorder=3, **style)
        axis.axhline(0.5, color="grey", linestyle=":", linewidth=1, label="chance")
        axis.set_xticks(range(1, len(sets) + 1))
        axis.set_xticklabels(sets, rotation=20)
        axis.set(title=name, ylim=(0, 1.02), xlabel="training set")
        axis.legend(fontsize=7, loc="lower right")
    splits_run = len({row["seed"] for row in next(iter(splits.values()))})
    axes[0][0].set_ylabel(f"test AUROC over {splits_run} splits")
    save_png(figure, path, dpi=90)


CELL_KINDS = {"empty": "empty cells (missing)", "missing_token": "missing tokens (missing)",
              "unparseable": "stray text (missing, `unparseable: missing`)", "decimal_comma": "decimal commas read",
              "censored_to_limit": "censored values set to the limit",
              "censored_to_half_limit": "censored values set to half the limit",
              "respelled": "spellings merged (case, spaces)", "recoded": "recoded (`recode`)"}
ROW_KINDS = {"blank_or_footnote": "blank or footnote rows dropped", "without_id": "rows without an ID dropped",
             "without_label": "rows without a label dropped", "without_outcome": "rows without an outcome dropped",
             "repeated_row": "repeated identical rows dropped", "incomplete": "incomplete rows dropped"}


def data_section(doc: Document, cleaning: dict[str, dict], audio: dict) -> None:
    """What reading and cleaning did to each input table, per class, from the cleaning metrics (each holds the
    ``cells`` / ``rows_dropped`` counts of :class:`alskit.common.tables.Ledger` and, where rows were dropped, the
    ``class_bias`` test), and to the recordings (``voice_audio``'s counts); a sentence flags cleaning that removed
    a larger share of one class than of another."""
    doc.heading("Data: every cell accounted for")
    doc.paragraph("What the readers did to each input table, per class (numbers of cells or rows). Cells not "
                  "listed were read as numbers or categories unchanged; the policies are the `read` blocks of "
                  "`params.yaml` (docs/data.md, \"Bringing your own files\").")
    rows = []
    for table, report in cleaning.items():
        for kind, columns in report.get("cells", {}).items():
            per_class = _sum_classes(columns.values())
            top = sorted(columns, key=lambda c: -sum(columns[c].values()))[:3]
            rows.append([table, CELL_KINDS.get(kind, kind), _classes(per_class),
                         ", ".join(top) + (f" and {len(columns) - 3} more" if len(columns) > 3 else "")])
        for kind, per_class in report.get("rows_dropped", {}).items():
            rows.append([table, ROW_KINDS.get(kind, kind), _classes(per_class), ""])
    doc.table(["Table", "What", "Per class", "Columns (most affected)"], rows or [["-", "nothing changed", "", ""]])
    for table, report in cleaning.items():
        bias = report.get("class_bias")
        if bias and bias.get("dropped_share"):
            shares = ", ".join(f"{100 * s:.0f}% of {c}" for c, s in bias["dropped_share"].items() if s is not None)
            if bias["flag"]:
                doc.paragraph(f"**{table}: cleaning is biased by class.** It dropped {shares} (Fisher's exact test "
                              f"{p_value(bias['p_value'])}): the rows analysed are not a random sample of the file, "
                              "and results describe the complete rows only.")
            elif any(bias["dropped_share"].values()):
                doc.paragraph(f"{table}: cleaning dropped {shares}; no evidence that one class lost more than "
                              f"the other (Fisher's exact test {p_value(bias['p_value'])}).")
    _audio_paragraph(doc, audio)


def _audio_paragraph(doc: Document, audio: dict) -> None:
    skipped = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in audio["skipped"].items() if n) or "none"
    fixed = ", ".join(f"{n} {kind}" for kind, n in audio["channels_replaced"].items() if n) or "none"
    missing = sum(audio["subjects_missing_tasks"].values())
    per_class = audio["by_class"]
    kept = "; ".join(f"{name} {c['recordings_out']} of {c['recordings_in']} recordings ({c['subjects_out']} "
                     f"subjects)" for name, c in per_class.items())
    text = (f"**Voice recordings.** {audio['recordings_in']} in, {audio['recordings_out']} kept ({kept}). "
            f"Skipped: {skipped}. Stereo taken from one channel: {fixed}. Truncated files read up to their end: "
            f"{audio['truncated_read']}; recordings with clipping: {audio['recordings_clipped']}; system files "
            f"ignored: {audio['system_files_ignored']}; subjects missing some tasks: {missing}; subjects with "
            f"recordings but no clinical row: {audio['subjects_without_clinical_row']}.")
    bias = class_bias({n: c["recordings_in"] for n, c in per_class.items()},
                      {n: c["recordings_out"] for n, c in per_class.items()})
    if bias["flag"]:
        text += (f" **Skipping is biased by class** (Fisher's exact test {p_value(bias['p_value'])}): the "
                 "recordings analysed are not a random sample of the cohort.")
    doc.paragraph(text)


def _sum_classes(counts) -> dict[str, int]:
    total: dict[str, int] = {}
    for per_class in counts:
        for name, n in per_class.items():
            total[name] = total.get(name, 0) + n
    return dict(sorted(total.items()))


def _classes(per_class: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in per_class.items())


def test_value(result: dict, metric: str) -> str:
    """A run's test ``metric`` with its interval (``result["test"]``), as the report's tables show it."""
    return value(result["test"].get(metric), interval(result["test"], metric))

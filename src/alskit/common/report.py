"""The results report: one document model rendered twice, as Markdown (figures linked) and as a standalone HTML
page (figures embedded), plus the matplotlib figures it shows (saved by :func:`plots.save_png`).
"""
from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import numpy as np

from alskit.common.plots import pyplot, save_png
from alskit.common.tables import class_bias


def value(point: float | None, interval: list[float] | None = None, digits: int = 3) -> str:
    """``0.867 [0.781, 0.940]``; ``n/a`` for a metric that could not be computed honestly."""
    if point is None:
        return "n/a"
    return f"{point:.{digits}f}" + _interval(interval, digits)


def mean_sd(summary: dict | None, interval: list[float] | None = None) -> str:
    """``0.754 ± 0.059 [0.699, 0.810]`` from a ``{mean, std}`` CV summary."""
    if not summary or summary.get("mean") is None:
        return "n/a"
    return f"{summary['mean']:.3f} ± {summary['std']:.3f}" + _interval(interval, 3)


def _interval(interval: list[float] | None, digits: int) -> str:
    return f" [{interval[0]:.{digits}f}, {interval[1]:.{digits}f}]" if interval else ""


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


def roc_figure(curves: dict[str, list[dict]], aurocs: dict[str, float | None], title: str, path: Path) -> None:
    """ROC curves (``{fpr, tpr}`` points, as ``dvc plots`` reads them) on one chart."""
    plt = pyplot()
    figure, axis = plt.subplots(figsize=(5.5, 5))
    for name, points in curves.items():
        axis.plot([p["fpr"] for p in points], [p["tpr"] for p in points], label=f"{name} ({value(aurocs.get(name))})")
    axis.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
    axis.set(xlabel="False positive rate", ylabel="True positive rate", title=title, xlim=(0, 1), ylim=(0, 1.01))
    axis.legend(loc="lower right", fontsize=8)
    save_png(figure, path, dpi=90)


def confusion_figure(matrices: dict[str, list[dict]], classes: list[str], title: str, path: Path) -> None:
    """One small confusion matrix per model from ``{actual, predicted}`` records."""
    plt = pyplot()
    columns = min(3, len(matrices))
    rows = int(np.ceil(len(matrices) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 3 * rows), squeeze=False)
    for axis, (name, records) in zip(axes.ravel(), matrices.items()):
        counts = np.zeros((len(classes), len(classes)), dtype=int)
        for record in records:
            counts[classes.index(record["actual"]), classes.index(record["predicted"])] += 1
        axis.imshow(counts, cmap="Blues")
        for (i, j), n in np.ndenumerate(counts):
            axis.text(j, i, str(n), ha="center", va="center", color="white" if n > counts.max() / 2 else "black")
        axis.set(xticks=range(len(classes)), yticks=range(len(classes)), xticklabels=classes, yticklabels=classes,
                 xlabel="predicted", ylabel="actual", title=name)
    for axis in axes.ravel()[len(matrices):]:
        axis.axis("off")
    figure.suptitle(title)
    save_png(figure, path, dpi=90)


def curves_figure(histories: dict[str, list[dict]], title: str, path: Path) -> None:
    """Training and validation loss and accuracy per epoch, one line pair per run."""
    plt = pyplot()
    figure, (loss, accuracy) = plt.subplots(1, 2, figsize=(10, 3.8))
    for name, rows in histories.items():
        epochs = [r["epoch"] for r in rows]
        for axis, metric in ((loss, "loss"), (accuracy, "accuracy")):
            line, = axis.plot(epochs, [r[metric] for r in rows], label=f"{name} training")
            axis.plot(epochs, [r[f"val_{metric}"] for r in rows], linestyle="--", color=line.get_color(),
                      label=f"{name} validation")
    loss.set(xlabel="epoch", ylabel="loss")
    accuracy.set(xlabel="epoch", ylabel="accuracy")
    accuracy.legend(fontsize=7)
    figure.suptitle(title)
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
        sets = [key for key in rows[0] if key != "seed"]
        values = [[row[size] for row in rows] for size in sets]
        axis.boxplot(values, whis=(0, 100), widths=0.5, medianprops={"color": "black"})
        for i, column in enumerate(values, 1):
            offsets = np.linspace(-0.18, 0.18, len(column))  # evenly spread, not random: the figure is reproducible
            axis.scatter(i + offsets, column, s=6, alpha=0.4, color="tab:blue")
        for marks, style in ((defaults[name], {"marker": "D", "color": "tab:orange", "label": "default split"}),
                             (paper[name], {"marker": "x", "s": 60, "color": "tab:red", "label": "paper"})):
            shown = [(i, marks[size]) for i, size in enumerate(sets, 1) if marks.get(size) is not None]
            if shown:
                axis.scatter(*zip(*shown), zorder=3, **style)
        axis.axhline(0.5, color="grey", linestyle=":", linewidth=1, label="chance")
        axis.set_xticks(range(1, len(sets) + 1))
        axis.set_xticklabels(sets, rotation=20)
        axis.set(title=name, ylim=(0, 1.02), xlabel="training set")
        axis.legend(fontsize=7, loc="lower right")
    axes[0][0].set_ylabel(f"test AUROC over {len(next(iter(splits.values())))} splits")
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
                  "`params.yaml` (README, \"Bringing your own files\").")
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
                              f"p = {bias['p_value']:.2g}): the rows analysed are not a random sample of the file, "
                              "and results describe the complete rows only.")
            elif any(bias["dropped_share"].values()):
                doc.paragraph(f"{table}: cleaning dropped {shares}; no evidence that one class lost more than "
                              f"the other (Fisher's exact test p = {bias['p_value']:.2g}).")
    _audio_paragraph(doc, audio)


def _audio_paragraph(doc: Document, audio: dict) -> None:
    skipped = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in audio["skipped"].items() if n) or "none"
    fixed = ", ".join(f"{n} {kind}" for kind, n in audio["channels_replaced"].items() if n) or "none"
    missing = sum(audio["subjects_missing_tasks"].values())
    per_class = audio["by_class"]
    kept = "; ".join(f"{name} {c['recordings_out']} of {c['recordings_in']} recordings ({c['subjects_out']} "
                     f"subjects)" for name, c in per_class.items())
    text = (f"**Seed 002 recordings.** {audio['recordings_in']} in, {audio['recordings_out']} kept ({kept}). "
            f"Skipped: {skipped}. Stereo taken from one channel: {fixed}. Truncated files read up to their end: "
            f"{audio['truncated_read']}; recordings with clipping: {audio['recordings_clipped']}; system files "
            f"ignored: {audio['system_files_ignored']}; subjects missing some tasks: {missing}; subjects with "
            f"recordings but no clinical row: {audio['subjects_without_clinical_row']}.")
    bias = class_bias({n: c["recordings_in"] for n, c in per_class.items()},
                      {n: c["recordings_out"] for n, c in per_class.items()})
    if bias["flag"]:
        text += (f" **Skipping is biased by class** (Fisher's exact test p = {bias['p_value']:.2g}): the "
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
    return value(result["test"].get(metric), result["test"].get(f"{metric}_ci"))

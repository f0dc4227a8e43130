"""The results report's document: how numbers are written (a value with its interval, mean ± sd, a p-value,
a paper's number beside this pipeline's) and one document model rendered twice, as Markdown (figures linked) and as
a standalone HTML page (figures embedded).
"""
from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

from alskit.common.io import STORED_DIGITS
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


def paper_here(paper: float | None, here: str) -> str:
    """A table cell ``paper / here``: the paper's number (``-`` where the paper does not report it) beside this
    pipeline's, written by the caller (``here``)."""
    return f"{'-' if paper is None else value(paper)} / {here}"


def audit_paragraph(found: dict, people: str, preprocessing: str, notes: str = "") -> str:
    """A study's "Audit." paragraph from its findings in ``metrics/audit.json``: the same sentences in the same
    order for every study (a check the study does not run is left out). ``people``: who the subjects are
    ("Subjects", "Patients"); ``preprocessing``: what the fit-on-test check looked at; ``notes``: the study's own
    closing sentences."""
    sides = []
    if "subjects_in_train_and_test" in found:
        sides.append(f"in both the training and the test split: {found['subjects_in_train_and_test']['count']}")
    if "subjects_in_several_folds" in found:
        several = sum(v["count"] for v in found["subjects_in_several_folds"].values())
        sides.append(f"in more than one CV fold: {several}")
    by_design, auroc = found["missing_by_design"], found["missingness_only_auroc"]
    classes = sorted(set(found.get("missing_by_design_columns", {}).values()))
    text = (f"**Audit.** {people} {'; '.join(sides)}. Columns missing by design for one class: {by_design}"
            + (f" (blank for every {', '.join(classes)} subject)" if by_design and classes else "")
            + f". A model that sees only which cells are missing reaches AUROC {value(auroc)} (0.5 = no information)")
    if auroc is not None and auroc >= 0.9:
        text += ": the blank cells alone name the class, so a near-perfect score that reads them says nothing more"
    text += f". {preprocessing} fit on the rows they scored: {found['preprocessing_fit_on_test_rows']['count']}."
    return text + (f" {notes}" if notes else "")


def test_value(result: dict, metric: str) -> str:
    """A run's test ``metric`` with its interval (``result["test"]``), as the report's tables show it."""
    return value(result["test"].get(metric), interval(result["test"], metric))


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

"""`dvc plots show` that works offline, and a headless-Chromium check that every declared plot drew.

DVC's default plots page loads Vega from a CDN, so on a clinic's offline network it is blank. Commands:

  python tools/dvc_plots.py template .dvc/plots.html
      Writes DVC's page template with Vega, Vega-Lite and vega-embed inlined (vl-convert's offline bundle);
      `.dvc/config` points `plots.html_template` at it. `make setup` runs this.

  python tools/dvc_plots.py templates .dvc/plots
      Writes the chart templates from alskit.common.templates (committed; a test checks they match).

  python tools/dvc_plots.py check OUTPUT_DIR [--repo DIR] [--diff REV ...] [--browser]
      Renders every plot DVC declares (`dvc plots show`, or `dvc plots diff REV ...` to check two revisions
      overlaid) and reports whether each drew: a Vega chart with data marks (lines, cells, labels; not only
      axes), or an image that opens. By default with vl-convert (no browser needed): one PNG per plot in
      OUTPUT_DIR/png/; with --browser, the HTML page in headless Chromium and a full-page screenshot.
      Writes OUTPUT_DIR/render_status.json; exits 1 if a plot did not draw.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# DVC's templates are Vega-Lite v5 specs; the bundle's Vega-Lite matches them.
VEGA_LITE_VERSION = "5.21"
STATUS_ID = "plot-render-status"
# Runs after the page has loaded and vega-embed has drawn: one entry per plot div (DVC gives each an id).
STATUS_SCRIPT = """
<script>
window.addEventListener("load", () => setTimeout(() => {
  const inked = canvas => {
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] > 0 && (pixels[i] < 250 || pixels[i + 1] < 250 || pixels[i + 2] < 250)) count++;
    }
    return count;
  };
  const plots = [...document.querySelectorAll("body > div[id]")].map(div => {
    const canvases = [...div.querySelectorAll("canvas")].filter(c => c.width > 0 && c.height > 0);
    const marks = [...div.querySelectorAll("svg.marks g.role-mark > *")]
      .filter(item => item.tagName !== "path" || (item.getAttribute("d") || "").length > 2);
    const images = [...div.querySelectorAll("img")];
    return {id: div.id, data_marks: marks.length, canvas_pixels: canvases.reduce((n, c) => n + inked(c), 0),
            images: images.length, images_loaded: images.filter(i => i.complete && i.naturalWidth > 0).length};
  });
  const status = document.createElement("pre");
  status.id = "%s";
  status.textContent = JSON.stringify({plots, height: document.documentElement.scrollHeight});
  document.body.appendChild(status);
}, 1000));
</script>
""" % STATUS_ID
# Vega draws SVG here; were it a canvas, a chart with fewer non-white pixels than this drew an empty frame.
MIN_CANVAS_PIXELS = 5000


def offline_template() -> str:
    """DVC's page template (``{plot_divs}``, ``{refresh_tag}``) with the Vega libraries inlined.

    The ``{scripts}`` placeholder is left out on purpose: DVC fills it with the CDN ``<script src>`` tags.
    """
    import vl_convert

    bundle = vl_convert.javascript_bundle(vl_version=VEGA_LITE_VERSION).replace("</script", "<\\/script")
    for placeholder in ("{plot_divs}", "{refresh_tag}", "{scripts}"):
        if placeholder in bundle:
            raise RuntimeError(f"the Vega bundle contains DVC's placeholder {placeholder}")
    return f"""<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    {{refresh_tag}}
    <title>DVC plots</title>
    <script>{bundle}</script>
    <style>
        body {{ font-family: sans-serif; }}
        table {{ border-spacing: 15px; }}
    </style>
</head>
<body>
    {{plot_divs}}
</body>
</html>
"""


def write_template(path: Path) -> None:
    """Write :func:`offline_template` to ``path`` via a temporary file (never a half-written template)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(".alskit-tmp." + path.name)  # git-ignored if a kill leaves it
    staged.write_text(offline_template(), encoding="utf8")
    staged.replace(path)


def dvc(repo: Path, *args: str) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "dvc"), *args]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True)


def plots_json(repo: Path, revisions: list[str]) -> dict:
    """`dvc plots show --json`, or `dvc plots diff REVISIONS --json`. An error stops the check, except in a diff,
    where a file one revision lacks (a chart added since) is noted and drawn from the other."""
    command = ["plots", "diff", *revisions, "--json"] if revisions else ["plots", "show", "--json"]
    shown = dvc(repo, *command)
    if shown.returncode != 0:
        raise SystemExit(f"dvc {' '.join(command)} failed in {repo}: {shown.stderr.strip()}")
    plots = json.loads(shown.stdout)
    if plots.get("errors") and not revisions:
        raise SystemExit("; ".join(f"{error['name']}: {error['msg']}" for error in plots["errors"]))
    for error in plots.get("errors", []):
        print(f"note: {error.get('rev', '')} {error['name']}: {error['msg'].splitlines()[0][:200]}")
    return plots


def render(repo: Path, output: Path) -> tuple[list[str], Path]:
    """Run `dvc plots show -o output`; return the ids of the plots DVC declares and the page written."""
    ids = list(plots_json(repo, [])["data"])
    page = dvc(repo, "plots", "show", "-o", str(output))
    if page.returncode != 0 or "failed to load" in page.stderr:
        raise SystemExit(f"dvc plots show failed in {repo}: {page.stderr.strip()}")
    return ids, output / "index.html"


def check_with_vl_convert(repo: Path, output: Path, revisions: list[str]) -> tuple[list[str], dict]:
    """Render each plot of `dvc plots show --json` (or `dvc plots diff REVS --json`) with vl-convert into
    ``output/png/<id>.png``; ``(ids, {"plots": [...], "failed": [...]})`` as :func:`check_page` gives."""
    import vl_convert
    from PIL import Image

    plots = plots_json(repo, revisions)
    folder = output / "png"
    folder.mkdir(parents=True, exist_ok=True)
    entries, failed = [], []
    for plot_id in [plot_id for plot_id, renders in plots["data"].items() if not renders and revisions]:
        print(f"note: {plot_id}: in none of the revisions as declared (a folder one revision lacks)")
        del plots["data"][plot_id]
    for plot_id, renders in plots["data"].items():
        entry = {"id": _div_id(plot_id), "data_marks": 0, "images": 0, "images_loaded": 0}
        for index, rendered in enumerate(renders):
            if rendered["type"] == "image":
                entry["images"] += 1
                try:
                    with Image.open(rendered["url"]) as image:
                        image.verify()
                    entry["images_loaded"] += 1
                except (OSError, ValueError):
                    pass
                continue
            spec = json.dumps(rendered["content"])
            try:
                entry["data_marks"] += _data_marks(vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION))
                png = vl_convert.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=1)
            except ValueError as error:   # Vega-Lite refused the spec: the plot did not draw
                entry["error"] = str(error).splitlines()[1 if "\n" in str(error) else 0][:300]
                continue
            name = entry["id"] + (f"_{index}" if len(renders) > 1 else "")
            (folder / f"{name}.png").write_bytes(png)
        entry["drew"] = (entry["images"] > 0 and entry["images_loaded"] == entry["images"]) or (
            entry["images"] == 0 and entry["data_marks"] > 0)
        entries.append(entry)
        if not entry["drew"]:
            failed.append(plot_id)
    return list(plots["data"]), {"plots": entries, "failed": failed}


def _data_marks(svg: str) -> int:
    """Items drawn by Vega's data marks (``role-mark`` groups: lines, cells, bars, labels) in ``svg``; axes,
    legends and titles have other roles. An empty path (``d=""``) draws nothing."""
    import xml.etree.ElementTree as ElementTree

    count = 0
    for group in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}g"):
        if "role-mark" in (group.get("class") or "").split():
            count += sum(1 for item in group if not item.tag.endswith("}g") or len(item)
                         if (item.get("d") is None or len(item.get("d")) > 2))
    return count


def chromium() -> str:
    """The Chromium binary: $CHROMIUM, else `chromium` or `chromium-browser` on PATH (Debian: apt install chromium)."""
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    raise FileNotFoundError("no Chromium found: install Debian's `chromium` or set CHROMIUM to its path")


def _headless(page: Path, *options: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--allow-file-access-from-files", f"--user-data-dir={profile}", "--virtual-time-budget=20000",
             *options, page.resolve().as_uri()],
            capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        raise RuntimeError(f"chromium failed on {page}: {result.stderr.strip()[-2000:]}")
    return result.stdout


def check_page(page: Path, plot_ids: list[str], screenshot: Path, width: int = 1400) -> dict:
    """Open ``page`` in headless Chromium; ``{"plots": [...], "failed": [...]}`` with one entry per plot id.

    A Vega plot drew if it holds at least one data mark (a line, bar, cell or label, not just axes and
    legend; or :data:`MIN_CANVAS_PIXELS` inked pixels, were Vega to draw on a canvas); an image plot if
    every image loaded. A declared plot with no div on the page failed too. Saves a full-page screenshot.
    """
    probe = page.with_name("render_check.html")
    source = page.read_text(encoding="utf8")
    end = source.rindex("</body>")   # the last one: the inlined Vega bundle holds the string too
    probe.write_text(source[:end] + STATUS_SCRIPT + source[end:], encoding="utf8")
    try:
        dom = _headless(probe, "--dump-dom")
        found = re.search(f'<pre id="{STATUS_ID}">(.*?)</pre>', dom, re.S)
        if not found:
            raise RuntimeError(f"{page}: the page did not finish loading in headless Chromium")
        status = json.loads(html.unescape(found.group(1)))
        height = min(max(status["height"], 600), 30000)
        _headless(page, f"--screenshot={screenshot.resolve()}", f"--window-size={width},{height}")
    finally:
        probe.unlink()
    drawn = {plot["id"]: plot for plot in status["plots"]}
    for plot in drawn.values():
        plot["drew"] = (plot["images"] > 0 and plot["images_loaded"] == plot["images"]) or (
            plot["images"] == 0 and (plot["data_marks"] > 0 or plot["canvas_pixels"] >= MIN_CANVAS_PIXELS))
    expected = [_div_id(plot_id) for plot_id in plot_ids]
    failed = [plot_id for plot_id, div in zip(plot_ids, expected) if not drawn.get(div, {}).get("drew")]
    return {"plots": [drawn.get(div, {"id": div, "missing": True}) for div in expected], "failed": failed}


def _div_id(plot_id: str) -> str:
    """The id of the div DVC renders a plot into."""
    from dvc_render.base import Renderer

    return Renderer.remove_special_chars(plot_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    template = commands.add_parser("template", help="write the offline page template")
    template.add_argument("path", type=Path)
    templates = commands.add_parser("templates", help="write the chart templates")
    templates.add_argument("folder", type=Path)
    check = commands.add_parser("check", help="render `dvc plots show` and check every plot drew")
    check.add_argument("output", type=Path)
    check.add_argument("--repo", type=Path, default=Path.cwd())
    check.add_argument("--diff", nargs="+", default=[], metavar="REV", help="render `dvc plots diff REV ...`")
    check.add_argument("--browser", action="store_true", help="the HTML page in headless Chromium instead")
    args = parser.parse_args()
    if args.command == "template":
        write_template(args.path)
        print(f"{args.path}: offline plots template written")
        return
    if args.command == "templates":
        from alskit.common import templates as chart_templates

        chart_templates.write_all(args.folder)
        print(f"{args.folder}: {len(chart_templates.TEMPLATES)} chart templates written")
        return
    args.output = args.output.resolve()
    if args.browser:
        ids, page = render(args.repo, args.output)
        try:
            report = check_page(page, ids, args.output / "screenshot.png")
        except (FileNotFoundError, RuntimeError, subprocess.TimeoutExpired) as error:
            sys.exit(f"error: {error}")
        where = f"page {page}, screenshot {args.output / 'screenshot.png'}"
    else:
        ids, report = check_with_vl_convert(args.repo, args.output, args.diff)
        where = f"one PNG per plot in {args.output / 'png'}"
    (args.output / "render_status.json").write_text(json.dumps(report, indent=2) + "\n")
    errors = {plot["id"]: plot.get("error") for plot in report["plots"]}
    for plot_id in ids:
        failed = plot_id in report["failed"]
        error = errors.get(_div_id(plot_id))
        print(f"{'FAILED' if failed else 'drew':6} {plot_id}" + (f": {error}" if failed and error else ""))
    print(f"{len(ids) - len(report['failed'])} of {len(ids)} plots drew; {where}")
    if report["failed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

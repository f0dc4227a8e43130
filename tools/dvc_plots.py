"""`dvc plots show` that works offline, and a headless-Chromium check that every declared plot drew.

DVC's default plots page loads Vega from a CDN, so on a clinic's offline network it is blank. Two commands:

  python tools/dvc_plots.py template .dvc/plots.html
      Writes DVC's page template with Vega, Vega-Lite and vega-embed inlined (vl-convert's offline bundle);
      `.dvc/config` points `plots.html_template` at it. `make setup` runs this.

  python tools/dvc_plots.py check OUTPUT_DIR [--repo DIR]
      Runs `dvc plots show -o OUTPUT_DIR`, opens the page in headless Chromium and reports, for every plot
      DVC declares, whether it drew: a Vega chart with marks on its canvas, or every image loaded. Writes
      OUTPUT_DIR/render_status.json and a full-page OUTPUT_DIR/screenshot.png; exits 1 if a plot did not draw.
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


def render(repo: Path, output: Path) -> tuple[list[str], Path]:
    """Run `dvc plots show -o output`; return the ids of the plots DVC declares and the page written."""
    shown = dvc(repo, "plots", "show", "--json")
    if shown.returncode != 0:
        raise SystemExit(f"dvc plots show --json failed in {repo}: {shown.stderr.strip()}")
    plots = json.loads(shown.stdout)
    if plots.get("errors"):
        raise SystemExit("; ".join(f"{error['name']}: {error['msg']}" for error in plots["errors"]))
    ids = list(plots["data"])
    page = dvc(repo, "plots", "show", "-o", str(output))
    if page.returncode != 0 or "failed to load" in page.stderr:
        raise SystemExit(f"dvc plots show failed in {repo}: {page.stderr.strip()}")
    return ids, output / "index.html"


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
    check = commands.add_parser("check", help="render `dvc plots show` and check every plot drew")
    check.add_argument("output", type=Path)
    check.add_argument("--repo", type=Path, default=Path.cwd())
    args = parser.parse_args()
    if args.command == "template":
        write_template(args.path)
        print(f"{args.path}: offline plots template written")
        return
    args.output = args.output.resolve()
    ids, page = render(args.repo, args.output)
    try:
        report = check_page(page, ids, args.output / "screenshot.png")
    except (FileNotFoundError, RuntimeError, subprocess.TimeoutExpired) as error:
        sys.exit(f"error: {error}")
    (args.output / "render_status.json").write_text(json.dumps(report, indent=2) + "\n")
    for plot_id in ids:
        print(f"{'FAILED' if plot_id in report['failed'] else 'drew':6} {plot_id}")
    print(f"{len(ids) - len(report['failed'])} of {len(ids)} plots drew; page {page}, "
          f"screenshot {args.output / 'screenshot.png'}")
    if report["failed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""dvc.yaml declares, for each stage, exactly the library modules its script runs.

A stage missing a module would not rerun when that module changes (stale results); an extra one
would rerun for nothing. `make deps` (tools/dvc_deps.py) writes them from the imports, followed transitively
through the installed `alskit` package (``src/alskit``); these tests check the committed file agrees and that the
tool finds what it must. Package ``__init__`` files hold only their docstrings, so they are not dependencies.
"""
import ast
import sys

import yaml

from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
import dvc_deps  # noqa: E402
from dvc_deps import closure  # noqa: E402

PACKAGE = REPO / "src" / "alskit"


def test_every_stage_depends_on_the_modules_it_imports():
    stages = yaml.safe_load((REPO / "dvc.yaml").read_text())["stages"]
    assert stages
    for name, stage in stages.items():
        body = stage.get("do", stage)
        deps = body["deps"]
        scripts = [d for d in deps if d.startswith("stages/") and d.count("/") == 1]
        assert len(scripts) == 1, f"{name}: expected its script among deps"
        assert body["cmd"].startswith(f"python {scripts[0]} "), f"{name}: cmd does not run {scripts[0]}"
        declared = {REPO / d for d in deps if d.startswith("src/")}
        assert declared, f"{name}: no library deps"
        assert declared == closure(REPO / scripts[0]), f"{name}: library deps differ from its imports"


def test_package_inits_hold_only_docstrings():
    """An ``__init__`` runs on every import of its package but is no declared dependency: it must do nothing."""
    for init in PACKAGE.rglob("__init__.py"):
        body = ast.parse(init.read_text()).body
        assert len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant), init


def test_the_closure_follows_imports_through_the_study_packages():
    """A stage importing a study module depends on what that module imports from ``common``."""
    found = closure(REPO / "stages" / "bdb_spread.py")
    assert PACKAGE / "bdb" / "spread.py" in found
    assert PACKAGE / "bdb" / "synthetic.py" in found      # through alskit.bdb.spread
    assert PACKAGE / "common" / "cli.py" in found          # through almost everything
    assert not any(p.parts[-2] in ("voice", "prognosis") for p in found)


def test_the_committed_dvc_yaml_is_in_the_written_form(capsys):
    assert dvc_deps.main(["--check", str(REPO / "dvc.yaml")]) == 0, capsys.readouterr().out


def test_make_deps_restores_a_removed_module_and_drops_an_extra_one(tmp_path, capsys):
    text = (REPO / "dvc.yaml").read_text()
    planted = text.replace("src/alskit/bdb/synthetic.py, ", "", 1).replace(
        "src/alskit/bdb/cohort.py, src/alskit/common/cli.py,", "src/alskit/bdb/cohort.py, src/alskit/voice/cnn.py, "
        "src/alskit/common/cli.py,", 1)
    assert planted.count("src/alskit/voice/cnn.py") == text.count("src/alskit/voice/cnn.py") + 1
    path = tmp_path / "dvc.yaml"
    path.write_text(planted)
    assert dvc_deps.main(["--check", str(path)]) == 1
    assert "differ from its imports; run `make deps`" in capsys.readouterr().out
    assert dvc_deps.main([str(path)]) == 0
    assert path.read_text() == text
    assert yaml.safe_load(path.read_text()) == yaml.safe_load(text)


def test_the_charts_titles_and_axes_come_from_the_studies_registries():
    """Every study's curve and confusion charts read their title and axes from ``${charts...}`` variables, which
    `python tools/dvc_plots.py templates .dvc/plots` writes from the registries (alskit.charts); none is typed."""
    from alskit import charts
    from alskit.common.plots import CHARTS

    assert (REPO / ".dvc/plots/titles.yaml").read_text() == charts.render(), \
        ".dvc/plots/titles.yaml is stale: run python tools/dvc_plots.py templates .dvc/plots"
    assert ".dvc/plots/titles.yaml" in yaml.safe_load((REPO / "dvc.yaml").read_text())["vars"]
    specs = {path: spec for entry in yaml.safe_load((REPO / "dvc.yaml").read_text())["plots"]
             if isinstance(entry, dict) for path, spec in entry.items()}
    found = 0
    for study in charts.STUDIES:
        for kind in CHARTS:
            path = next(p for p in (f"plots/{study}/{kind}.json", f"plots/{study}/evaluation/{kind}.json")
                        if p in specs)
            assert specs[path]["title"] == f"${{charts.{study}.{kind}}}", path
            assert {specs[path][key] for key in ("x", "y", "x_label", "y_label")} == \
                {f"${{charts.axes.{kind}.{key}}}" for key in ("x", "y", "x_label", "y_label")}, path
            found += 1
    assert found == len(charts.STUDIES) * len(CHARTS)
    words = charts.words()["charts"]
    assert words["bdb"]["roc"] == "BDB: ROC, real held-out half (legend: AUROC [95% interval]; dashed: chance)"
    assert words["axes"]["calibration"]["x"] == "predicted"

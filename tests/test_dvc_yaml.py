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
    assert (tmp_path / ".dvc/registry.yaml").read_text() == (REPO / ".dvc/registry.yaml").read_text()


def _variable(words: dict, name: str):
    """The value of ``${a.b.c}`` in the registry's variables (KeyError if it names nothing)."""
    value = words
    for part in name[2:-1].split("."):
        value = value[part]
    return value


def test_every_chart_title_and_axis_comes_from_the_studies_registries():
    """Every declared chart reads its title, fields and axis labels from ``${charts...}`` variables, which
    `make deps` writes from the registries (alskit.registry) into .dvc/registry.yaml; none is typed in dvc.yaml,
    each names a variable that exists, and every chart a study's registry lists has its title used."""
    from alskit import registry

    assert (REPO / registry.PATH).read_text() == registry.render(), f"{registry.PATH} is stale: run make deps"
    dvc = yaml.safe_load((REPO / "dvc.yaml").read_text())
    assert registry.PATH in dvc["vars"]
    words, used = registry.words(), set()
    for entry in dvc["plots"]:
        if isinstance(entry, str):
            assert entry.endswith(".png"), entry   # an image has no words of its own
            continue
        (plot, spec), = entry.items()
        fields = list(spec["y"].values()) if isinstance(spec.get("y"), dict) else [spec["y"]] if "y" in spec else []
        for key, value in [(key, spec[key]) for key in ("title", "x", "x_label", "y_label") if key in spec] + \
                [("y", field) for field in fields]:
            assert isinstance(value, str) and value.startswith("${charts.") and value.endswith("}"), \
                f"{plot}: {key} typed in dvc.yaml ({value!r})"
            _variable(words, value)
            used.add(value)
        assert "title" in spec, f"{plot}: no title"
    titles = {f"${{charts.{key}.{kind}}}" for key, study in registry.STUDIES.items()
              for kind in registry.charted(study)}
    assert titles <= used, f"titles of charts the registries list but dvc.yaml does not draw: {titles - used}"
    assert words["charts"]["bdb"]["roc"] == \
        "BDB: ROC, real held-out half (legend: AUROC [95% interval]; dashed: chance)"
    assert words["charts"]["axes"]["pca"]["y"] == ["explained", "cumulative"]


def test_the_bdb_subgroups_stage_reads_the_headline_run_the_registry_names():
    from alskit import registry
    from alskit.bdb.config import HEADLINE

    dvc = yaml.safe_load((REPO / "dvc.yaml").read_text())
    path = dvc["stages"]["subgroups"]["foreach"]["bdb"]["predictions"]
    assert path == "data/bdb/models/${headline.bdb}/test_predictions.csv"
    training_set, model = HEADLINE
    assert registry.words()["headline"]["bdb"] == f"{model}_{training_set}" == "adaboost_x20"

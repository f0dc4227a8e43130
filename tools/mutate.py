"""Mutation testing of the statistical and leakage core, one module at a time, with mutmut.

mutmut changes one thing at a time in a module (``<`` for ``<=``, ``0.5`` for ``1.5``, a dropped argument) and
runs the unit tests that call the changed function; a mutant the tests do not notice ("survived") is a bug that
would have produced a wrong number without failing a test. The modules, the tests each one runs and the
mutants judged equivalent (they cannot change any output; each with its reason) are listed in
``tests/mutation.yaml``; a run prints only the survivors not listed there, and exits 1 if there are any.

Usage: python tools/mutate.py [MODULE] [--fresh] [--max-children N]   (make mutate MODULE=... [FRESH=1])
  (no MODULE)   list the modules, with the result of each one's last run here
  MODULE        mutate that module (``all``: every module, one after the other)
  --docs        write each module's last result here into the table of docs/testing.md

Each module works in ``.mutmut/<module>/`` (git-ignored): a copy of the tracked files and mutmut's own
``mutants/`` folder, kept between runs: a rerun tests the mutants of functions that changed and retests every
mutant not detected before (``--fresh`` tests all of them again).
"""
from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "tests" / "mutation.yaml"
WORK = REPO / ".mutmut"
MUTMUT = str(Path(sys.executable).parent / "mutmut")
# What the tests read beside src/ and tests/ (mutmut copies these into its mutants/ folder).
ALSO_COPY = ["params.yaml", "pytest.ini", "dvc.yaml", "reports/", "stages/", "tools/"]
# Fixed test order and no cache: a mutant's verdict must not depend on what ran before it.
PYTEST_ARGS = ["-p", "no:randomly", "-p", "no:cacheprovider", "-m", "not slow"]
DETECTED = {"killed", "timeout", "caught by type check"}
# Statements left unmutated: log lines and the text of user errors. Their wording is not a number (the bad-input
# tests match each message's key phrase); mutating every word of them would bury the mutants that matter.
NOT_MUTATED = [r"^\s*log\.\w+\(", r"^\s*raise UserError\("]


def load_registry() -> dict:
    """``tests/mutation.yaml``: ``modules`` (name -> source, tests, why, and optionally the ``functions`` to mutate,
    every function otherwise) and ``equivalent`` (mutant -> mutated line, why)."""
    registry = yaml.safe_load(REGISTRY.read_text())
    registry.setdefault("equivalent", {})
    return registry


def sync(work: Path) -> None:
    """Copy the files git tracks (or would track) into ``work``, leaving unchanged files' times alone, so
    that mutmut sees only what changed since its last run there."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source, target = REPO / name, work / name
        if not source.is_file():
            continue
        if target.exists() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def write_config(work: Path, module: dict) -> None:
    """mutmut's settings for this module (``setup.cfg`` of the work folder): what to mutate, which tests. Mutants
    run in processes forked from a server that holds no pytest state: tests that start joblib workers would
    otherwise leave children in mutmut's own process (its worker bookkeeping stops on them)."""
    def listing(values: list[str]) -> str:
        return "".join(f"\n    {value}" for value in values)
    (work / "setup.cfg").write_text(
        "[mutmut]\nsource_paths=src\nprocess_isolation=forkserver\n"
        f"only_mutate={module['source']}\n"
        f"pytest_add_cli_args_test_selection={listing(module['tests'])}\n"
        f"pytest_add_cli_args={listing(PYTEST_ARGS)}\n"
        f"also_copy={listing(ALSO_COPY)}\n"
        f"do_not_mutate_patterns={listing(NOT_MUTATED + module.get('not_mutated', []))}\n")


def drop_broken_mutants(work: Path, module: dict) -> None:
    """Delete the module's mutated copy if it does not compile (an empty file is what a mutmut run stopped while
    writing it leaves): mutmut would keep it, being newer than the source, and every test would then fail to
    import the module ("failed to collect stats")."""
    copy = work / "mutants" / module["source"]
    try:
        compile(copy.read_text(), str(copy), "exec")
        broken = copy.stat().st_size == 0
    except FileNotFoundError:
        return
    except SyntaxError:
        broken = True
    if broken:
        print(f"mutate: {copy.relative_to(REPO)} is empty or broken (an interrupted run); generating it again")
        copy.unlink()


def statuses(work: Path) -> dict[str, str]:
    """Every mutant of the work folder with mutmut's verdict on it."""
    listed = subprocess.run([MUTMUT, "results", "--all", "true"], cwd=work, capture_output=True, text=True,
                            check=True).stdout
    return dict(re.findall(r"^\s+(\S+__mutmut_\d+): (.+)$", listed, flags=re.MULTILINE))


def mutated_line(work: Path, mutant: str) -> str:
    """The line the mutant changes, as it reads mutated (the ``+`` line of ``mutmut show``), stripped."""
    shown = subprocess.run([MUTMUT, "show", mutant], cwd=work, capture_output=True, text=True, check=True).stdout
    added = [line[1:].strip() for line in shown.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return " / ".join(added)


def judge(work: Path, found: dict[str, str], equivalent: dict) -> dict:
    """Split the undetected mutants into the equivalent ones listed in the registry (whose mutated line
    still reads as recorded) and the rest; name listed mutants that no longer survive or changed."""
    survivors, listed, stale = [], [], []
    for mutant, status in sorted(found.items()):
        if status in DETECTED:
            if mutant in equivalent:
                stale.append(f"{mutant}: now {status}; remove it from {REGISTRY.name}")
            continue
        line = mutated_line(work, mutant)
        if mutant in equivalent and equivalent[mutant]["mutated"] == line:
            listed.append(mutant)
        else:
            if mutant in equivalent:
                stale.append(f"{mutant}: its mutated line changed; judge it again")
            survivors.append((mutant, status, line))
    return {"survivors": survivors, "equivalent": listed, "stale": stale}


def mutate(name: str, module: dict, equivalent: dict, max_children: int, fresh: bool) -> dict:
    """Run mutmut on one module; print its survivors not listed as equivalent; return the summary."""
    work = WORK / name
    if fresh:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    sync(work)
    drop_broken_mutants(work, module)
    write_config(work, module)
    print(f"mutate {name}: {module['source']} against {', '.join(module['tests'])}", flush=True)
    started = time.monotonic()
    selected = [f"{module_prefix(module)}{mangled(function)}__mutmut_*" for function in module.get("functions", [])]
    source = hashlib.sha256((REPO / module["source"]).read_bytes()).hexdigest()
    last = work / "summary.json"
    unchanged = last.exists() and json.loads(last.read_text()).get("source_sha256") == source
    if not (selected and unchanged):
        run_mutmut(name, work, max_children, *selected)   # new or changed mutants (all of the named functions)
    # mutmut keeps a verdict until the function changes: retest the undetected mutants against today's tests
    undetected = [mutant for mutant, status in statuses(work).items()
                  if status not in DETECTED and chosen(mutant, selected)]
    if undetected and (unchanged or not selected):
        print(f"mutate {name}: retesting {len(undetected)} mutant(s) not detected before", flush=True)
        run_mutmut(name, work, max_children, *undetected)
    seconds = round(time.monotonic() - started)
    found = {k: v for k, v in statuses(work).items() if k.startswith(module_prefix(module)) and chosen(k, selected)}
    verdict = judge(work, found, equivalent)
    detected = sum(status in DETECTED for status in found.values())
    judged = len(found) - len(verdict["equivalent"])
    summary = {"module": name, "mutants": len(found), "detected": detected,
               "timeouts": sum(status == "timeout" for status in found.values()),
               "equivalent": len(verdict["equivalent"]), "survived": len(verdict["survivors"]),
               "kill_rate": round(detected / judged, 3) if judged else None, "seconds": seconds,
               "source_sha256": source}
    for mutant, status, line in verdict["survivors"]:
        print(f"  {status}: {mutant}  ->  {line}   (mutmut show {mutant}, in {work.relative_to(REPO)})")
    for note in verdict["stale"]:
        print(f"  stale entry: {note}")
    print(f"mutate {name}: {summary['mutants']} mutants, {detected} detected ({summary['timeouts']} by timeout), "
          f"{summary['equivalent']} equivalent, {summary['survived']} survived; kill rate "
          f"{summary['kill_rate']:.1%} of non-equivalent mutants; {seconds} s", flush=True)
    (work / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary


def mangled(function: str) -> str:
    """mutmut's name of a function (``x_name``) or method (``Class.method``: ``xǁClassǁmethod``)."""
    return "xǁ" + function.replace(".", "ǁ") if "." in function else f"x_{function}"


def chosen(mutant: str, selected: list[str]) -> bool:
    """Whether ``mutant`` is among the ``selected`` name patterns (all mutants when none are)."""
    return not selected or any(fnmatch.fnmatch(mutant, pattern) for pattern in selected)


def run_mutmut(name: str, work: Path, max_children: int, *mutants: str) -> None:
    """``mutmut run`` in the module's work folder (only ``mutants``, if named); its progress on the terminal."""
    run = subprocess.run([MUTMUT, "run", "--max-children", str(max_children), *mutants], cwd=work,
                         env={**os.environ, "ALSKIT_MUTATION": "1"})   # tests/test_properties.py: fewer examples
    if run.returncode != 0:
        sys.exit(f"mutate {name}: mutmut run failed (exit {run.returncode}); its output is above")


def module_prefix(module: dict) -> str:
    """The dotted prefix of the module's mutant names (``src/alskit/common/io.py`` -> ``alskit.common.io.``)."""
    return ".".join(Path(module["source"]).relative_to("src").with_suffix("").parts) + "."


def overview(modules: dict) -> None:
    """Each module with why it is mutated and its last result in this checkout."""
    for name, module in modules.items():
        last = WORK / name / "summary.json"
        result = json.loads(last.read_text()) if last.exists() else None
        done = (f"{result['kill_rate']:.1%} killed, {result['survived']} new survivors, {result['seconds']} s"
                if result else "not run here")
        print(f"{name:<18} {module['source']:<40} {done}\n{'':<18} {module['why']}")
    print("\nmake mutate MODULE=<name> (or MODULE=all)")


def results_table(modules: dict) -> str:
    """The last result of each module run here, as the Markdown table of docs/testing.md."""
    rows = ["| Module | Mutants | Detected | Equivalent | Survived | Kill rate | Time (2 cores) |",
            "|---|---|---|---|---|---|---|"]
    for name in modules:
        last = WORK / name / "summary.json"
        if last.exists():
            r = json.loads(last.read_text())
            rows.append(f"| `{name}` | {r['mutants']} | {r['detected']} | {r['equivalent']} | {r['survived']} | "
                        f"{r['kill_rate']:.1%} | {r['seconds']} s |")
        else:
            rows.append(f"| `{name}` | not run | | | | | |")
    return "\n".join(rows)


def write_docs(modules: dict) -> None:
    """Replace the results block of docs/testing.md with :func:`results_table`."""
    page = REPO / "docs" / "testing.md"
    text = page.read_text()
    block = re.compile(r"(<!-- mutation results -->\n).*?(<!-- /mutation results -->)", re.DOTALL)
    page.write_text(block.sub(lambda m: m.group(1) + results_table(modules) + "\n" + m.group(2), text))
    print(f"wrote the mutation results of this checkout into {page.relative_to(REPO)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", nargs="?")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--fresh", action="store_true", help="forget earlier verdicts: test every mutant again")
    parser.add_argument("--docs", action="store_true", help="write each module's last result into docs/testing.md")
    args = parser.parse_args(argv)
    registry = load_registry()
    modules = registry["modules"]
    if args.docs:
        write_docs(modules)
        return 0
    if not args.module:
        overview(modules)
        return 0
    if args.module != "all" and args.module not in modules:
        sys.exit(f"make mutate: MODULE={args.module} is not in {REGISTRY.relative_to(REPO)}; expected one of "
                 f"{', '.join(modules)} or all")
    names = list(modules) if args.module == "all" else [args.module]
    summaries = [mutate(name, modules[name], registry["equivalent"], args.max_children, args.fresh) for name in names]
    return 1 if any(summary["survived"] for summary in summaries) else 0


if __name__ == "__main__":
    sys.exit(main())

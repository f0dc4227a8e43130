"""Patient data never reaches git, and an interrupted stage leaves nothing behind.

`git add -A`, `git stash -u` and `dvc exp apply`'s workspace stash take every untracked file git does not
ignore, and an experiment's commit (`dvc exp run`) takes the .gitignore files DVC writes beside outputs in
folders git does not ignore. So all of data/ (where a user may put a real workbook) is git-ignored, and so is
every staging file or folder of `AtomicOutputs` (`.alskit-tmp.<target>.<random>`), which a killed stage can
leave anywhere outputs go. SIGTERM (a cluster's time limit) and SIGINT (Ctrl-C) must stop the stage's workers,
delete its staging files and end it in one line.
"""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
import soundfile
import yaml

from conftest import REPO, run_stage, venv_env
from test_pipeline_e2e import DVC, dvc, make_tiny_repo


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_experiment_commits_carry_no_data_and_no_staging_files(tmp_path, cohort):
    repo = make_tiny_repo(tmp_path / "repo")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.org")   # make_tiny_repo has committed the pipeline
    dvc(repo, "repro", "prognosis_clean")
    assert not list((repo / "data").rglob(".gitignore")), "DVC must not add per-folder .gitignore files"
    changed = git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()
    leaks = [line for line in changed if "data/" in line or line.endswith(".gitignore")]
    assert changed and leaks in ([], ["?? .dvc/.gitignore"]), changed  # DVC's own, for .dvc/cache and tmp
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "prognosis_clean ran")

    # A user's real files, untracked, where the README says they may go; and what a killed stage leaves.
    (repo / "data/bdb").mkdir()
    cohort.to_excel(repo / "data/bdb/Database_Features_ML.xlsx", index=False)
    (repo / "data/prognosis/my_cohort.csv").write_bytes((repo / "data/prognosis/demo/cohort.csv").read_bytes())
    leftovers = [repo / "metrics/.alskit-tmp.prognosis_split.json.0badc0de.json",
                 repo / "data/prognosis/.alskit-tmp.train.csv.0badc0de.csv"]
    for leftover in leftovers:
        leftover.write_text("partial\n")
    untracked = git(repo, "status", "--porcelain", "--untracked-files=all")
    assert "data/" not in untracked and ".alskit-tmp" not in untracked, "git add -A would take them"
    ignored = subprocess.run([DVC, "check-ignore", *map(str, leftovers)], cwd=repo, env=venv_env(),
                             capture_output=True, text=True)
    assert ignored.returncode == 0 and len(ignored.stdout.splitlines()) == 2, ignored.stdout + ignored.stderr

    dvc(repo, "exp", "run", "-S", "prognosis.split.seed=1", "prognosis_split")
    refs = git(repo, "for-each-ref", "--format=%(refname)", "refs/exps").split()
    experiments = [ref for ref in refs if not ref.startswith("refs/exps/exec/")]
    assert len(experiments) == 1, refs
    for ref in refs:  # the experiment, and DVC's own bookkeeping refs
        tree = git(repo, "ls-tree", "-r", "--name-only", ref).splitlines()
        assert "dvc.lock" in tree and "params.yaml" in tree, (ref, tree)
        assert not [path for path in tree if path.startswith("data/") or ".alskit-tmp." in path], (ref, tree)
    tree = git(repo, "ls-tree", "-r", "--name-only", experiments[0]).splitlines()
    assert "metrics/prognosis_split.json" in tree
    assert yaml.safe_load(git(repo, "show", f"{experiments[0]}:params.yaml"))["prognosis"]["split"]["seed"] == 1
    assert not [p for p in leftovers if p.exists()], "the stage's next run removed its stale staging files"


def test_stale_staging_files_of_a_killed_run_are_removed_and_ignored(stage_dir, cohort):
    cohort.to_csv(stage_dir / "raw.csv", index=False)
    out = stage_dir / "out"
    out.mkdir()
    stale_file = out / ".alskit-tmp.clean.csv.1a2b3c4d.csv"
    stale_folder = out / ".alskit-tmp.clean.csv.5e6f7a8b.csv"
    stale_folder.mkdir()
    (stale_folder / "half.csv").write_text("x\n")
    stale_file.write_text("half a table\n")
    other = out / ".alskit-tmp.clean.1a2b3c4d"  # another target's (`out/clean`) staging folder: not ours
    other.mkdir()
    result = run_stage("bdb_clean", "raw.csv", "out/clean.csv", "out/cleaning.json", cwd=stage_dir)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [other.name, "clean.csv", "cleaning.json"]
    for name in ("data/voice/.alskit-tmp.audio.1a2b3c4d/PZ001.flac", "metrics/.alskit-tmp.bdb.json.1a2b3c4d.json",
                 "plots/bdb/roc/.alskit-tmp.x.json.1a2b3c4d.json", "reports/.alskit-tmp.figures.1a2b3c4d",
                 "data/bdb/Database_Features_ML.xlsx", "data/prognosis/my_cohort.csv"):
        check = subprocess.run(["git", "check-ignore", "-q", "--no-index", name], cwd=REPO)
        assert check.returncode == 0, f"{name} is not git-ignored"
    assert ".alskit-tmp.*" in (REPO / ".dvcignore").read_text().splitlines()


def recordings_needed() -> int:
    """Enough recordings for voice_audio to prepare them in worker processes (it uses workers only from
    ``PARALLEL_FROM`` files on), and for a few seconds."""
    found = re.search(r"^PARALLEL_FROM = (\d+)", (REPO / "src/alskit/voice/preparation.py").read_text(), re.MULTILINE)
    return max(240, int(found[1]) + 40 if found else 0)


@pytest.fixture(scope="module")
def voice_input(tmp_path_factory):
    """A VOC-ALS-shaped folder (one task) big enough for voice_audio to work in parallel for several seconds."""
    root = tmp_path_factory.mktemp("voice_input")
    rate = 16000
    t = np.arange(int(1.5 * rate)) / rate
    voiced = 0.5 * np.sin(2 * np.pi * 180 * t) * (1 + 0.3 * np.sin(2 * np.pi * 5 * t))
    noise = 0.01 * np.random.default_rng(0).standard_normal(len(t))
    folder = root / "phonationA"
    folder.mkdir()
    soundfile.write(folder / "PZ001_phonationA.wav", np.concatenate([np.zeros(rate // 4), voiced + noise,
                                                                      np.zeros(rate // 4)]), rate, subtype="PCM_16")
    first = (folder / "PZ001_phonationA.wav").read_bytes()
    half = (recordings_needed() + 1) // 2
    subjects = [f"PZ{i:03d}" for i in range(1, half + 1)] + [f"CT{i:03d}" for i in range(1, half + 1)]
    for subject in subjects[1:]:
        (folder / f"{subject}_phonationA.wav").write_bytes(first)
    (root / "clinical.csv").write_text("subject,label\n" + "".join(f"{s},{int(s.startswith('PZ'))}\n"
                                                                   for s in subjects))
    return root


def interrupt_voice_audio(stage_dir: Path, voice_input: Path, signum: int, whole_group: bool, files_written: bool):
    """Start voice_audio and wait until its worker processes exist (and, with ``files_written``, have written
    into the staging folder); then send ``signum`` to the stage, or, like Ctrl-C in a terminal, to its whole
    process group. Return the exit code, stderr, and the child processes found before the signal followed by
    the stage's pid (its session id: every process it started is in that session)."""
    params = yaml.safe_load((stage_dir / "params.yaml").read_text())
    params["voice"]["tasks"] = ["phonationA"]
    (stage_dir / "params.yaml").write_text(yaml.safe_dump(params))
    stderr = open(stage_dir / "stderr.txt", "w+")
    process = subprocess.Popen([sys.executable, str(REPO / "stages/voice_audio.py"), str(voice_input),
                                str(voice_input / "clinical.csv"), "out/audio", "out/recordings.csv", "out/audio.json"],
                               cwd=stage_dir, env=venv_env(), stdout=subprocess.DEVNULL, stderr=stderr,
                               start_new_session=True)
    pattern = ".alskit-tmp.audio.*/phonationA/*.flac" if files_written else ".alskit-tmp.audio.*"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert process.poll() is None, f"voice_audio ended early:\n{(stage_dir / 'stderr.txt').read_text()}"
            if list((stage_dir / "out").glob(pattern)) and psutil.Process(process.pid).children():
                break
            assert time.monotonic() < deadline, "voice_audio started no workers in 300 s"
            time.sleep(0.02)
        children = psutil.Process(process.pid).children(recursive=True)
        if whole_group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        returncode = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    stderr.seek(0)
    return returncode, stderr.read(), children + [process.pid]


def session_members(session: int) -> list[int]:
    members = []
    for pid in psutil.pids():
        try:
            if os.getsid(pid) == session:
                members.append(pid)
        except OSError:  # gone meanwhile, or not ours to ask
            pass
    return members


def assert_cleanly_interrupted(stage_dir: Path, returncode: int, stderr: str, processes, name: str, code: int):
    *children, session = processes
    lines = stderr.replace("\r", "\n").strip().splitlines()
    assert returncode == code, stderr
    assert lines[-1] == f"voice_audio: interrupted by {name}; no outputs written", stderr
    assert "Traceback" not in stderr and "Error" not in stderr and "warn" not in stderr.lower(), stderr
    assert sum("interrupted" in line for line in lines) == 1, stderr
    left = [p.relative_to(stage_dir) for p in (stage_dir / "out").rglob("*")]
    assert left == [], f"staging files or outputs left behind: {left}"
    assert children, "voice_audio prepares its files in worker processes"
    _, alive = psutil.wait_procs(children, timeout=5)
    assert not alive, f"worker processes survived: {alive}"
    deadline = time.monotonic() + 5
    while session_members(session) and time.monotonic() < deadline:  # workers started after the snapshot too
        time.sleep(0.1)
    assert not session_members(session), f"processes of the stage survived: {session_members(session)}"


def test_sigterm_stops_workers_and_leaves_no_staging_files(stage_dir, voice_input):
    returncode, stderr, processes = interrupt_voice_audio(stage_dir, voice_input, signal.SIGTERM, whole_group=False,
                                                          files_written=True)
    assert_cleanly_interrupted(stage_dir, returncode, stderr, processes, "SIGTERM", 128 + signal.SIGTERM)


def test_ctrl_c_stops_workers_and_leaves_no_staging_files(stage_dir, voice_input):
    returncode, stderr, processes = interrupt_voice_audio(stage_dir, voice_input, signal.SIGINT, whole_group=True,
                                                          files_written=False)  # while the workers start
    assert_cleanly_interrupted(stage_dir, returncode, stderr, processes, "SIGINT", 128 + signal.SIGINT)


SIGNAL_WHILE_PUBLISHING = '''
"""Usage: python stage.py"""
import os, signal, sys
from alskit.common import io
from alskit.common.cli import run

real_replace = os.replace


def replace_and_get_terminated(src, dst):
    os.replace = real_replace
    os.kill(os.getpid(), signal.SIGTERM)  # arrives between the first and the second rename
    real_replace(src, dst)


def main():
    with io.AtomicOutputs() as out:
        out.text("a", "a.txt")
        out.text("b", "b.txt")
        os.replace = replace_and_get_terminated


run(main)
'''


def test_a_signal_while_outputs_are_renamed_waits_until_all_are(tmp_path):
    (tmp_path / "stage.py").write_text(SIGNAL_WHILE_PUBLISHING)
    result = subprocess.run([sys.executable, "stage.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 143, result.stderr
    assert result.stderr.strip().splitlines() == [
        "stage: interrupted by SIGTERM after writing outputs; dvc repro will run it again"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "stage.py"]

"""Run a DVC command with its fan-outs on SLURM: a Dask cluster of SLURM worker jobs (dask-jobqueue), for one command.

Usage: python tools/dask_slurm.py [--jobs N] [--cores C] [--memory M] [--walltime T] [--queue Q] [--account A]
                                  [--dry-run] -- COMMAND...

Starts a Dask scheduler in this process, submits ``--jobs`` SLURM jobs of ``--cores`` cores each (dask-jobqueue's
``SLURMCluster``), each running ``cores / voice.train.threads`` single-threaded worker processes (one task at a time,
docs/compute.md), waits for the first worker, runs COMMAND with ``DASK_SCHEDULER_ADDRESS`` set to the scheduler, and
cancels the jobs at the end, Ctrl-C included. ``--dry-run`` prints the job script and submits nothing. Run it inside
the repository, on the shared filesystem the workers see.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

import yaml


def worker_processes(cores: int, params: str = "params.yaml") -> int:
    """Worker processes per job: the job's cores shared out at the networks' TensorFlow thread count."""
    threads = yaml.safe_load(open(params))["voice"]["train"]["threads"]
    return max(1, cores // threads)


def cluster(args: argparse.Namespace):
    from dask_jobqueue import SLURMCluster

    processes = worker_processes(args.cores)   # Dask's cores are task slots: one per process, the job's CPUs beside
    return SLURMCluster(cores=processes, processes=processes, job_cpu=args.cores, memory=args.memory,
                        walltime=args.walltime, queue=args.queue, account=args.account, job_name="alskit-dask")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="SLURM jobs (default 2)")
    parser.add_argument("--cores", type=int, default=16, help="cores per job (default 16)")
    parser.add_argument("--memory", default="64GB", help="memory per job (default 64GB)")
    parser.add_argument("--walltime", default="04:00:00", help="time limit per job (default 04:00:00)")
    parser.add_argument("--queue", default=None, help="SLURM partition")
    parser.add_argument("--account", default=None, help="SLURM account")
    parser.add_argument("--dry-run", action="store_true", help="print the job script; submit nothing")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command and not args.dry_run:
        parser.error("no command given (after --), e.g. -- dvc repro")
    with cluster(args) as slurm:
        if args.dry_run:
            print(slurm.job_script())
            return 0
        slurm.scale(jobs=args.jobs)
        from dask.distributed import Client

        with Client(slurm) as client:
            print(f"dask_slurm: {args.jobs} job(s) asked of SLURM; waiting for the first worker "
                  f"(dashboard {client.dashboard_link})", file=sys.stderr, flush=True)
            client.wait_for_workers(1)
            env = {**os.environ, "DASK_SCHEDULER_ADDRESS": slurm.scheduler_address}
            return subprocess.run(command, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())

"""Check one study's parameters (and ``audit``) in about a second, before the study's first stage does any work.

Usage: python stages/check_params.py STUDY CHECKED_FILE

STUDY is bdb, voice or prognosis. A mistake anywhere in the section (an unknown model name, a mistyped key, a
value out of range) stops ``dvc repro`` here with one line naming the dotted key, instead of minutes later in
the stage that reads it (``alskit.config``). CHECKED_FILE, which the study's first stages depend on, always
gets the same content, so a changed parameter reruns this check and then only the stages that read it.
"""
import logging

from alskit import config
from alskit.cli import UserError, load_params, run
from alskit.io import AtomicOutputs

log = logging.getLogger("alskit")


def main(study: str, checked_path: str) -> None:
    if study not in config.STUDIES:
        raise UserError(f"unknown study '{study}'; expected one of {', '.join(config.STUDIES)}")
    params = load_params()
    config.check_study(params, study)
    config.check_study(params, "audit")
    with AtomicOutputs() as out:
        out.path(checked_path).write_text(f"params.yaml: {study} checked\n")
    log.info("params.yaml: %s and audit checked", study)


if __name__ == "__main__":
    run(main)

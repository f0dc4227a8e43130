"""Check one study's parameters (and ``audit``) in about a second, before the study's first stage does any work.

Usage: python stages/check_params.py STUDY CHECKED_FILE

STUDY is bdb, voice or prognosis. A mistake anywhere in the section (an unknown model name, a mistyped key, a
value out of range) stops ``dvc repro`` here with one line naming the dotted key, instead of minutes later in
the stage that reads it (``alskit.common.config``). CHECKED_FILE, which the study's first stages depend on, always
gets the same content, so a changed parameter reruns this check and then only the stages that read it.
"""
import logging

from alskit.bdb import config as bdb
from alskit.common import config
from alskit.common.cli import load_params, run
from alskit.common.errors import UserError
from alskit.common.io import AtomicOutputs
from alskit.prognosis import config as prognosis
from alskit.voice import config as voice

log = logging.getLogger("alskit")
STUDIES = {"bdb": bdb.load, "voice": voice.load, "prognosis": prognosis.load}


def main(study: str, checked_path: str) -> None:
    if study not in STUDIES:
        raise UserError(f"unknown study '{study}'; expected one of {', '.join(STUDIES)}")
    params = load_params()
    STUDIES[study](params)
    config.load_audit(params)
    with AtomicOutputs() as out:
        out.path(checked_path).write_text(f"params.yaml: {study} checked\n")
    log.info("params.yaml: %s and audit checked", study)


if __name__ == "__main__":
    run(main)

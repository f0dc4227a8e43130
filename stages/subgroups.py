"""Each study's headline result per subgroup: AUROC and balanced accuracy with 95% intervals per sex and per age
band (``audit.subgroups``), with the subgroup's counts; too few subjects of a class: counted, not scored
(``alskit.common.subgroups``).

Usage: python stages/subgroups.py STUDY PREDICTIONS_CSV PEOPLE_CSV METRICS_JSON
STUDY is bdb, voice or prognosis; PREDICTIONS_CSV holds the headline's held-out predictions (ID column, y_true,
p); PEOPLE_CSV the same IDs with the columns ``<study>.subgroups`` names. Writes counts and scores only.
"""
import logging

from alskit.bdb import config as bdb
from alskit.common import records, subgroups
from alskit.common.cli import run
from alskit.common.errors import UserError
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs, read_csv
from alskit.prognosis import config as prognosis
from alskit.voice import config as voice

log = logging.getLogger("alskit")
STUDIES = {"bdb": bdb.load, "voice": voice.load, "prognosis": prognosis.load}


def main(study: str, predictions_path: str, people_path: str, metrics_path: str) -> None:
    if study not in STUDIES:
        raise UserError(f"unknown study {study!r}; expected one of {', '.join(STUDIES)}")
    columns = STUDIES[study]().subgroups
    audit = load_audit()
    frame = subgroups.join(read_csv(predictions_path), read_csv(people_path), columns.sex, columns.age, people_path)
    result = subgroups.table(frame, audit.subgroups.age_bands, audit.bootstrap.model_dump(),
                             audit.subgroups.min_per_class)
    for variable in ("sex", "age"):
        for level, entry in result[variable].items():
            log.info("%s %s: %d subjects (%d/%d), %s", variable, level, entry["n"], entry["positives"],
                     entry["negatives"], f"AUROC {entry['auroc']:.3f}" if entry["scored"] else "too few to score")
    with AtomicOutputs() as out:
        out.json(records.checked(records.Subgroups, result), metrics_path)


if __name__ == "__main__":
    run(main)

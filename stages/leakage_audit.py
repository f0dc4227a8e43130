"""Leakage audit of all three studies: subjects on both sides of a split or fold, features missing by design
for one class (and how well missingness alone predicts the class), preprocessing fit on test rows.

Usage: python stages/leakage_audit.py BDB_RAW BDB_DIR VOICE_DIR VOICE_METRICS_JSON PROGNOSIS_DIR AUDIT_JSON
BDB_DIR holds train_all.csv, train_balanced.csv, test.csv, synthetic/ and models/; VOICE_DIR recordings.csv,
clinical.csv, cnn/ and multimodal/; PROGNOSIS_DIR clean.csv, train.csv, test.csv and models/.
"""
import logging
from pathlib import Path

from alskit.bdb import audit as bdb_audit, config as bdb_config
from alskit.common import records
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs
from alskit.prognosis import audit as prognosis_audit, config as prognosis_config
from alskit.voice import audit as voice_audit, config as voice_config, records as voice_records

log = logging.getLogger("alskit")


def main(bdb_raw: str, bdb_dir: str, voice_dir: str, voice_metrics: str, prognosis_dir: str,
         audit_path: str) -> None:
    settings = load_audit()
    networks = records.read(voice_records.Networks, voice_metrics)
    report = {"bdb": bdb_audit.findings(bdb_raw, Path(bdb_dir), bdb_config.load(), settings),
              "voice": voice_audit.findings(Path(voice_dir), networks, voice_config.load(), settings),
              "prognosis": prognosis_audit.findings(Path(prognosis_dir), prognosis_config.load(), settings)}
    for study, found in report.items():
        log.info("%s: missing by design %d column(s), missingness-only AUROC %s; preprocessing fit on test rows: %s",
                 study, found["missing_by_design"], found["missingness_only_auroc"],
                 found["preprocessing_fit_on_test_rows"]["count"])
    with AtomicOutputs() as out:
        out.json(records.checked(records.AuditFindings, report), audit_path)


if __name__ == "__main__":
    run(main)

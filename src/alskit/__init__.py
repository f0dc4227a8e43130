"""The library of the ALS pipeline, one subpackage per study and one for what they share.

- ``alskit.bdb``: study 1 (seed 001), blood-derived biomarkers, models trained on synthetic data.
- ``alskit.voice``: study 2 (seed 002), voice recordings and clinical records, CNNs and a multimodal network.
- ``alskit.prognosis``: study 3 (seed 000), progression from clinical, imaging and genetic features.
- ``alskit.common``: running stages, parameters, reading and writing, folds, metrics, intervals, audits, the
  report document.
- ``alskit.results``: the results report across the three studies.

Each study's steps are plain functions on data frames and arrays, so a notebook can call them directly; the
scripts in ``stages/`` only read parameters and files, call them, and write outputs.
"""

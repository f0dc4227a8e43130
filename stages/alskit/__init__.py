"""Shared library of the ALS pipeline stages.

One module per concern: ``cli`` (running a stage, params, user errors), ``io``
(readers and atomic writers), ``bdb`` (the blood-biomarker data contract and
its cleaning/encoding/splitting), ``demo_bdb`` (the demo cohort generator),
``synthetic`` (SDV Gaussian copula), ``models`` (classifiers), ``metrics`` and
``plots`` (evaluation outputs for ``dvc metrics``/``dvc plots``).
"""

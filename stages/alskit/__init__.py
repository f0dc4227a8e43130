"""Shared library of the ALS pipeline stages, one module per concern.

Running stages: ``cli`` (params, logging, one-line user errors, interruptions), ``config`` (every parameter checked
before any work), ``io`` (atomic and reproducible writers), ``tables`` (users' tables as clinics export them, every
cell accounted for). Blood biomarkers (seed 001): ``bdb`` (data contract, cleaning, encoding, splitting),
``demo_bdb``, ``synthetic`` (SDV Gaussian copula), ``models`` (classifiers, CV). Voice (seed 002): ``voice``
(VOC-ALS contract, audio clean-up, mel and MFCC features, clinical preprocessing), ``demo_voice``, ``cnn`` (Table 1
scenarios, multimodal network, subject-grouped CV), ``voice_cv`` (CV settings). Prognosis (seed 000): ``prognosis``
(column mapping, cleaning, preprocessing pipelines, grid-searched tree ensembles, averaging ensemble),
``demo_prognosis``, ``explain`` (built-in, permutation and SHAP importance by modality). Honest results:
``uncertainty`` (bootstrap intervals over subjects), ``audit`` (leakage checks), ``privacy`` (synthetic data copies
and distances), ``report`` (the results report and its figures). Shared: ``training`` (Keras fitting), ``metrics``
and ``plots`` (outputs for ``dvc metrics``/``dvc plots``).
"""

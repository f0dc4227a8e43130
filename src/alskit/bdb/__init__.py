"""Study 1 (seed 001): ALS versus healthy controls from blood-derived biomarkers, models trained on synthetic data.

``cohort`` (the workbook's columns, cleaning, encoding, the 50/50 split and class balancing), ``demo`` (a demo
workbook in the real layout), ``synthetic`` (SDV Gaussian copula, x10 and x20 sets), ``models`` (LightGBM,
AdaBoost and the Keras network, stratified CV), ``baselines`` (the same models on real rows, paired synthetic-
minus-real differences), ``spread`` (the whole protocol over many split seeds), ``privacy`` (copies, distances,
membership inference), ``findings`` (report sentences generated from the numbers).
"""

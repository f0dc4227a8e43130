"""Study 3 (seed 000): fast versus slow ALS progression from clinical, imaging and genetic features.

``cohort`` (the column mapping, cleaning, the split, preprocessing and PCA, the grid-searched random forest and
gradient boosting, the averaging ensemble), ``demo`` (a demo cohort in the real layout), ``explain`` (built-in,
permutation and SHAP importance, by modality).
"""

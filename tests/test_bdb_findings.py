"""Seed 001's report sentences come from the numbers: change a number and the sentence changes with it."""
import copy

from alskit.bdb import findings

NAMES = {"lightgbm": "LightGBM", "adaboost": "AdaBoost"}
SPLIT = {"train_half": {"ALS": 30, "HEALTHY": 8}, "train_balanced": {"ALS": 8, "HEALTHY": 8},
         "test": {"ALS": 30, "HEALTHY": 9}}


def _run(cv: float, test: float, ci=(0.6, 0.9), constant=False) -> dict:
    return {"cv": {"auroc": {"mean": cv, "std": 0.02}}, "test": {"auroc": test, "auroc_ci_low": ci[0], "auroc_ci_high": ci[1]},
            "constant_predictions": constant}


def _results(cv_a=0.95, cv_b=0.93, test=0.8) -> dict:
    return {"x10": {"lightgbm": _run(cv_a, test), "adaboost": _run(cv_b, test)},
            "real-balanced": {"lightgbm": _run(0.5, 0.5, constant=True), "adaboost": _run(0.8, 0.75)},
            "real-all": {"lightgbm": _run(0.9, 0.85), "adaboost": _run(0.85, 0.82)}}


def test_training_rows_are_counted_from_the_split():
    text = findings.training_rows(SPLIT)
    assert "fit on 16 real rows (8 ALS + 8 HEALTHY)" in text and "training half of 38 subjects" in text
    assert "tested on the 39 real subjects" in text and "always answering ALS would score accuracy 0.769" in text


def test_cv_optimism_says_what_the_numbers_say():
    models, sizes = ["lightgbm", "adaboost"], ["x10"]
    assert "for every one of the 2 runs: optimistic" in findings.cv_optimism(_results(), models, sizes, NAMES)
    assert "for 2 of them the CV mean lies above the whole 95% interval" in \
        findings.cv_optimism(_results(), models, sizes, NAMES)
    below = findings.cv_optimism(_results(cv_a=0.7, cv_b=0.75), models, sizes, NAMES)
    assert "at or below the real test AUROC (0.800) for all 2 runs: not optimistic here" in below
    mixed = findings.cv_optimism(_results(cv_a=0.7), models, sizes, NAMES)
    assert "above the real test AUROC for 1 of 2 runs" in mixed and "(LightGBM x10)" in mixed


def _comparison(lightgbm_ci, adaboost_ci) -> dict:
    def entry(ci):
        from alskit.bdb.baselines import verdict
        return {"auroc_difference": sum(ci) / 2, "auroc_difference_ci_low": ci[0], "auroc_difference_ci_high": ci[1],
                "share_synthetic_higher": 0.5,
                "verdict": verdict(ci)}
    return {"x10": {"lightgbm": {"real-balanced": entry(lightgbm_ci), "real-all": entry([-0.1, 0.05])},
                    "adaboost": {"real-balanced": entry(adaboost_ci), "real-all": entry([-0.3, -0.1])}}}


def test_synthetic_versus_real_verdicts_follow_the_intervals_and_name_constant_baselines():
    sentences = findings.synthetic_vs_real(_results(), _comparison([0.1, 0.4], [-0.05, 0.1]),
                                           ["lightgbm", "adaboost"], ["x10"], NAMES, SPLIT)
    lightgbm, adaboost = sentences
    assert lightgbm.startswith("LightGBM: against the 16 real rows the synthesizer was fit on (trained on those rows "
                               "it gave every test subject the same probability), synthetic training helped")
    assert "against all 38 real training rows, class-weighted, synthetic training cannot be told apart" in lightgbm
    assert "x10 0.250 [0.100, 0.400]" in lightgbm
    assert "16 real rows the synthesizer was fit on, synthetic training cannot be told apart" in adaboost
    assert "class-weighted, synthetic training hurt (AUROC difference x10 -0.200 [-0.300, -0.100])" in adaboost
    rows = findings.comparison_rows(_results(), _comparison([0.1, 0.4], [-0.05, 0.1]), ["lightgbm"], ["x10"],
                                    NAMES)
    assert rows[0][3] == "0.500 [0.600, 0.900] (one probability for all)" and rows[0][5].endswith("(helped)")


def _spread() -> dict:
    entry = {"median": 0.8, "low": 0.7, "high": 0.9, "min": 0.65, "max": 0.93, "sd": 0.05}
    return {"splits": 50, "level": 0.95,
            "x10": {"lightgbm": {**entry, "share_above_real-all": 0.3}, "adaboost": {**entry, "high": 0.99}},
            "real-balanced": {"lightgbm": entry, "adaboost": entry}, "real-all": {"lightgbm": entry, "adaboost": entry}}


def test_spread_summary_places_the_default_split_and_the_paper_in_the_range():
    paper = {"x10": {"lightgbm": {"auroc": 0.97}, "adaboost": {"auroc": 0.9}}}
    results = _results()
    results["x10"]["lightgbm"]["test"]["auroc"] = 0.95  # outside 0.7-0.9
    text = findings.spread_summary(_spread(), results, paper, ["lightgbm", "adaboost"], ["x10"], NAMES)
    assert "Over 50 split seeds" in text and "moves by up to 0.290" in text and "(AdaBoost x10: 0.700-0.990" in text
    assert "outside that central range for 2 of 6 runs (LightGBM x10, LightGBM real-balanced)" in text
    assert "above every split's result for 1 of the runs it reports (LightGBM x10 (0.970))" in text
    rows = findings.spread_rows(_spread(), results, paper, ["lightgbm"], ["x10"], NAMES)
    assert rows[0] == ["LightGBM", "x10", "0.950", "0.800", "0.700-0.900", "0.650-0.930", "0.970", "30%"]
    assert rows[1][-1] == "-" and len(rows) == 3


def _privacy(ci) -> dict:
    found = {"exact_copies": 0, "synthetic_rows": 160, "dcr_synthetic_to_train": {"median": 1.5},
             "dcr_holdout_to_train": {"median": 1.7}, "overfitting_protection": {"closer_to_training": 0.8},
             "membership_inference": {"members": 16, "non_members": 16, "auroc": sum(ci) / 2,
                                      "auroc_ci_low": ci[0], "auroc_ci_high": ci[1],
                                      "detectable": ci[0] > 0.5}}
    return {"x10": found, "x20": copy.deepcopy(found)}


def test_privacy_verdict_follows_the_attack():
    leaky = findings.privacy_summary(_privacy([0.6, 0.9]), ["x10", "x20"])
    assert leaky.startswith("0 exact copies of training rows; 80% of synthetic rows")
    assert "tells the 16 training patients from 16 unseen ones better than chance for 2 of 2 sets" in leaky
    assert "not private by design" in leaky
    safe = findings.privacy_summary(_privacy([0.35, 0.7]), ["x10", "x20"])
    assert "cannot tell the 16 training patients" in safe and "fails to show a leak" in safe
    assert findings.privacy_rows(_privacy([0.6, 0.9]), ["x10"])[0][-1] == "0.750 [0.600, 0.900] (**detectable**)"

"""Cross-validation folds shared by the studies (``alskit.common.folds``)."""
import numpy as np
import pytest

from alskit.common import folds
from alskit.common.errors import UserError


def test_splits_are_stratified_seeded_and_hold_out_every_row_once():
    y = np.array([0] * 6 + [1] * 9)
    splits = folds.stratified_splits(y, 3, 4, "study.cv.folds")
    fold = folds.fold_of_row(splits, len(y))
    assert sorted(np.bincount(fold)) == [5, 5, 5] and (fold >= 0).all()
    for k in range(3):
        assert np.bincount(y[fold == k]).tolist() == [2, 3], "each fold keeps the class mix"
    again = folds.fold_of_row(folds.stratified_splits(y, 3, 4, "study.cv.folds"), len(y))
    assert (again == fold).all() and not (folds.fold_of_row(folds.stratified_splits(y, 3, 5, "p"), 15) == fold).all()


def test_a_row_no_fold_holds_out_is_marked():
    splits = [(np.array([2, 3]), np.array([0])), (np.array([0]), np.array([3]))]
    assert folds.fold_of_row(splits, 4).tolist() == [0, -1, -1, 1]


@pytest.mark.parametrize("n_folds", [1, 7])
def test_more_folds_than_the_smallest_class_names_the_parameter(n_folds):
    y = np.array([0] * 6 + [1] * 9)
    with pytest.raises(UserError, match=rf"study.cv.folds must be between 2 and the smallest class size of the "
                                        rf"training split \(6\), got {n_folds}"):
        folds.stratified_splits(y, n_folds, 0, "study.cv.folds", "training split")


def test_the_fold_count_may_be_two_or_exactly_the_smallest_class():
    y = np.array([1] * 5 + [0] * 9)
    assert len(folds.stratified_splits(y, 2, 0, "x.folds")) == 2
    assert len(folds.stratified_splits(y, 5, 0, "x.folds")) == 5
    with pytest.raises(UserError, match=r"^params.yaml: x.folds must be between 2 and the smallest class size of "
                                        r"the training data \(5\), got 6$"):
        folds.stratified_splits(y, 6, 0, "x.folds")
    with pytest.raises(UserError, match=r"smallest class size of the training data \(0\), got 2$"):
        folds.stratified_splits(np.zeros(6, dtype=int), 2, 0, "x.folds")      # one class only: no fold can score


def test_the_fold_count_check_reads_class_codes_written_as_floats():
    labels = np.array([0.0, 1.0] * 3)
    folds.check_fold_count(3, labels, "x.folds", "rows")
    with pytest.raises(UserError, match=r"^params.yaml: x.folds must be between 2 and the smallest class size of the "
                                        r"rows \(3\), got 4$"):
        folds.check_fold_count(4, labels, "x.folds", "rows")


def test_the_out_of_fold_table_has_one_form_for_every_study():
    table = folds.predictions(2, np.array([4, 7]), np.array([1, 0]), [1, 0])
    assert list(table.columns) == ["fold", "row", "y_true", "p"]
    assert table["fold"].tolist() == [2, 2] and table["row"].tolist() == [4, 7] and table["y_true"].tolist() == [1, 0]
    assert table["p"].dtype == np.float64 and table["p"].tolist() == [1.0, 0.0]

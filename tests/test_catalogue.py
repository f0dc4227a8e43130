"""The one shape of the three studies' model catalogues (alskit.common.models)."""
import pytest

from alskit.bdb import config as bdb_config, models as bdb_models
from alskit.common.errors import UserError
from alskit.common.models import Catalogue
from alskit.prognosis import cohort, config as prognosis_config
from alskit.voice import acoustic, config as voice_config


def test_each_study_builds_exactly_the_models_its_config_names():
    assert tuple(bdb_models.MODELS.names) == bdb_config.BDB_MODELS
    assert tuple(acoustic.MODELS.names) == voice_config.ACOUSTIC_MODELS
    assert tuple(cohort.MODELS.names) == prognosis_config.PROGNOSIS_MODELS
    assert cohort.MODELS.names["gb"] == prognosis_config.MODEL_NAMES["gb"]


def test_a_builder_list_that_differs_from_the_names_fails_at_once():
    with pytest.raises(ValueError, match=r"names models \['a', 'b'\], the builders are for \['a'\]"):
        Catalogue("demo", {"a": "A", "b": "B"}, {"a": lambda settings, seed: None})


def test_build_passes_settings_seed_and_options_and_refuses_an_unknown_id_in_one_line():
    catalogue = Catalogue("demo", {"a": "A"}, {"a": lambda settings, seed, scale=1: (settings, seed * scale)})
    assert catalogue.build("a", {"depth": 2}, 3, scale=2) == ({"depth": 2}, 6)
    with pytest.raises(UserError, match=r"^unknown demo model 'svm'; expected one of a$"):
        catalogue.build("svm", {}, 0)


def test_the_built_estimators_carry_their_settings_and_seed():
    forest = acoustic.MODELS.build("rf", {"n_estimators": 7}, 11)
    assert (forest.n_estimators, forest.random_state, forest.n_jobs) == (7, 11, 1)
    boosting = cohort.MODELS.build("gb", {}, 4)
    assert boosting.random_state == 4 and type(boosting).__name__ == "GradientBoostingClassifier"
    ada = bdb_models.MODELS.build("adaboost", {"n_estimators": 5, "learning_rate": 0.2}, 3, class_weight="none")
    assert (ada.n_estimators, ada.learning_rate, ada.random_state) == (5, 0.2, 3)
    assert isinstance(bdb_models.MODELS.build("adaboost", {"n_estimators": 5, "learning_rate": 0.2}, 3,
                                              class_weight="balanced"), bdb_models.BalancedSampleWeights)

"""Property-based tests (hypothesis) where the input space is too large for examples: every number a lab export
can write reads back as that number, in either decimal convention; ID spellings that differ only in case and
spaces are one subject; censored values take the limit the policy names; every cell is accounted for once.
"""
import os

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from conftest import read_settings

from alskit.common import tables
from alskit.common.errors import UserError

# Nothing written beside the tests; under mutation testing (make mutate sets ALSKIT_MUTATION) each mutant reruns
# them: fewer examples.
FAST = settings(max_examples=30 if os.environ.get("ALSKIT_MUTATION") else 150, deadline=None, database=None)
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
positive = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False)


def parse(cells: list, **options) -> tuple[pd.Series, dict]:
    """One numeric column ``x`` parsed as a study reads it; the numbers and the ledger's cell counts."""
    frame = pd.DataFrame({"x": cells}, index=range(2, 2 + len(cells)))
    ledger = tables.Ledger(pd.Series("ALS", index=frame.index))
    parsed = tables.parse_numeric(frame, ["x"], read_settings("bdb.read", **options), ledger, "t.csv")
    return parsed["x"], ledger.report()["cells"]


@FAST
@given(st.lists(finite, min_size=1, max_size=8))
def test_a_number_written_as_text_reads_back_as_itself(values):
    numbers, _ = parse([repr(v) for v in values])
    assert numbers.tolist() == [v + 0.0 for v in values]


@FAST
@given(st.lists(st.tuples(st.integers(-10**6, 10**6), st.integers(0, 99)), min_size=1, max_size=8))
def test_a_decimal_comma_reads_as_the_same_number_as_a_decimal_point(parts):
    """``12,5`` is 12.5 (two decimals at most here: ``1,234`` is the ambiguous case, refused below)."""
    written = [f"{whole},{fraction}" for whole, fraction in parts]
    numbers, counts = parse(written)
    assert numbers.tolist() == [float(f"{whole}.{fraction}") for whole, fraction in parts]
    assert sum(counts["decimal_comma"]["x"].values()) == len(parts)


@FAST
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 999)), min_size=1, max_size=6))
def test_a_comma_before_exactly_three_digits_everywhere_is_never_guessed(parts):
    written = [f"{whole},{fraction:03d}" for whole, fraction in parts]
    with pytest.raises(UserError, match="could be a decimal comma or a thousands separator; set bdb.read.decimal"):
        parse(written)
    numbers, _ = parse(written, decimal=",")
    assert numbers.tolist() == [float(f"{whole}.{fraction:03d}") for whole, fraction in parts]


@FAST
@given(st.lists(st.sampled_from(["number", "empty", "token", "text", "censored"]), min_size=1, max_size=12),
       positive)
def test_every_cell_is_a_number_or_counted_once(kinds, value):
    """Whatever mix a column holds, each cell is a number or appears in exactly one count of the ledger."""
    written = {"number": repr(value), "empty": None, "token": "n.d.", "text": "see note", "censored": f"<{value!r}"}
    cells = [written[kind] for kind in kinds] + [repr(value)]          # at least one number in the column
    numbers, counts = parse(cells, missing_tokens=["n.d."], unparseable="missing", censored="limit")
    counted = sum(sum(per_class.values()) for kind in counts.values() for per_class in kind.values())
    assert counted == sum(kind != "number" for kind in kinds)
    assert numbers.notna().sum() == sum(kind in ("number", "censored") for kind in kinds) + 1
    assert counts.get("empty", {}).get("x", {}).get("ALS", 0) == kinds.count("empty")
    assert counts.get("missing_token", {}).get("x", {}).get("ALS", 0) == kinds.count("token")
    assert counts.get("unparseable", {}).get("x", {}).get("ALS", 0) == kinds.count("text")
    assert counts.get("censored_to_limit", {}).get("x", {}).get("ALS", 0) == kinds.count("censored")


@FAST
@given(positive, st.sampled_from(["<", "<=", "≤", ">", ">=", "≥"]), st.sampled_from(["", " "]))
def test_a_censored_value_takes_its_limit_or_half_a_lower_limit(limit, op, space):
    cell = f"{op}{space}{limit!r}"
    below = op in ("<", "<=", "≤")
    as_limit, _ = parse([cell, "1.0"], censored="limit")
    halved, _ = parse([cell, "1.0"], censored="half_limit")
    assert as_limit.iloc[0] == limit
    assert halved.iloc[0] == (limit / 2 if below else limit)
    with pytest.raises(UserError, match=r"censored value\(s\) '.*' \(row 2\); set bdb.read.censored"):
        parse([cell, "1.0"])


@FAST
@given(positive)
def test_a_detection_limit_word_takes_the_column_limit_from_params(limit):
    numbers, _ = parse(["<LOD", "1.0"], censored="half_limit", detection_limits={"x": limit})
    assert numbers.iloc[0] == limit / 2


ids = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x7f), min_size=1,
              max_size=8)


@FAST
@given(ids, st.lists(st.tuples(st.booleans(), st.sampled_from(["", " ", "  "]), st.sampled_from(["", " "])),
                     min_size=1, max_size=4))
def test_spellings_differing_only_in_case_and_spaces_are_one_subject(subject, variants):
    """Each spelling alone is the subject; two spellings of one subject in a table are an error naming both."""
    spelled = [f"{before}{subject.lower() if lower else subject}{after}" for lower, before, after in variants]
    for spelling in spelled:
        assert tables.normalise_ids(pd.Series([spelling]), "ID", "t.csv").tolist() == [subject.upper()]
    column = pd.Series([subject, *spelled])
    if column.nunique() > 1:
        with pytest.raises(UserError, match=r"one subject once case and spaces are ignored"):
            tables.normalise_ids(column, "ID", "t.csv")
    else:
        assert tables.normalise_ids(column, "ID", "t.csv").tolist() == [subject.upper()] * len(column)
    once = tables.normalise_ids(pd.Series(spelled[:1]), "ID", "t.csv")
    assert tables.normalise_ids(once, "ID", "t.csv").tolist() == once.tolist()   # idempotent


@FAST
@given(st.lists(st.integers(0, 10**7), min_size=1, max_size=10, unique=True))
def test_whole_number_ids_stored_as_floats_lose_their_decimal_point(numbers):
    """Excel stores ID 50 as 50.0: the subject is ``50``, the same as the text ``50`` in the other table."""
    as_floats = tables.normalise_ids(pd.Series([float(n) for n in numbers]), "ID", "t.csv")
    as_text = tables.normalise_ids(pd.Series([str(n) for n in numbers]), "ID", "t.csv")
    assert as_floats.tolist() == as_text.tolist() == [str(n) for n in numbers]


@FAST
@given(st.lists(ids, min_size=2, max_size=10))
def test_distinct_subjects_stay_distinct(subjects):
    distinct = list(dict.fromkeys(s.upper() for s in subjects))
    normal = tables.normalise_ids(pd.Series(distinct), "ID", "t.csv")
    assert normal.nunique() == len(distinct)

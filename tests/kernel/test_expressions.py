"""Conditions in CEL: true or false of the facts, or Unevaluable, never a value taken
for true (a condition checked on a sample may branch to a string on other facts)."""

from __future__ import annotations

import pytest

from ordino.kernel.domain import Unevaluable, activation, holds

CONDITION = "return.units > 1 ? 'no' : false"


def test_a_condition_is_true_or_false_of_the_facts() -> None:
    assert holds("return.units > 1", activation({"return": {"units": 2}})) is True
    assert holds(CONDITION, activation({"return": {"units": 1}})) is False


def test_a_value_that_is_not_true_or_false_is_unevaluable_not_true() -> None:
    with pytest.raises(Unevaluable, match="not true or false"):
        holds(CONDITION, activation({"return": {"units": 2}}))


def test_a_fact_missing_is_unevaluable() -> None:
    with pytest.raises(Unevaluable):
        holds("order.total > 1.0", activation({"return": {"units": 2}}))

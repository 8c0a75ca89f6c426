"""Conditions written in CEL (Common Expression Language, https://cel.dev) and
evaluated by cel-python: a hold rule's expression, a promotion's condition. The
facts an expression may name are given as JSON-like values; an absent fact (None)
is left out, so `has(...)` tells whether it is there.

A condition is stored only when it compiles and evaluates to true or false on a
sample of every fact (`refuse_bad_condition`): a typo in a name is found when it is
written, not on the next order."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import celpy
from celpy.adapter import json_to_cel
from celpy.celparser import CELParseError
from celpy.celtypes import BoolType
from celpy.evaluation import CELEvalError

from ordino.kernel.domain.errors import FieldError, InvalidInput


class Unevaluable(Exception):
    """A condition that cannot be evaluated on these facts (it names one they lack
    without `has`, compares a number with a string): its first line says why."""


@lru_cache(maxsize=1024)
def _program(expression: str) -> celpy.Runner:
    environment = celpy.Environment()
    return environment.program(environment.compile(expression))


def activation(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts as an expression reads them (absent ones left out)."""
    return {name: json_to_cel(value) for name, value in _present(facts).items()}


def holds(expression: str, facts: dict[str, Any]) -> bool:
    """Whether the condition is true of the facts (an `activation`), or Unevaluable:
    also when it gives a value, not true or false, on these facts (a condition checked
    on a sample may still branch to a string on others)."""
    try:
        result = _program(expression).evaluate(facts)
    except (CELParseError, CELEvalError) as error:
        raise Unevaluable(_first_line(error)) from error
    except RecursionError:  # nested deeper than the parser goes
        raise Unevaluable("nested too deeply") from None
    if isinstance(result, CELEvalError):
        raise Unevaluable(_first_line(result))
    if not isinstance(result, BoolType):
        raise Unevaluable(f"gave {type(result).__name__}, not true or false")
    return bool(result)


def refuse_bad_condition(expression: str, sample: dict[str, Any], field: str) -> None:
    """InvalidInput naming `field` unless the expression compiles and evaluates, to a
    boolean, on `sample` (facts with every fact there is)."""
    try:
        result = _program(expression).evaluate(activation(sample))
    except (CELParseError, CELEvalError) as error:
        raise InvalidInput(
            "the expression is not a condition Ordino can evaluate",
            errors=[FieldError(field, _first_line(error))],
        ) from error
    except RecursionError:
        raise InvalidInput.of(field, "nested too deeply") from None
    if not isinstance(result, BoolType):
        raise InvalidInput.of(field, "must be true or false, not a value")


def _present(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _present(v) for k, v in value.items() if v is not None}
    return value


def _first_line(error: Exception) -> str:
    text = str(error.args[0] if error.args else error)
    return text.splitlines()[0][:200]

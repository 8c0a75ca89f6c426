"""An invalid input, as a page says it: its detail, and every field it names."""

from __future__ import annotations

from ordino.kernel.domain import FieldError, InvalidInput


def test_an_invalid_input_says_each_field_its_detail_does_not_name() -> None:
    error = InvalidInput(
        "the receipt counts units the return does not await",
        errors=[FieldError("lines[0].quantity", "1 awaited"), FieldError("missing[0]", "none")],
    )

    assert str(error) == (
        "the receipt counts units the return does not await; "
        "lines[0].quantity: 1 awaited; missing[0]: none"
    )
    assert str(InvalidInput.of("reason", "say why")) == "reason: say why"  # named once

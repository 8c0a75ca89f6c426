"""The return policy: read (the default until one is stored) and replaced, each
change recorded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from ordino.kernel.domain import ConfigurationKind, FieldError, InvalidInput
from ordino.kernel.services import ORDINO, Changed, record
from ordino.network.domain import Channel, unknown
from ordino.network.services import channels_of
from ordino.returns.domain import POLICY_NAME, ReturnPolicy, policy_document
from ordino.returns.services.ports import ReturnsWork


def policy_of(uow: ReturnsWork) -> ReturnPolicy:
    """The policy stored, else the default (in an entered unit of work)."""
    stored = uow.return_policy.get(POLICY_NAME)
    if stored is None:
        return ReturnPolicy()
    policy, version = stored
    return replace(policy, version=version)


def get_policy(uow: ReturnsWork) -> dict[str, Any]:
    with uow:
        return policy_view(policy_of(uow))


def put_policy(
    policy: ReturnPolicy, uow: ReturnsWork, now: datetime, by: str = ORDINO
) -> dict[str, Any]:
    """Replace the policy; it applies to every return asked from now on (the change's
    `before` is the policy as it applied, the default if none was stored)."""
    if problems := policy.problems():
        raise InvalidInput("the policy cannot apply", errors=problems)
    policy.refuse_bad_condition()
    with uow:
        _refuse_unknown_channels(policy, channels_of(uow))
        before = policy_document(policy_of(uow))
        uow.return_policy.put(policy, now)
        saved = policy_of(uow)
        what = (ConfigurationKind.RETURN_POLICY, POLICY_NAME, saved.version)
        record(uow, what, before, policy_document(saved), Changed(by, now))
        uow.commit()
    return policy_view(saved)


def _refuse_unknown_channels(policy: ReturnPolicy, known: Mapping[str, Channel]) -> None:
    """A window of a channel Ordino does not know would never apply: refused, naming
    it (a typo of `app` must not leave the app's customers on the default window)."""
    errors = [
        FieldError(f"windows[{i}].channel", unknown(window.channel))
        for i, window in enumerate(policy.windows)
        if window.channel is not None and window.channel not in known
    ]
    if errors:
        raise InvalidInput("the policy names channels Ordino does not know", errors=errors)


def policy_view(policy: ReturnPolicy) -> dict[str, Any]:
    return policy_document(policy) | {"version": policy.version, "default": policy.version == 0}

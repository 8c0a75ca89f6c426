"""Channel use cases: configure one (which makes it known), read them. (The check
every use case that takes a channel's name makes is the model's: `known_channel`.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ordino.kernel.domain import ConfigurationKind, NotFound
from ordino.kernel.services import ORDINO, Changed, record
from ordino.network.domain.channels import Channel, channel_document
from ordino.network.services.ports import NetworkWork


def put_channel(
    channel: Channel, uow: NetworkWork, now: datetime, by: str = ORDINO
) -> tuple[bool, dict[str, Any]]:
    """Create or replace; True when created. The change is recorded, with `by`."""
    with uow:
        before = uow.channels.get(channel.name)
        created = uow.channels.put(channel, now)
        stored = uow.channels.get(channel.name)
        assert stored is not None
        record(
            uow,
            (ConfigurationKind.CHANNEL, channel.name, stored[1]),
            None if before is None else channel_document(before[0]),
            channel_document(channel),
            Changed(by, now),
        )
        uow.commit()
    return created, channel_answer(*stored)


def get_channel(name: str, uow: NetworkWork) -> dict[str, Any]:
    with uow:
        stored = uow.channels.get(name)
    if stored is None:
        raise NotFound(f"no channel {name}", extra={"channel": name})
    return channel_answer(*stored)


def list_channels(uow: NetworkWork) -> list[dict[str, Any]]:
    with uow:
        return [channel_answer(channel, version) for channel, version in uow.channels.all()]


def channels_of(uow: NetworkWork) -> dict[str, Channel]:
    """Every known channel, by name (in an entered unit of work)."""
    return {channel.name: channel for channel, _ in uow.channels.all()}


def channel_answer(channel: Channel, version: int) -> dict[str, Any]:
    return {"name": channel.name, **channel_document(channel), "version": version}

"""Publishing events to NATS JetStream (nats-py).

Each event goes to the subject `<prefix>.<type>` (`ordino.order.created`) as JSON
(`{id, type, occurred_at, subject, data}`), with its id as `Nats-Msg-Id`: within the
stream's duplicate window JetStream keeps one copy of an event published twice. The
stream (default `ORDINO`, subjects `<prefix>.>`) is created when missing. It keeps
events for `max_age` seconds (None: for ever; events carry customers' personal data,
so a deployment sets an age: `ORDINO_BROKER_MAX_AGE_DAYS`); a stream found with
another age is given this one. nats-py is asyncio; the publisher runs its own event
loop in a thread, so callers stay synchronous.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import nats
from nats.js.api import StreamConfig

from ordino.kernel.domain import Event, event_document


class NatsPublisher:
    def __init__(
        self,
        url: str,
        stream: str = "ORDINO",
        prefix: str = "ordino",
        timeout: float = 5.0,
        max_age: float | None = None,
    ) -> None:
        self.url, self.stream, self.prefix, self.timeout = url, stream, prefix, timeout
        self.max_age = max_age or 0.0  # seconds; the server's 0: no limit
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._client: Any = None
        self._js: Any = None

    def publish(self, events: Sequence[Event]) -> None:
        future = asyncio.run_coroutine_threadsafe(self._publish(list(events)), self._loop)
        future.result(timeout=self.timeout * (len(events) + 2))

    def close(self) -> None:
        if self._client is not None:
            asyncio.run_coroutine_threadsafe(self._client.drain(), self._loop).result(self.timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=self.timeout)
        self._loop.close()

    async def _publish(self, events: list[Event]) -> None:
        js = await self._jetstream()
        for event in events:  # one at a time, each acknowledged: the order holds
            await js.publish(
                f"{self.prefix}.{event.type}",
                json.dumps(event_document(event)).encode(),
                timeout=self.timeout,
                headers={"Nats-Msg-Id": event.id},
            )

    async def _jetstream(self) -> Any:
        if self._js is None:
            self._client = await nats.connect(self.url, connect_timeout=self.timeout)
            js = self._client.jetstream()
            subjects = [f"{self.prefix}.>"]
            try:
                info = await js.stream_info(self.stream)
            except nats.js.errors.NotFoundError:
                config = StreamConfig(name=self.stream, subjects=subjects, max_age=self.max_age)
                await js.add_stream(config)
            else:
                if (info.config.max_age or 0.0) != self.max_age:
                    await js.update_stream(replace(info.config, max_age=self.max_age))
            self._js = js
        return self._js

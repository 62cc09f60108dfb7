"""The bus between committed changes and the hubs: in-process, or Redis pub/sub across instances.

`publish` may be called from any thread (request handlers run in a thread pool); delivery always
happens on the event loop that started the bus. One commit's changes travel as one message and
are delivered together; messages of different commits may still arrive in any order (two
instances, two threads), which the hub puts right.
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable

from app.models.change import BoardChange

log = logging.getLogger(__name__)
CHANNEL = "bord:changes"
# Receives one commit's changes.
Deliver = Callable[[list[BoardChange]], None]


def encode(changes: list[BoardChange]) -> str:
    return json.dumps({"changes": [change.to_json() for change in changes]})


def decode(payload: str | bytes) -> list[BoardChange]:
    data = json.loads(payload)
    if "changes" in data:
        return [BoardChange.from_json(item) for item in data["changes"]]
    return [BoardChange.from_json(data)]  # one change per message, as published before


class MemoryBus:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._deliver: Deliver | None = None

    async def start(self, deliver: Deliver, on_reconnect: Callable[[], None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._deliver = deliver

    def publish(self, changes: list[BoardChange]) -> None:
        if not changes or self._loop is None or self._deliver is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._deliver, list(changes))

    async def stop(self) -> None:
        self._loop = None


class RedisBus:
    """Every instance publishes its commits and listens for everyone's (its own included)."""

    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        from redis import asyncio as aioredis

        self._redis = aioredis.from_url(url)
        self._channel = channel
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: asyncio.Task | None = None
        self._subscribed = asyncio.Event()

    async def start(self, deliver: Deliver, on_reconnect: Callable[[], None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._listener = asyncio.create_task(self._listen(deliver, on_reconnect))
        await asyncio.wait_for(self._subscribed.wait(), timeout=10)

    async def _listen(self, deliver: Deliver, on_reconnect: Callable[[], None]) -> None:
        first = True
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    self._subscribed.set()
                    if not first:
                        on_reconnect()  # we may have missed changes: screens must catch up
                    first = False
                    async for message in pubsub.listen():
                        if message.get("type") != "message":
                            continue
                        try:
                            changes = decode(message["data"])
                        except (ValueError, KeyError, TypeError):
                            log.warning("redis bus: a message that is not a change was ignored")
                            continue
                        deliver(changes)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep listening whatever Redis did
                log.warning("redis bus listener lost its connection (%s); retrying", exc)
                await asyncio.sleep(0.5)

    def publish(self, changes: list[BoardChange]) -> None:
        if not changes or self._loop is None or self._loop.is_closed():
            return
        asyncio.run_coroutine_threadsafe(self._publish(encode(changes)), self._loop)

    async def _publish(self, payload: str) -> None:
        try:
            await self._redis.publish(self._channel, payload)
        except Exception as exc:  # noqa: BLE001 - screens catch up from BoardEvent later
            log.warning("redis publish failed (%s)", exc)

    async def stop(self) -> None:
        if self._listener:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
        await self._redis.aclose()
        self._loop = None


def publish_from_outside(redis_url: str, channel: str, changes: list[BoardChange]) -> None:
    """For a process that is not a server (a `bord` command): hand committed changes to the
    servers' Redis channel, so their open screens follow."""
    from redis import Redis

    if not changes:
        return
    client = Redis.from_url(redis_url)
    try:
        client.publish(channel, encode(changes))
    finally:
        client.close()


def make_bus(redis_url: str | None, channel: str = CHANNEL) -> MemoryBus | RedisBus:
    return RedisBus(redis_url, channel) if redis_url else MemoryBus()

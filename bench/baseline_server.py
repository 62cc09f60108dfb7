"""The baseline: a bare `websockets` server, no database and no rendering.

GET /ws/<room> opens a screen; GET /trigger?room=R&m=MARKER broadcasts one frame of --size bytes
carrying the marker to every screen of room R with `websockets.broadcast()` and answers 200.
"""

import argparse
import asyncio
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import websockets
from websockets.asyncio.server import broadcast, serve

ROOMS: dict[str, set] = {}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--size", type=int, default=500)
    args = parser.parse_args()

    def process_request(connection, request):
        url = urlsplit(request.path)
        if url.path == "/trigger":
            query = parse_qs(url.query)
            room, marker = query["room"][0], query["m"][0]
            body = f'<div id="board-version" data-from="0" data-to="1"></div>{marker}'
            frame = body + " " * max(0, args.size - len(body))
            broadcast(ROOMS.get(room, ()), frame)
            return connection.respond(HTTPStatus.OK, "ok\n")
        return None

    async def handler(ws):
        room = urlsplit(ws.request.path).path.rsplit("/", 1)[-1]
        members = ROOMS.setdefault(room, set())
        members.add(ws)
        try:
            async for _ in ws:
                pass
        finally:
            members.discard(ws)

    async def run() -> None:
        async with serve(
            handler,
            "127.0.0.1",
            args.port,
            process_request=process_request,
            compression=None,
            ping_interval=None,
            max_queue=None,
        ):
            print("ready", flush=True)
            await asyncio.Future()

    asyncio.run(run())


if __name__ == "__main__":
    assert websockets
    main()

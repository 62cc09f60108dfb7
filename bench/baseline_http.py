"""The HTTP baseline: a bare Starlette app on uvicorn, no database and no rendering.

GET /json and GET /html answer the bytes of the files given (the very bytes Bord served, with
the same content type and encoding); GET /ping answers a few bytes. Served with the settings of
`bord serve`: httptools, uvloop, no access log, one worker.
"""

import argparse
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route


def fixed(body: bytes, media_type: str, encoding: str | None):
    headers = {"content-encoding": encoding} if encoding else None

    async def answer(request):
        return Response(body, media_type=media_type, headers=headers)

    return answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--html", type=Path, required=True)
    parser.add_argument("--encoding", default=None, help="content-encoding of both files, if any")
    args = parser.parse_args()

    app = Starlette(
        routes=[
            Route("/json", fixed(args.json.read_bytes(), "application/json", args.encoding)),
            Route(
                "/html", fixed(args.html.read_bytes(), "text/html; charset=utf-8", args.encoding)
            ),
            Route("/ping", fixed(b"ok\n", "text/plain", None)),
        ]
    )
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        http="httptools",
        loop="uvloop",
        access_log=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()

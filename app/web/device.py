"""A pupil's device: a random cookie, the only thing that tells two answers of a poll apart.

The cookie itself is never stored; a response keeps its hash salted with the poll's id
(app/services/poll_answers.py)."""

from fastapi import Request
from starlette.responses import Response

from app.config import Settings
from app.security.tokens import new_token

DEVICE_COOKIE = "bord_device"
DEVICE_DAYS = 365


def device_of(request: Request) -> str:
    """The device's cookie, or a new one (kept by `keep_device` on the answer)."""
    found = request.cookies.get(DEVICE_COOKIE, "")
    return found if 20 <= len(found) <= 64 and found.isascii() else new_token(24)


def keep_device(response: Response, device: str, settings: Settings) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        device,
        max_age=DEVICE_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"

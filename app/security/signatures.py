"""The signature of a webhook delivery (CONTRACT §3b): `X-Bord-Signature: t=<unix time>,
v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the webhook's secret as shown (its text)."""

import hashlib
import hmac

HEADER = "X-Bord-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"

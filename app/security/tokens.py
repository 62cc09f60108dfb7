import base64
import hashlib
import hmac
import json
import secrets
from typing import Any


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """Tokens are stored hashed; SHA-256 suffices because they are long and random."""
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def seal(secret: str, value: dict[str, Any]) -> str:
    """`value` as a cookie only this installation can have written (not hidden, only signed)."""
    body = base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).decode()
    return f"{body}.{_mac(secret, body)}"


def unseal(secret: str, sealed: str | None) -> dict[str, Any] | None:
    """What `seal` wrote, or None for anything else."""
    if not sealed or len(sealed) > 4096 or "." not in sealed:
        return None
    body, _, mac = sealed.rpartition(".")
    if not same(mac, _mac(secret, body)):
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(body.encode()))
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _mac(secret: str, body: str) -> str:
    return hmac.new(secret.encode(), b"seal:" + body.encode(), hashlib.sha256).hexdigest()

"""Where a webhook may call: http(s) only, and (unless the installation allows it) never a
loopback, private, link-local or otherwise non-public address, so that a school leader cannot
make the server call into the network it runs in. Checked when the URL is saved (names that
are addresses, and names that are local by definition) and again before every delivery (every
address the name resolves to)."""

import ipaddress
from urllib.parse import urlsplit

LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".home.arpa")


def url_problem(url: str, reach_private: bool) -> str | None:
    """Why `url` cannot be a webhook's URL (a short English reason), or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "not a valid URL"
    if parts.scheme not in ("http", "https"):
        return "only http and https URLs"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "the URL names no host"
    if reach_private:
        return None
    if host == LOCAL_NAMES[0] or host.endswith(LOCAL_NAMES[1:]):
        return "a local address"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: its addresses are checked before each delivery
    return None if is_public(address) else "a private or loopback address"


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_global

"""A real OpenID provider (`oidc-provider` from npm, tests/oidc/) on a free loopback port, and a
person signing in on its pages the way a browser would (its development login and consent
forms, posted with httpx)."""

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import httpx

from tests.conftest import NOW, free_port, unavailable

FOLDER = Path(__file__).parent / "oidc"
REDIRECT_URI = "http://testserver/login/sso/callback"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        unavailable("oidc", "node is not installed")
    if not (FOLDER / "node_modules" / "oidc-provider").is_dir():
        unavailable("oidc", "run `npm ci` in tests/oidc to install oidc-provider")
    return str(node)


@contextmanager
def provider(
    accounts: dict[str, dict],
    client_id: str = "bord",
    client_secret: str = "bord-secret",
    redirect_uri: str = REDIRECT_URI,
) -> Iterator[str]:
    """The issuer URL of a running provider that knows `accounts` (id → claims)."""
    node = _node()
    port = free_port()
    now_ms = int(NOW.timestamp() * 1000)
    config = {
        "clients": [
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "redirect_uris": [redirect_uri],
            }
        ],
        "accounts": accounts,
    }
    proc = subprocess.Popen(
        [node, str(FOLDER / "provider.mjs"), str(port), json.dumps(config), str(now_ms)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(issuer + "/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError("oidc-provider did not start")
            time.sleep(0.1)
        yield issuer
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _form(page: httpx.Response) -> tuple[str, dict[str, str]]:
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert action, page.text
    fields = dict(
        re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text)
    )
    return urljoin(str(page.url), action.group(1)), fields


class Browser:
    """Keeps the provider's cookies whatever their expiry says: the provider's clock is the
    tests' pinned one, not the wall clock httpx would judge them by."""

    def __init__(self) -> None:
        self.client = httpx.Client(follow_redirects=False, timeout=10)
        self.cookies: dict[str, str] = {}

    def send(self, method: str, url: str, data: dict[str, str] | None = None) -> httpx.Response:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer = self.client.request(method, url, data=data, headers={"cookie": cookie})
        for header in answer.headers.get_list("set-cookie"):
            name, _, value = header.split(";", 1)[0].partition("=")
            if value:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return answer


def sign_in_at_provider(authorize_url: str, login: str, *, consent: bool = True) -> str:
    """Log in as `login` on the provider's pages; where it sends the browser back to."""
    browser = Browser()
    with browser.client:
        answer = browser.send("GET", authorize_url)
        while answer.status_code in (302, 303) and not answer.headers["location"].startswith(
            REDIRECT_URI
        ):
            answer = browser.send("GET", urljoin(str(answer.url), answer.headers["location"]))
            if answer.status_code == 200:
                action, fields = _form(answer)
                if 'name="login"' in answer.text:
                    fields |= {"login": login, "password": "any"}
                elif not consent:  # the consent page's "Cancel"
                    answer = browser.send("GET", action + "/abort")
                    continue
                answer = browser.send("POST", action, data=fields)
        return answer.headers["location"]

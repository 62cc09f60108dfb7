"""The OpenID Connect relying party: discovery, the authorisation request (code flow with PKCE,
state and nonce), the code exchange and the ID token's checks against the provider's keys.

Every call to a provider is async and times out, so waiting for one holds neither a thread nor
a database connection."""

import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from app import clock
from app.config import OidcProvider

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
# Discovery documents and keys are kept this long; an unknown key id fetches the keys again.
CACHE_SECONDS = 3600
LEEWAY_SECONDS = 60


class ProviderDown(Exception):
    """The provider did not answer in time, or answered nonsense."""


class TokenRefused(Exception):
    """The code was refused, or the ID token fails a check; `reason` says which, for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None


def verify_id_token(
    token: str, keys: KeySet, *, issuer: str, client_id: str, nonce: str
) -> dict[str, Any]:
    """The claims of a signed ID token meant for this client and this sign-in, now valid.
    InvalidKeyIdError when the token names a key not in `keys` (the caller fetches them again)."""
    try:
        decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
    except InvalidKeyIdError:
        raise
    except (JoseError, ValueError) as exc:
        raise TokenRefused(f"signature: {exc}") from exc
    registry = jwt.JWTClaimsRegistry(
        now=int(clock.now().timestamp()),
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(decoded.claims)
    except JoseError as exc:
        raise TokenRefused(f"claims: {exc}") from exc
    if decoded.claims["iat"] > registry.now + LEEWAY_SECONDS:
        raise TokenRefused("claims: issued in the future")
    return decoded.claims


def key_id(token: str) -> str | None:
    try:
        kid = extract_compact(token.encode()).headers().get("kid")
    except (JoseError, ValueError) as exc:
        raise TokenRefused(f"malformed: {exc}") from exc
    return kid if isinstance(kid, str) else None


class OidcClient:
    """One per process: it keeps the providers' discovery documents and keys."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._metadata: dict[str, tuple[float, Metadata]] = {}
        self._keys: dict[str, tuple[float, KeySet]] = {}

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(url)
                response.raise_for_status()
                body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ProviderDown(f"{url}: {exc}") from exc
        if not isinstance(body, dict):
            raise ProviderDown(f"{url}: not a JSON object")
        return body

    async def metadata(self, provider: OidcProvider) -> Metadata:
        cached = self._metadata.get(provider.issuer)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        doc = await self._get_json(provider.discovery_url)
        try:
            found = Metadata(
                issuer=str(doc["issuer"]),
                authorization_endpoint=str(doc["authorization_endpoint"]),
                token_endpoint=str(doc["token_endpoint"]),
                jwks_uri=str(doc["jwks_uri"]),
                end_session_endpoint=doc.get("end_session_endpoint"),
            )
        except KeyError as exc:
            raise ProviderDown(f"discovery document lacks {exc}") from exc
        if found.issuer.rstrip("/") != provider.issuer.rstrip("/"):
            raise ProviderDown(f"discovery names issuer {found.issuer}")
        self._metadata[provider.issuer] = (time.monotonic(), found)
        return found

    async def _key_set(self, metadata: Metadata, *, fresh: bool = False) -> KeySet:
        cached = self._keys.get(metadata.jwks_uri)
        if cached and not fresh and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            keys = KeySet.import_key_set(await self._get_json(metadata.jwks_uri))  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError) as exc:
            raise ProviderDown(f"keys: {exc}") from exc
        self._keys[metadata.jwks_uri] = (time.monotonic(), keys)
        return keys

    def _client(self, provider: OidcProvider, redirect_uri: str) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            scope=provider.scope,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=self.timeout,
        )

    async def authorization_url(
        self,
        provider: OidcProvider,
        *,
        redirect_uri: str,
        state: str,
        nonce: str,
        code_verifier: str,
        login_hint: str | None = None,
    ) -> str:
        metadata = await self.metadata(provider)
        extra = {"login_hint": login_hint} if login_hint else {}
        async with self._client(provider, redirect_uri) as client:
            url, _state = client.create_authorization_url(
                metadata.authorization_endpoint,
                state=state,
                nonce=nonce,
                code_verifier=code_verifier,
                **extra,
            )
        return str(url)

    async def id_token_claims(
        self,
        provider: OidcProvider,
        *,
        code: str,
        redirect_uri: str,
        code_verifier: str,
        nonce: str,
    ) -> dict[str, Any]:
        """Exchange the code (once: the provider refuses a replay) and check the ID token."""
        metadata = await self.metadata(provider)
        try:
            async with self._client(provider, redirect_uri) as client:
                token = await client.fetch_token(
                    metadata.token_endpoint, code=code, code_verifier=code_verifier
                )
        except OAuthError as exc:
            raise TokenRefused(f"code: {exc.error}") from exc
        except httpx.HTTPError as exc:
            raise ProviderDown(f"token endpoint: {exc}") from exc
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise TokenRefused("no id_token")
        kid = key_id(id_token)
        keys = await self._key_set(metadata)
        check = {"issuer": metadata.issuer, "client_id": provider.client_id, "nonce": nonce}
        try:
            return verify_id_token(id_token, keys, **check)
        except InvalidKeyIdError:
            pass
        # The provider has rolled its keys since they were fetched: fetch them once more.
        keys = await self._key_set(metadata, fresh=True)
        try:
            return verify_id_token(id_token, keys, **check)
        except InvalidKeyIdError as exc:
            raise TokenRefused(f"unknown key {kid}") from exc

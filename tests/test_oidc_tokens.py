"""The ID token checks, with tokens signed by keys the test holds: a token that is not for Bord,
not for this sign-in, out of date or signed by someone else is refused."""

from datetime import timedelta

import pytest
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError
from joserfc.jwk import KeySet, RSAKey

from app import clock
from app.security.oidc import TokenRefused, verify_id_token
from app.security.tokens import seal, unseal

ISSUER = "https://login.example.nl"
KEY = RSAKey.generate_key(2048, parameters={"kid": "one"})
KEYS = KeySet([KEY])


def token(key: RSAKey = KEY, **changes) -> str:
    now = int(clock.now().timestamp())
    claims = {
        "iss": ISSUER,
        "aud": "bord",
        "sub": "anna",
        "nonce": "n-1",
        "iat": now,
        "exp": now + 300,
        "email": "anna@deklimop.nl",
        "email_verified": True,
    } | changes
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def check(signed: str, keys: KeySet = KEYS) -> dict:
    return verify_id_token(signed, keys, issuer=ISSUER, client_id="bord", nonce="n-1")


def test_a_good_token_gives_its_claims():
    assert check(token())["email"] == "anna@deklimop.nl"


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-service"},
        {"iss": "https://evil.example"},
        {"nonce": "n-2"},
        {"exp": -300},
        {"iat": 3600},
    ],
    ids=["wrong audience", "wrong issuer", "another sign-in", "expired", "issued later"],
)
def test_a_token_not_for_this_sign_in_is_refused(changes):
    now = int(clock.now().timestamp())
    times = {k: now + v for k, v in changes.items() if k in ("exp", "iat")}  # seconds from now
    with pytest.raises(TokenRefused):
        check(token(**(changes | times)))


def test_an_expired_token_is_refused_at_the_pinned_time():
    signed = token()
    clock.set_now(clock.now() + timedelta(minutes=10))
    with pytest.raises(TokenRefused):
        check(signed)


def test_a_token_signed_by_another_key_of_the_same_name_is_refused():
    forged = RSAKey.generate_key(2048, parameters={"kid": "one"})
    with pytest.raises(TokenRefused):
        check(token(forged))


def test_an_unknown_key_asks_for_the_keys_again():
    rolled = RSAKey.generate_key(2048, parameters={"kid": "two"})
    with pytest.raises(InvalidKeyIdError):
        check(token(rolled))
    assert check(token(rolled), KeySet([KEY, rolled]))["sub"] == "anna"


def test_a_sealed_value_cannot_be_changed():
    sealed = seal("secret", {"state": "abc"})
    assert unseal("secret", sealed) == {"state": "abc"}
    _body, _, mac = sealed.rpartition(".")
    assert unseal("secret", seal("secret", {"state": "abd"}).rpartition(".")[0] + "." + mac) is None
    assert unseal("other secret", sealed) is None
    assert unseal("secret", "garbage") is None

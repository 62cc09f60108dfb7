"""Signing in with the school's own account, against a real OpenID provider on loopback
(tests/oidc_provider.py): who gets in, who does not, and that a refusal creates nothing."""

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as fuzzing
from hypothesis import strategies as st
from joserfc.jwk import KeySet, RSAKey

from app import clock
from app.config import OidcProvider, Settings
from app.models import IdentityLink, Invitation, Membership, Role, SchoolSignIn, User, UserSession
from tests.factories import PASSWORD
from tests.oidc_provider import provider, sign_in_at_provider
from tests.test_web_auth import post_login

STAFF = {"email_verified": True, "affiliation": "employee"}
ACCOUNTS = {
    "anna": {"email": "anna@deklimop.nl", "name": "Anna de Vries"} | STAFF,
    "tim": {"email": "tim@deklimop.nl", "name": "Tim"} | STAFF,
    "sneaky": STAFF | {"email": "anna@deklimop.nl", "name": "Niet", "email_verified": False},
    "nieuw": {"email": "nieuw@deklimop.nl", "name": "Nora Nieuw"} | STAFF,
    "bas": {"email": "bas@gmail.com", "name": "Bas", "brin": "12AB"} | STAFF,
    "leerling": {"email": "lotte@deklimop.nl", "affiliation": "student", "email_verified": True},
}
OTHER_ACCOUNTS = {
    "tim-elders": {"email": "tim@deklimop.nl", "email_verified": True, "name": "Tim"},
}


@pytest.fixture(scope="module")
def issuers():
    with provider(ACCOUNTS) as school_issuer, provider(OTHER_ACCOUNTS, "bord2") as other:
        yield school_issuer, other


@pytest.fixture
def settings(database_url, issuers) -> Settings:
    school_issuer, other = issuers
    providers = {
        "klimop": OidcProvider(
            title="Klimop-account",
            issuer=school_issuer,
            client_id="bord",
            client_secret="bord-secret",
            brin_claim="brin",
            role_claim="affiliation",
        ),
        "elders": OidcProvider(
            title="Elders", issuer=other, client_id="bord2", client_secret="bord-secret"
        ),
    }
    return Settings(
        env="test",
        database_url=database_url,
        redis_url=None,
        secret_key="test",
        oidc_providers=providers,
        oidc_timeout_seconds=5,
    )


@pytest.fixture
def klimop(factory):
    school = factory.school("De Klimop", "de-klimop")
    factory._save(SchoolSignIn(school_id=school.id, provider="klimop", domains="deklimop.nl"))
    return school


def member(factory, school, email: str, role: Role = Role.teacher) -> User:
    user = factory.user(school, role)
    with factory.session() as s:
        row = s.get(User, user.id)
        row.email = email
        s.add(row)
        s.commit()
    return factory.get(User, user.id)


def invite(factory, school, email: str) -> Invitation:
    invitation = Invitation(
        school_id=school.id,
        email=email,
        name="Anna",
        role=Role.ib,
        token_hash=email,
        expires_at=clock.now() + timedelta(days=14),
    )
    factory._save(invitation)
    return invitation


def sign_in(client, login: str, *, consent: bool = True, **params):
    """From Bord's login form to the provider and back; Bord's last answer."""
    sent = client.get(
        "/login/sso", params=params or {"email": "x@deklimop.nl"}, follow_redirects=False
    )
    assert sent.status_code == 303, sent.text
    back = sign_in_at_provider(sent.headers["location"], login, consent=consent)
    answer = client.get(back.replace("http://testserver", ""), follow_redirects=False)
    return answer


def signed_in_as(client) -> str:
    me = client.get("/me", follow_redirects=False)
    assert me.status_code == 200
    return me.text


def test_login_page_offers_the_school_account(client, klimop):
    page = client.get("/login")
    assert "Inloggen met je schoolaccount" in page.text
    assert 'action="/login/sso"' in page.text


def test_an_invited_colleague_signs_in_and_the_subject_is_linked(client, factory, klimop):
    invitation = invite(factory, klimop, "anna@deklimop.nl")
    answer = sign_in(client, "anna")
    assert answer.status_code == 303
    assert "bord_session" in answer.cookies
    [anna] = [user for user in factory.all(User) if user.email == "anna@deklimop.nl"]
    assert anna.name == "Anna de Vries"
    assert factory.get(Invitation, invitation.id).accepted_by_id == anna.id
    roles = [(m.school_id, m.role) for m in factory.all(Membership) if m.user_id == anna.id]
    assert roles == [(klimop.id, Role.ib)]
    [link] = factory.all(IdentityLink)
    assert (link.subject, link.user_id, link.school_id) == ("anna", anna.id, klimop.id)
    assert "Anna de Vries" in signed_in_as(client)


def test_afterwards_the_subject_decides_not_the_address(client, factory, klimop):
    tim = member(factory, klimop, "tim@deklimop.nl")
    assert sign_in(client, "tim").status_code == 303
    with factory.session() as s:  # the address changes at Bord; the link still holds
        row = s.get(User, tim.id)
        row.email = "t.jansen@deklimop.nl"
        s.add(row)
        s.commit()
    client.cookies.clear()
    answer = sign_in(client, "tim")
    assert answer.status_code == 303
    assert len(factory.all(IdentityLink)) == 1
    sessions = [s.user_id for s in factory.all(UserSession)]
    assert sessions == [tim.id, tim.id]


def test_an_unverified_address_links_nothing(client, factory, klimop):
    invite(factory, klimop, "anna@deklimop.nl")
    answer = sign_in(client, "sneaky")
    assert answer.status_code == 400
    assert "bevestigt je e-mailadres niet" in answer.text
    assert "bord_session" not in answer.cookies
    assert factory.all(IdentityLink) == [] and factory.all(UserSession) == []
    assert factory.all(Invitation)[0].accepted_at is None


def test_without_automatic_accounts_a_stranger_is_refused(client, factory, klimop):
    answer = sign_in(client, "nieuw")
    assert answer.status_code == 400
    assert "nog geen Bord-account" in answer.text
    assert factory.all(User) == [] and factory.all(UserSession) == []


def test_with_automatic_accounts_a_colleague_of_the_domain_gets_one(client, factory, klimop):
    with factory.session() as s:
        config = s.get(SchoolSignIn, 1)
        config.auto_accounts = True
        s.add(config)
        s.commit()
    answer = sign_in(client, "nieuw")
    assert answer.status_code == 303
    [nora] = factory.all(User)
    assert (nora.email, nora.name) == ("nieuw@deklimop.nl", "Nora Nieuw")
    [membership] = factory.all(Membership)
    assert (membership.school_id, membership.role) == (klimop.id, Role.teacher)


def test_with_automatic_accounts_the_schools_brin_lets_one_in(client, factory, klimop):
    with factory.session() as s:
        s.get(type(klimop), klimop.id).brin = "12AB"
        config = s.get(SchoolSignIn, 1)
        config.auto_accounts = True
        s.add(config)
        s.commit()
    answer = sign_in(client, "bas", school="de-klimop")
    assert answer.status_code == 303, answer.text[answer.text.find("form-error") :][:300]
    assert [u.email for u in factory.all(User)] == ["bas@gmail.com"]


def test_a_pupil_is_refused_even_with_automatic_accounts(client, factory, klimop):
    with factory.session() as s:
        config = s.get(SchoolSignIn, 1)
        config.auto_accounts = True
        s.add(config)
        s.commit()
    answer = sign_in(client, "leerling")
    assert answer.status_code == 400
    assert "personeel van de school" in answer.text
    assert factory.all(User) == [] and factory.all(IdentityLink) == []


def test_another_providers_user_is_refused_at_a_school_not_theirs(client, factory, klimop):
    tim = member(factory, klimop, "tim@deklimop.nl")
    elders = factory.school("Elders", "elders")
    factory._save(
        SchoolSignIn(school_id=elders.id, provider="elders", domains="", auto_accounts=True)
    )
    answer = sign_in(client, "tim-elders", school="elders")
    assert answer.status_code == 400
    assert "hoort niet bij deze school" in answer.text
    assert factory.all(IdentityLink) == [] and factory.all(UserSession) == []
    assert [m.school_id for m in factory.all(Membership) if m.user_id == tim.id] == [klimop.id]


def test_a_tampered_state_is_refused(client, factory, klimop):
    member(factory, klimop, "tim@deklimop.nl")
    sent = client.get("/login/sso", params={"school": "de-klimop"}, follow_redirects=False)
    back = sign_in_at_provider(sent.headers["location"], "tim")
    query = parse_qs(urlsplit(back).query)
    query["state"] = ["x" + query["state"][0]]
    answer = client.get("/login/sso/callback?" + urlencode(query, doseq=True))
    assert answer.status_code == 400
    assert "opnieuw vanaf de inlogpagina" in answer.text
    assert factory.all(UserSession) == []


def test_a_replayed_code_is_refused(client, factory, klimop):
    member(factory, klimop, "tim@deklimop.nl")
    sent = client.get("/login/sso", params={"school": "de-klimop"}, follow_redirects=False)
    flow = client.cookies.get("bord_sso")
    back = sign_in_at_provider(sent.headers["location"], "tim").replace("http://testserver", "")
    assert client.get(back, follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set("bord_sso", flow, path="/login/sso")  # the same browser state, again
    again = client.get(back, follow_redirects=False)
    assert again.status_code == 400
    assert "bord_session" not in again.cookies
    assert len(factory.all(UserSession)) == 1


def test_cancelled_consent_creates_nothing(client, factory, klimop):
    invite(factory, klimop, "anna@deklimop.nl")
    answer = sign_in(client, "anna", consent=False)
    assert answer.status_code == 400
    assert "afgebroken" in answer.text
    assert len(factory.all(User)) == 0 and factory.all(IdentityLink) == []


def test_an_unknown_school_gets_a_page(client, klimop):
    answer = client.get("/login/sso", params={"email": "iemand@elders.nl"})
    assert answer.status_code == 404
    assert "We kennen geen school" in answer.text


def test_a_provider_that_is_down_gets_a_page(client, factory, settings):
    settings.oidc_providers["klimop"] = OidcProvider(
        title="Weg", issuer="http://127.0.0.1:9", client_id="bord", client_secret="x"
    )
    school = factory.school("De Klimop", "de-klimop")
    factory._save(SchoolSignIn(school_id=school.id, provider="klimop", domains="deklimop.nl"))
    answer = client.get("/login/sso", params={"email": "tim@deklimop.nl"})
    assert answer.status_code == 504
    assert "antwoordt nu niet" in answer.text


def test_passwords_off_refuses_the_password_but_not_the_admin(client, factory, klimop):
    tim = member(factory, klimop, "tim@deklimop.nl")
    admin = member(factory, klimop, "beheer@deklimop.nl", Role.leader)
    with factory.session() as s:
        s.get(User, admin.id).is_admin = True
        config = s.get(SchoolSignIn, 1)
        config.passwords_off = True
        s.add(config)
        s.commit()
    refused = post_login(client, tim.email, PASSWORD)
    assert refused.status_code == 403
    assert "logt in met het schoolaccount" in refused.text
    assert post_login(client, admin.email, PASSWORD).status_code == 303


def test_logout_ends_the_session(client, factory, klimop):
    member(factory, klimop, "tim@deklimop.nl")
    assert sign_in(client, "tim").status_code == 303
    csrf = next(s.csrf_token for s in factory.all(UserSession))
    assert (
        client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    )
    assert factory.all(UserSession)[0].revoked_at is not None
    assert client.get("/me", follow_redirects=False).status_code == 303


# --- the admin's settings -----------------------------------------------------------------------


def test_the_admin_switches_a_schools_sign_in_on_and_off(client, factory):
    admin = factory.user(admin=True)
    school = factory.school("De Vlinder", "de-vlinder")
    csrf = factory.login(admin)
    page = client.get("/admin/schools").text
    assert "Inloggen met schoolaccount" in page and "Klimop" in page
    url = f"/admin/schools/{school.id}/sign-in"
    data = {"csrf_token": csrf, "provider": "klimop", "domains": "@Vlinder.nl, vlinder.org"}
    answer = client.post(url, data=data | {"auto_accounts": "1"}, follow_redirects=False)
    assert answer.status_code == 303
    [row] = factory.all(SchoolSignIn)
    assert (row.provider, row.domains, row.auto_accounts, row.passwords_off) == (
        "klimop",
        "vlinder.nl vlinder.org",
        True,
        False,
    )
    assert "client_secret" not in client.get("/admin/schools").text
    assert "bord-secret" not in client.get("/admin/schools").text
    off = client.post(url, data={"csrf_token": csrf, "provider": ""}, follow_redirects=False)
    assert off.status_code == 303
    assert factory.all(SchoolSignIn) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("provider", "onbekend", "Kies een van de inlogdiensten"),
        ("domains", "geen-domein", "Vul e-maildomeinen in"),
    ],
)
def test_a_bad_sign_in_setting_is_refused_by_its_field(client, factory, field, value, message):
    admin = factory.user(admin=True)
    school = factory.school("De Vlinder", "de-vlinder")
    csrf = factory.login(admin)
    data = {"csrf_token": csrf, "provider": "klimop", "domains": "vlinder.nl"} | {field: value}
    answer = client.post(f"/admin/schools/{school.id}/sign-in", data=data)
    assert answer.status_code == 422
    assert message in answer.text
    assert factory.all(SchoolSignIn) == []


def test_a_leader_cannot_change_sign_in(client, factory, klimop):
    leader = factory.user(klimop, Role.leader)
    csrf = factory.login(leader)
    data = {"csrf_token": csrf, "provider": "elders", "passwords_off": "1"}
    answer = client.post(f"/admin/schools/{klimop.id}/sign-in", data=data)
    assert answer.status_code == 404
    assert factory.all(SchoolSignIn)[0].provider == "klimop"


# --- anything in the query string ---------------------------------------------------------------

QUERY = st.dictionaries(
    st.sampled_from(["state", "code", "error", "school", "email", "next", "iss"]),
    st.text(max_size=300),
    max_size=5,
)


@given(query=QUERY)
@fuzzing(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_sign_in_pages_never_fail_on_what_they_are_sent(client, klimop, query):
    for path in ("/login/sso", "/login/sso/callback"):
        answer = client.get(path, params=query, follow_redirects=False)
        assert answer.status_code < 500 or answer.status_code == 504, (path, query)
        assert "bord_session" not in answer.cookies


def test_keys_the_provider_rolled_are_fetched_again(client, app, factory, klimop):
    """Bord holds keys the provider no longer signs with: the unknown key id fetches them anew."""
    member(factory, klimop, "tim@deklimop.nl")
    sent = client.get("/login/sso", params={"school": "de-klimop"}, follow_redirects=False)
    oidc = app.state.oidc
    [(_at, metadata)] = oidc._metadata.values()
    stale = KeySet([RSAKey.generate_key(2048, parameters={"kid": "retired"})])
    oidc._keys[metadata.jwks_uri] = (time.monotonic(), stale)
    back = sign_in_at_provider(sent.headers["location"], "tim")
    answer = client.get(back.replace("http://testserver", ""), follow_redirects=False)
    assert answer.status_code == 303
    assert oidc._keys[metadata.jwks_uri][1] is not stale


def test_two_schools_on_one_domain_are_offered_to_choose_from(client, factory, klimop):
    other = factory.school("De Klimop Zuid", "klimop-zuid")
    factory._save(SchoolSignIn(school_id=other.id, provider="klimop", domains="deklimop.nl"))
    page = client.get("/login/sso", params={"email": "tim@deklimop.nl"})
    assert page.status_code == 200
    assert "Kies je school" in page.text
    assert "school=de-klimop" in page.text and "school=klimop-zuid" in page.text
    member(factory, other, "tim@deklimop.nl")
    assert sign_in(client, "tim", school="klimop-zuid", email="tim@deklimop.nl").status_code == 303

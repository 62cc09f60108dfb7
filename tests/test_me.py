"""Your own account: PATCH /api/v1/me, the logins (/api/v1/me/sessions), the profile page /me,
and when an API token was last used."""

from datetime import timedelta

from fastapi.testclient import TestClient

from app import clock
from app.models import ApiToken, User, UserSession
from tests.factories import PASSWORD

API = "/api/v1"


def live_logins(factory, user_id: int) -> list[UserSession]:
    return [s for s in factory.all(UserSession) if s.user_id == user_id and s.revoked_at is None]


# --- the JSON API -------------------------------------------------------------------------------


def test_profile_endpoints_need_credentials(client):
    assert client.patch(f"{API}/me", json={"name": "X"}).status_code == 401
    assert client.get(f"{API}/me/sessions").status_code == 401
    assert client.delete(f"{API}/me/sessions").status_code == 401
    assert client.delete(f"{API}/me/sessions/1").status_code == 401


def test_change_name_and_language(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    answer = client.patch(
        f"{API}/me", json={"name": " Tim de Vries ", "locale": "en"}, headers=headers
    )
    assert answer.status_code == 200
    assert (answer.json()["name"], answer.json()["locale"]) == ("Tim de Vries", "en")
    assert client.patch(f"{API}/me", json={}, headers=headers).json()["name"] == "Tim de Vries"


def test_bad_profile_input_is_422_naming_the_field(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    for body, field in (
        ({"locale": "de"}, "locale"),
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
    ):
        answer = client.patch(f"{API}/me", json=body, headers=headers)
        assert answer.status_code == 422, body
        assert answer.json()["detail"][0]["loc"][:2] == ["body", field]
    me = factory.get(User, w.teacher.id)
    assert (me.name, me.locale) == ("Tim Teacher", "nl")


def test_list_and_end_logins(client, factory):
    w = factory.world()
    first = TestClient(client.app)
    factory.login(w.teacher, first)
    csrf = factory.login(w.teacher)  # this client: the current login
    listed = client.get(f"{API}/me/sessions").json()
    assert len(listed) == 2
    assert [s["current"] for s in listed].count(True) == 1
    other = next(s for s in listed if not s["current"])
    factory.login(w.other_teacher, TestClient(client.app))
    foreign = next(s for s in factory.all(UserSession) if s.user_id == w.other_teacher.id)
    headers = {"X-CSRF-Token": csrf}
    assert client.delete(f"{API}/me/sessions/{foreign.id}", headers=headers).status_code == 404
    assert client.delete(f"{API}/me/sessions/{other['id']}", headers=headers).status_code == 204
    assert first.get(f"{API}/me").status_code == 401
    assert len(live_logins(factory, w.teacher.id)) == 1
    assert client.get(f"{API}/me").status_code == 200


def test_sign_out_everywhere_else_keeps_this_login(client, factory):
    w = factory.world()
    others = [TestClient(client.app) for _ in range(2)]
    for other in others:
        factory.login(w.teacher, other)
    csrf = factory.login(w.teacher)
    assert client.delete(f"{API}/me/sessions", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert [o.get(f"{API}/me").status_code for o in others] == [401, 401]
    assert client.get(f"{API}/me").status_code == 200
    assert len(live_logins(factory, w.other_teacher.id)) == 0  # nobody else's touched


# --- when a token was last used -----------------------------------------------------------------


def test_a_tokens_last_use_is_stamped_at_most_every_five_minutes(app, client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    [row] = factory.all(ApiToken)
    assert row.last_used_at is None
    assert client.get(f"{API}/me", headers=headers).status_code == 200
    app.state.token_use.flush()
    first = factory.get(ApiToken, row.id).last_used_at
    assert first is not None

    clock.set_now(clock.now() + timedelta(minutes=2))
    client.get(f"{API}/boards/{w.board.id}", headers=headers)  # the cached board read too
    app.state.token_use.flush()
    assert factory.get(ApiToken, row.id).last_used_at == first

    clock.set_now(clock.now() + timedelta(minutes=4))
    assert client.get(f"{API}/boards/{w.board.id}", headers=headers).status_code == 200
    app.state.token_use.flush()
    later = factory.get(ApiToken, row.id).last_used_at
    assert later is not None and later > first
    listed = client.get(f"{API}/tokens", headers=headers).json()
    assert listed[0]["last_used_at"] is not None


def test_a_refused_token_is_never_stamped(app, client, factory):
    w = factory.world()
    factory.api(w.teacher)
    client.get(f"{API}/me", headers={"Authorization": "Bearer bord_not-a-token"})
    app.state.token_use.flush()
    assert [t.last_used_at for t in factory.all(ApiToken)] == [None]


# --- the page -----------------------------------------------------------------------------------


def test_the_profile_page_needs_a_login(client):
    answer = client.get("/me", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/me"


def test_the_profile_page_shows_name_logins_and_tokens(client, factory):
    w = factory.world()
    factory.api(w.teacher)
    factory.login(w.teacher)
    page = client.get("/me")
    assert page.status_code == 200
    assert 'value="Tim Teacher"' in page.text
    assert "dit apparaat" in page.text
    assert "nog nooit" in page.text  # the token was never used
    assert 'href="/me"' in client.get("/").text


def test_change_name_on_the_page(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    answer = client.post("/me/name", data={"csrf_token": csrf, "name": "Tim de Vries"})
    assert answer.status_code == 200 and "Je naam is opgeslagen." in answer.text
    assert factory.get(User, w.teacher.id).name == "Tim de Vries"
    refused = client.post("/me/name", data={"csrf_token": csrf, "name": "  "})
    assert refused.status_code == 422
    assert 'id="profile-name-error"' in refused.text
    assert factory.get(User, w.teacher.id).name == "Tim de Vries"


def test_change_language_on_the_page(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    answer = client.post("/me/locale", data={"csrf_token": csrf, "locale": "en"})
    assert answer.status_code == 200 and "My profile" in answer.text
    assert client.post("/me/locale", data={"csrf_token": csrf, "locale": "xx"}).status_code == 422
    assert factory.get(User, w.teacher.id).locale == "en"


def test_change_password_ends_the_other_logins_only(client, factory):
    w = factory.world()
    other = TestClient(client.app)
    factory.login(w.teacher, other)
    csrf = factory.login(w.teacher)
    wrong = client.post(
        "/me/password",
        data={"csrf_token": csrf, "current_password": "fout", "new_password": "nieuw-wachtwoord"},
    )
    assert wrong.status_code == 422 and "niet je huidige wachtwoord" in wrong.text
    short = client.post(
        "/me/password",
        data={"csrf_token": csrf, "current_password": PASSWORD, "new_password": "kort"},
    )
    assert short.status_code == 422 and "minstens 8 tekens" in short.text
    assert other.get(f"{API}/me").status_code == 200  # nothing changed yet
    changed = client.post(
        "/me/password",
        data={"csrf_token": csrf, "current_password": PASSWORD, "new_password": "nieuw-wachtwoord"},
    )
    assert changed.status_code == 200 and "Je wachtwoord is gewijzigd" in changed.text
    assert other.get(f"{API}/me").status_code == 401
    assert client.get(f"{API}/me").status_code == 200
    from app.security.passwords import verify_password

    assert verify_password("nieuw-wachtwoord", factory.get(User, w.teacher.id).password_hash)


def test_sign_out_elsewhere_and_everywhere_on_the_page(client, factory):
    w = factory.world()
    other = TestClient(client.app)
    factory.login(w.teacher, other)
    csrf = factory.login(w.teacher)
    page = client.get("/me")
    assert page.text.count('/end"') == 1  # one other device to sign out, not this one
    assert client.post("/me/sessions/end-others", data={"csrf_token": csrf}).status_code == 200
    assert other.get(f"{API}/me").status_code == 401
    everywhere = client.post(
        "/me/sessions/end-all", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert everywhere.status_code == 303 and everywhere.headers["location"] == "/login"
    assert live_logins(factory, w.teacher.id) == []


def test_create_and_revoke_a_token_on_the_page(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    made = client.post("/me/tokens", data={"csrf_token": csrf, "label": "rooster"})
    assert made.status_code == 200
    token = made.text.split('id="new-token" class="profile-token" value="')[1].split('"')[0]
    assert token.startswith("bord_")
    assert client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert token not in client.get("/me").text  # shown once
    too_long = client.post("/me/tokens", data={"csrf_token": csrf, "label": "x" * 121})
    assert too_long.status_code == 422 and 'id="token-label-error"' in too_long.text
    [row] = factory.all(ApiToken)
    revoked = client.post(f"/me/tokens/{row.id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 200 and "De sleutel werkt niet meer." in revoked.text
    fresh = TestClient(client.app)
    assert fresh.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401

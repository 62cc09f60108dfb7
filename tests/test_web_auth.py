"""Logging in and out through the pages: refusals first, then the happy paths."""

from app.config import Settings
from app.main import create_app
from app.models import User, UserSession
from tests.factories import PASSWORD, form_token


def login_token(client) -> str:
    return form_token(client, "/login")


def post_login(client, email, password, **extra):
    token = extra.pop("csrf_token", None) or login_token(client)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, **extra},
        follow_redirects=False,
    )


def test_anonymous_pages_redirect_to_login(client, factory):
    w = factory.world()
    for path in ("/", f"/boards/{w.board.id}"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/login?next={path}"


def test_anonymous_htmx_request_is_redirected_by_htmx(client, factory):
    w = factory.world()
    answer = client.post(
        f"/boards/{w.board.id}/ideas", data={"text": "x"}, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 204
    assert answer.headers["HX-Redirect"].startswith("/login?next=")


def test_login_form_has_the_fields(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="email"' in page.text and 'name="password"' in page.text
    assert 'lang="nl"' in page.text and "Inloggen" in page.text


def test_login_without_the_form_token_is_refused(client, factory):
    w = factory.world()
    answer = client.post(
        "/login",
        data={"email": w.teacher.email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "verlopen" in answer.text
    assert "bord_session" not in answer.cookies
    assert factory.all(UserSession) == []


def test_login_with_a_forged_form_token_is_refused(client, factory):
    w = factory.world()
    login_token(client)
    answer = post_login(client, w.teacher.email, PASSWORD, csrf_token="forged")
    assert answer.status_code == 403
    assert factory.all(UserSession) == []


def test_wrong_password_says_so_keeps_the_email_and_answers_401(client, factory):
    w = factory.world()
    answer = post_login(client, w.teacher.email, "niet-het-wachtwoord")
    assert answer.status_code == 401
    assert "horen niet bij elkaar" in answer.text
    assert f'value="{w.teacher.email}"' in answer.text
    assert "niet-het-wachtwoord" not in answer.text
    assert 'aria-invalid="true"' in answer.text


def test_empty_fields_are_named(client):
    answer = post_login(client, "", "")
    assert answer.status_code == 422
    assert "Vul je e-mailadres in." in answer.text
    assert "Vul je wachtwoord in." in answer.text


def test_repeated_failures_are_throttled_with_a_clear_message(client, factory):
    w = factory.world()
    for _ in range(5):
        assert post_login(client, w.teacher.email, "fout-fout").status_code == 401
    answer = post_login(client, w.teacher.email, PASSWORD)  # even the right password
    assert answer.status_code == 429
    assert "Te veel mislukte pogingen" in answer.text
    assert "bord_session" not in answer.cookies


def test_login_sets_a_safe_session_cookie_and_follows_a_local_next(client, factory):
    w = factory.world()
    answer = post_login(client, w.teacher.email.upper(), PASSWORD, next=f"/boards/{w.board.id}")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/boards/{w.board.id}"
    cookie = next(
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and "bord_session" in v
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert client.get(f"/boards/{w.board.id}").status_code == 200


def test_next_must_be_a_local_path(client, factory):
    w = factory.world()
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        client.cookies.clear()
        answer = post_login(client, w.teacher.email, PASSWORD, next=target)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/"


def test_session_cookie_is_secure_in_production(tmp_path, sqlite_template):
    import shutil

    from fastapi.testclient import TestClient

    from tests.factories import Factory

    db = tmp_path / "bord.db"
    shutil.copy(sqlite_template, db)
    settings = Settings(env="production", database_url=f"sqlite:///{db}", secret_key="geheim")
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as client:
        w = Factory(app, client).world()
        page = client.get("/login")
        assert "Secure" in page.headers["set-cookie"]
        answer = post_login(client, w.teacher.email, PASSWORD)
        assert answer.status_code == 303
        assert "Secure" in answer.headers["set-cookie"]


def test_logout_needs_the_csrf_token(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    answer = client.post("/logout", follow_redirects=False)
    assert answer.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_logout_revokes_the_session(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    old_cookie = client.cookies.get("bord_session")
    answer = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"
    [row] = factory.all(UserSession)
    assert row.revoked_at is not None
    client.cookies.set("bord_session", old_cookie)  # the old cookie no longer works
    assert client.get("/", follow_redirects=False).status_code == 303


def test_home_lists_my_schools_teams_and_boards(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    page = client.get("/")
    assert page.status_code == 200
    assert w.school.name in page.text and "Bovenbouw" in page.text
    assert f'href="/boards/{w.board.id}"' in page.text
    assert f'href="/boards/{w.outsider_board.id}"' not in page.text  # not my team
    assert f'href="/boards/{w.other_board.id}"' not in page.text  # not my school


def test_leader_sees_every_team_of_the_school(client, factory):
    w = factory.world()
    factory.login(w.leader)
    page = client.get("/")
    assert f'href="/boards/{w.board.id}"' in page.text
    assert f'href="/boards/{w.outsider_board.id}"' in page.text
    assert f'href="/boards/{w.other_board.id}"' not in page.text


def test_language_switch_is_saved_on_the_user(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    assert client.post("/locale", data={"locale": "en", "next": "/"}).status_code == 403
    answer = client.post(
        "/locale", data={"locale": "en", "next": "/", "csrf_token": csrf}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert factory.get(User, w.teacher.id).locale == "en"
    page = client.get("/")
    assert 'lang="en"' in page.text and "My boards" in page.text and "Log out" in page.text


def test_the_language_chosen_on_the_login_page_stays_after_logging_in(client, factory):
    w = factory.world()
    assert client.get("/login?lang=en").status_code == 200
    answer = post_login(client, w.teacher.email, PASSWORD)
    assert answer.status_code == 303
    page = client.get("/")
    assert 'lang="en"' in page.text and "My boards" in page.text
    assert factory.get(User, w.teacher.id).locale == "en"


def test_login_page_in_english_on_request(client):
    page = client.get("/login?lang=en")
    assert 'lang="en"' in page.text and "Log in to Bord" in page.text
    assert 'lang="en"' in client.get("/login").text  # remembered in a cookie

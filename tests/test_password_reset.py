"""'Wachtwoord vergeten': the same answer for every address, throttling, the mail, the link."""

from datetime import timedelta

import pytest

from app import clock
from app.models import MailOutbox, PasswordReset, User, UserSession
from tests.factories import PASSWORD, form_token
from tests.mailbox import link_in, parts
from tests.test_web_auth import post_login


@pytest.fixture
def settings(settings, mailbox):
    return settings.model_copy(update={"smtp_url": mailbox.url})


def ask(client, email: str):
    token = form_token(client, "/password/forgot")
    return client.post("/password/forgot", data={"email": email, "csrf_token": token})


def choose(client, path: str, password: str):
    token = form_token(client, path)
    return client.post(
        path, data={"password": password, "csrf_token": token}, follow_redirects=False
    )


def test_the_login_page_links_to_it(client):
    assert 'href="/password/forgot"' in client.get("/login").text


def test_the_answer_is_the_same_whether_the_address_is_known_or_not(client, factory, mailbox):
    w = factory.world()
    known = ask(client, w.teacher.email)
    unknown = ask(client, "niemand@school.nl")
    assert known.status_code == unknown.status_code == 200
    strip = lambda page, email: page.text.replace(email, "E")  # noqa: E731
    assert strip(known, w.teacher.email) == strip(unknown, "niemand@school.nl")
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == w.teacher.email
    assert [r.user_id for r in factory.all(PasswordReset)] == [w.teacher.id]


def test_without_the_form_token_nothing_is_sent(client, factory):
    w = factory.world()
    answer = client.post("/password/forgot", data={"email": w.teacher.email})
    assert answer.status_code == 403
    assert factory.all(PasswordReset) == []
    empty = client.post("/password/forgot", data={"email": "", "csrf_token": "x"})
    assert empty.status_code == 403


def test_asking_is_throttled_per_address(client, factory, mailbox):
    w = factory.world()
    for _ in range(5):
        assert ask(client, w.teacher.email).status_code == 200
    refused = ask(client, w.teacher.email)
    assert refused.status_code == 429
    assert "te vaak gevraagd" in refused.text
    assert len(factory.all(PasswordReset)) == 5
    assert ask(client, w.leader.email).status_code == 200  # another address still may


def test_the_mailed_link_sets_the_password_once_and_ends_other_sessions(client, factory, mailbox):
    w = factory.world()
    factory.login(w.teacher)  # an old session, on another device
    client.cookies.clear()
    ask(client, w.teacher.email)
    (mail,) = mailbox.wait_for(1)
    assert mail["Subject"] == "Nieuw wachtwoord voor Bord"
    text, html = parts(mail)
    assert "Hallo Tim Teacher," in text
    assert "60 minuten geldig" in html
    path = link_in(mail, "/password/reset/")

    short = choose(client, path, "kort")
    assert short.status_code == 422
    assert "minstens 8 tekens" in short.text
    done = choose(client, path, "nieuw-wachtwoord")
    assert done.status_code == 303
    assert done.headers["location"] == "/"
    assert client.get("/").status_code == 200  # signed in
    live = [s for s in factory.all(UserSession) if s.revoked_at is None]
    assert len(live) == 1  # only the one just made

    client.cookies.clear()
    used = client.get(path)
    assert used.status_code == 410
    assert "Deze link is al gebruikt." in used.text
    assert post_login(client, w.teacher.email, PASSWORD).status_code == 401
    assert post_login(client, w.teacher.email, "nieuw-wachtwoord").status_code == 303


def test_a_locked_out_teacher_is_let_in_again_by_a_reset(client, factory, mailbox):
    w = factory.world()
    for _ in range(5):
        post_login(client, w.teacher.email, "fout-fout")
    locked = post_login(client, w.teacher.email, PASSWORD)
    assert locked.status_code == 429
    assert "Wachtwoord vergeten?" in locked.text
    ask(client, w.teacher.email)
    path = link_in(mailbox.wait_for(1)[0], "/password/reset/")
    assert choose(client, path, "weer-binnen-123").status_code == 303
    client.cookies.clear()
    assert post_login(client, w.teacher.email, "weer-binnen-123").status_code == 303


def test_a_link_expires_after_an_hour(client, factory, mailbox):
    w = factory.world()
    ask(client, w.teacher.email)
    path = link_in(mailbox.wait_for(1)[0], "/password/reset/")
    clock.set_now(clock.now() + timedelta(minutes=61))
    expired = client.get(path)
    assert expired.status_code == 410
    assert "Deze link is verlopen." in expired.text
    token = client.cookies.get("bord_link_csrf") or "x"
    late = client.post(path, data={"password": "te-laat-123", "csrf_token": token})
    assert late.status_code == 410
    assert factory.get(User, w.teacher.id).password_hash == w.teacher.password_hash


def test_an_unknown_link_says_so(client):
    answer = client.get("/password/reset/bestaat-niet")
    assert answer.status_code == 404
    assert "Deze link werkt niet." in answer.text


def test_the_mail_is_in_the_users_language(client, factory, mailbox):
    w = factory.world()
    with factory.session() as s:
        s.get(User, w.teacher.id).locale = "en"
        s.commit()
    ask(client, w.teacher.email)
    (mail,) = mailbox.wait_for(1)
    text, html = parts(mail)
    assert mail["Subject"] == "New password for Bord"
    assert "Hello Tim Teacher," in text
    assert "valid for 60 minutes" in html


def test_a_server_without_mail_says_so_and_queues_nothing(app, client, factory, mailbox):
    app.state.settings.smtp_url = None  # as if BORD_SMTP_URL were unset
    w = factory.world()
    assert "Deze server verstuurt geen mail" in client.get("/password/forgot").text
    assert ask(client, w.teacher.email).status_code == 200
    assert factory.all(MailOutbox) == []

"""Invitations: the API (who may, bad input, link states) and the mail each one sends."""

import time
from datetime import timedelta

import pytest

from app import clock
from app.models import Invitation, MailOutbox, Membership, Role, TeamMember, User
from tests.mailbox import link_in, parts

API = "/api/v1"


@pytest.fixture
def settings(settings, mailbox):
    return settings.model_copy(update={"smtp_url": mailbox.url, "mail_retry_seconds": 0.2})


def fields_of(response) -> list[str]:
    return [str(error["loc"][1]) for error in response.json()["detail"]]


def invite(client, factory, user, school_id, **body):
    body = {"email": "nieuw@school.nl", "name": "Nina Nieuw", **body}
    url = f"{API}/schools/{school_id}/invitations"
    return client.post(url, json=body, headers=factory.api(user))


def accept(client, path: str, password: str = "een-goed-wachtwoord", name: str = "Nina Nieuw"):
    page = client.get(path)
    assert page.status_code == 200
    csrf = client.cookies.get("bord_link_csrf")
    form = {"csrf_token": csrf, "name": name, "password": password}
    return client.post(path, data=form, follow_redirects=False)


# --- who may ----------------------------------------------------------------------------------


def test_only_the_schools_leaders_and_admins_invite(client, factory):
    w = factory.world()
    url = f"{API}/schools/{w.school.id}/invitations"
    assert client.post(url, json={"email": "a@school.nl", "name": "A"}).status_code == 401
    assert client.get(url).status_code == 401
    for outsider in (w.teacher, w.other_leader, w.other_teacher):
        assert invite(client, factory, outsider, w.school.id).status_code == 404
        assert client.get(url, headers=factory.api(outsider)).status_code == 404
    assert factory.all(Invitation) == []
    assert invite(client, factory, w.leader, w.school.id).status_code == 201
    admin = invite(client, factory, w.admin, w.school.id, email="ander@school.nl")
    assert admin.status_code == 201


def test_another_schools_leader_cannot_touch_an_invitation(client, factory):
    w = factory.world()
    made = invite(client, factory, w.leader, w.school.id).json()
    for outsider in (w.other_leader, w.teacher):
        headers = factory.api(outsider)
        assert client.delete(f"{API}/invitations/{made['id']}", headers=headers).status_code == 404
        resend = client.post(f"{API}/invitations/{made['id']}/resend", headers=headers)
        assert resend.status_code == 404
    unknown = client.delete(f"{API}/invitations/999999", headers=factory.api(w.leader))
    assert unknown.status_code == 404
    assert factory.get(Invitation, made["id"]).withdrawn_at is None


def test_an_unknown_school_is_404(client, factory):
    w = factory.world()
    assert invite(client, factory, w.admin, 999999).status_code == 404


# --- bad input --------------------------------------------------------------------------------


def test_bad_input_names_the_field_and_changes_nothing(client, factory):
    w = factory.world()
    member_email = factory.user(w.school, name="Al Lid").email  # user<n>@example.nl
    first = invite(client, factory, w.leader, w.school.id, email="dubbel@school.nl")
    assert first.status_code == 201
    for body, field in [
        ({"email": "geen-adres"}, "email"),
        ({"email": "twee@@school.nl"}, "email"),
        ({"email": "iemand@school"}, "email"),
        ({"email": "dubbel@school.nl"}, "email"),
        ({"email": "DUBBEL@School.nl "}, "email"),
        ({"email": member_email}, "email"),
        ({"name": ""}, "name"),
        ({"role": "admin"}, "role"),
        ({"team_ids": [w.other_board.team_id]}, "team_ids"),
        ({"team_ids": [999999]}, "team_ids"),
        ({"team_ids": ["x"]}, "team_ids"),
        ({"locale": "de"}, "locale"),
    ]:
        answer = invite(client, factory, w.leader, w.school.id, **body)
        assert answer.status_code == 422, body
        assert field in fields_of(answer), (body, answer.json())
    assert len(factory.all(Invitation)) == 1
    assert len(factory.all(MailOutbox)) == 1


def test_a_pasted_list_is_refused_as_a_whole_naming_the_lines(client, factory, mailbox):
    w = factory.world()
    invite(client, factory, w.leader, w.school.id, email="al@school.nl")
    mailbox.wait_for(1)
    url = f"{API}/schools/{w.school.id}/invitations/bulk"
    headers = factory.api(w.leader)
    text = "\n".join(
        [
            "Anna de Vries <anna@school.nl>",
            "geen-adres, Bert",
            "",
            "al@school.nl, Al Uitgenodigd",
            "Anna Dubbel; anna@school.nl",
        ]
    )
    answer = client.post(url, json={"addresses": text}, headers=headers)
    assert answer.status_code == 422
    assert [(e["loc"], e["type"]) for e in answer.json()["detail"]] == [
        (["body", "addresses", 2], "bad_address"),
        (["body", "addresses", 4], "already_invited"),
        (["body", "addresses", 5], "listed_twice"),
    ]
    assert answer.json()["detail"][0]["msg"] == "not a valid e-mail address"
    too_many = "\n".join(f"collega{i}@school.nl" for i in range(201))
    assert client.post(url, json={"addresses": too_many}, headers=headers).status_code == 422
    huge = {"addresses": "a" * 70_000}
    assert fields_of(client.post(url, json=huge, headers=headers)) == ["addresses"]
    empty = client.post(url, json={"addresses": " \n "}, headers=headers)
    assert fields_of(empty) == ["addresses"]
    assert empty.json()["detail"][0]["type"] == "empty_list"
    bad_team = {"addresses": "b@school.nl", "team_ids": [w.other_board.team_id]}
    refused = client.post(url, json=bad_team, headers=headers)
    assert fields_of(refused) == ["team_ids"]
    assert refused.json()["detail"][0]["type"] == "unknown_team"
    assert len(factory.all(Invitation)) == 1
    assert len(factory.all(MailOutbox)) == 1


def test_a_pasted_list_invites_everyone_in_every_format(client, factory, mailbox):
    w = factory.world()
    text = (
        "Anna de Vries <Anna@School.nl>\n"
        "bert@school.nl, Bert Bakker\n"
        "Carla Cornelis;carla@school.nl\n"
        "dirk.de.boer@school.nl\n"
    )
    answer = client.post(
        f"{API}/schools/{w.school.id}/invitations/bulk",
        json={"addresses": text, "role": "ib", "team_ids": [w.team.id], "locale": "en"},
        headers=factory.api(w.leader),
    )
    assert answer.status_code == 201, answer.json()
    people = [(i["name"], i["email"], i["role"]) for i in answer.json()]
    assert people == [
        ("Anna de Vries", "anna@school.nl", "ib"),
        ("Bert Bakker", "bert@school.nl", "ib"),
        ("Carla Cornelis", "carla@school.nl", "ib"),
        ("Dirk De Boer", "dirk.de.boer@school.nl", "ib"),
    ]
    mails = mailbox.wait_for(4)
    assert sorted(m["To"] for m in mails) == sorted(p[1] for p in people)
    assert all(m["Subject"] == f"Invitation to Bord at {w.school.name}" for m in mails)


# --- the mail and the link --------------------------------------------------------------------


def test_the_invited_colleague_gets_a_dutch_mail_and_joins_through_its_link(
    client, factory, mailbox
):
    w = factory.world()
    answer = invite(client, factory, w.leader, w.school.id, team_ids=[w.team.id], role="ib")
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "pending"
    assert body["link"] is None  # the mail carries it
    assert {"id", "email", "name", "role", "expires_at"} <= body.keys()

    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "nieuw@school.nl"
    assert mail["Subject"] == f"Uitnodiging voor Bord van {w.school.name}"
    text, html = parts(mail)
    assert "Hallo Nina Nieuw," in text
    assert "Lotte Leider nodigt je uit" in text
    assert "Lotte Leider nodigt je uit" in html
    path = link_in(mail, "/invitations/")
    # only a hash of the token is kept
    assert path.rsplit("/", 1)[1] not in {i.token_hash for i in factory.all(Invitation)}

    done = accept(client, path)
    assert done.status_code == 303
    assert done.headers["location"] == f"/boards/{w.board.id}"
    assert client.get(done.headers["location"]).status_code == 200  # signed in, on the board
    user = next(u for u in factory.all(User) if u.email == "nieuw@school.nl")
    assert user.name == "Nina Nieuw"
    assert [(m.school_id, m.role) for m in factory.all(Membership) if m.user_id == user.id] == [
        (w.school.id, Role.ib)
    ]
    assert [t.team_id for t in factory.all(TeamMember) if t.user_id == user.id] == [w.team.id]
    listed = client.get(f"{API}/schools/{w.school.id}/invitations", headers=factory.api(w.leader))
    assert [i["status"] for i in listed.json()] == ["accepted"]

    client.cookies.clear()
    again = client.get(path)
    assert again.status_code == 410
    assert "Deze uitnodiging is al gebruikt." in again.text


def test_an_english_invitation_has_an_english_mail(client, factory, mailbox):
    w = factory.world()
    made = invite(client, factory, w.leader, w.school.id, locale="en", name="Nina <b>& Co")
    assert made.status_code == 201
    (mail,) = mailbox.wait_for(1)
    text, html = parts(mail)
    assert mail["Subject"] == f"Invitation to Bord at {w.school.name}"
    assert "Hello Nina <b>& Co," in text  # plain text as typed
    assert "Hello Nina &lt;b&gt;&amp; Co," in html  # escaped in the HTML
    assert "invites you to Bord" in html
    path = link_in(mail, "/invitations/")
    assert accept(client, path).status_code == 303
    user = next(u for u in factory.all(User) if u.email == "nieuw@school.nl")
    assert user.locale == "en"


def test_a_short_password_is_refused_next_to_the_field_and_the_link_still_works(
    client, factory, mailbox
):
    w = factory.world()
    invite(client, factory, w.leader, w.school.id)
    path = link_in(mailbox.wait_for(1)[0], "/invitations/")
    refused = accept(client, path, password="kort")
    assert refused.status_code == 422
    assert "minstens 8 tekens" in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert not any(u.email == "nieuw@school.nl" for u in factory.all(User))
    assert accept(client, path).status_code == 303


def test_a_withdrawn_or_resent_link_stops_working(client, factory, mailbox):
    w = factory.world()
    headers = factory.api(w.leader)
    made = invite(client, factory, w.leader, w.school.id).json()
    first = link_in(mailbox.wait_for(1)[0], "/invitations/")

    resent = client.post(f"{API}/invitations/{made['id']}/resend", headers=headers)
    assert resent.status_code == 200
    second = link_in(mailbox.wait_for(2)[1], "/invitations/")
    assert second != first
    old = client.get(first)
    assert old.status_code == 404
    assert "Deze uitnodiging bestaat niet." in old.text

    assert client.delete(f"{API}/invitations/{made['id']}", headers=headers).status_code == 204
    gone = client.get(second)
    assert gone.status_code == 410
    assert "Deze uitnodiging is ingetrokken." in gone.text
    assert accept_post_fails(client, second)
    assert not any(u.email == "nieuw@school.nl" for u in factory.all(User))
    # withdrawn: it can be invited afresh, and the old one cannot be sent again
    assert client.post(f"{API}/invitations/{made['id']}/resend", headers=headers).status_code == 409
    assert invite(client, factory, w.leader, w.school.id).status_code == 201


def accept_post_fails(client, path: str) -> bool:
    form = {"csrf_token": "x", "name": "N", "password": "een-goed-wachtwoord"}
    return client.post(path, data=form, follow_redirects=False).status_code == 410


def test_an_expired_link_says_so_and_can_be_sent_again(client, factory, mailbox):
    w = factory.world()
    made = invite(client, factory, w.leader, w.school.id).json()
    path = link_in(mailbox.wait_for(1)[0], "/invitations/")
    clock.set_now(clock.now() + timedelta(days=15))
    expired = client.get(path)
    assert expired.status_code == 410
    assert "Deze uitnodiging is verlopen." in expired.text
    headers = factory.api(w.leader)
    listed = client.get(f"{API}/schools/{w.school.id}/invitations", headers=headers).json()
    assert listed[0]["status"] == "expired"
    assert client.post(f"{API}/invitations/{made['id']}/resend", headers=headers).status_code == 200
    fresh = link_in(mailbox.wait_for(2)[1], "/invitations/")
    assert accept(client, fresh).status_code == 303


def test_an_accepted_invitation_cannot_be_withdrawn(client, factory, mailbox):
    w = factory.world()
    made = invite(client, factory, w.leader, w.school.id).json()
    accept(client, link_in(mailbox.wait_for(1)[0], "/invitations/"))
    answer = client.delete(f"{API}/invitations/{made['id']}", headers=factory.api(w.leader))
    assert answer.status_code == 409
    assert answer.json()["current"]["status"] == "accepted"


def test_someone_with_an_account_joins_a_second_school_after_signing_in(client, factory, mailbox):
    w = factory.world()
    body = {"email": w.other_teacher.email, "name": "Ander"}
    assert invite(client, factory, w.leader, w.school.id, **body).status_code == 201
    path = link_in(mailbox.wait_for(1)[0], "/invitations/")
    page = client.get(path)
    assert "Je hebt al een account bij Bord" in page.text
    refused = client.post(
        path,
        data={"csrf_token": client.cookies.get("bord_link_csrf"), "password": "overnemen!"},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert not any(
        m.user_id == w.other_teacher.id and m.school_id == w.school.id
        for m in factory.all(Membership)
    )
    factory.login(w.other_teacher)
    page = client.get(path)
    assert "Lid worden" in page.text
    joined = client.post(
        path, data={"csrf_token": client.cookies.get("bord_link_csrf")}, follow_redirects=False
    )
    assert joined.status_code == 303
    assert any(
        m.user_id == w.other_teacher.id and m.school_id == w.school.id
        for m in factory.all(Membership)
    )


def test_a_failing_mail_server_does_not_fail_the_request_and_the_mail_comes_on_retry(
    client, factory, mailbox
):
    w = factory.world()
    mailbox.refuse = 2
    assert invite(client, factory, w.leader, w.school.id).status_code == 201
    (mail,) = mailbox.wait_for(1)
    assert mailbox.refused == 2
    assert mail["To"] == "nieuw@school.nl"
    row = sent_row(factory)
    assert row.attempts == 3
    assert row.last_error.startswith("SMTPDataError")
    assert row.text_body == row.html_body == ""  # the link is not kept once sent


def sent_row(factory) -> MailOutbox:
    """The one queued mail, once the sender has marked it sent (just after delivering it)."""
    deadline = time.monotonic() + 10
    while True:
        (row,) = factory.all(MailOutbox)
        if row.sent_at is not None or time.monotonic() > deadline:
            assert row.sent_at is not None
            return row
        time.sleep(0.05)


def test_a_colleague_who_joins_appears_on_the_open_team_board(client, factory, mailbox):
    from tests.test_realtime_ws import frames_until

    w = factory.world()
    invite(client, factory, w.leader, w.school.id, team_ids=[w.team.id])
    path = link_in(mailbox.wait_for(1)[0], "/invitations/")
    member = factory.api(w.teacher)
    with client.websocket_connect(f"/boards/{w.board.id}/ws", headers=member) as screen:
        screen.send_text('{"since": 0}')
        frames_until(screen, 'id="list-actions"')
        assert accept(client, path).status_code == 303
        frame = frames_until(screen, "Nina Nieuw")  # the session panel names the team
        assert "hx-swap-oob" in frame

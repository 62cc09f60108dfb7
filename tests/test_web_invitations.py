"""The leader's invitations page: messages next to the fields, nothing kept on a refusal,
and without mail the link to pass on."""

import re

import pytest

from app.errors import Invalid, InvalidLines, LineFault
from app.models import Invitation, MailOutbox
from app.services import invitations

SENT_LINK = re.compile(r'class="invitation-link"[^>]*value="https?://[^/"]+(/invitations/[^"]+)"')


@pytest.fixture
def page_of(client, factory):
    def open_as(user, school):
        csrf = factory.login(user)
        url = f"/schools/{school.id}/invitations"
        return url, csrf

    return open_as


def test_only_the_schools_leader_sees_the_page(client, factory):
    w = factory.world()
    for outsider in (w.teacher, w.other_leader):
        factory.login(outsider)
        assert client.get(f"/schools/{w.school.id}/invitations").status_code == 404
    factory.login(w.leader)
    page = client.get(f"/schools/{w.school.id}/invitations")
    assert page.status_code == 200
    assert "Eén collega uitnodigen" in page.text
    assert "Bovenbouw" in page.text  # the team boxes


def test_the_home_page_links_leaders_to_it(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    assert "/invitations" not in client.get("/").text
    factory.login(w.leader)
    assert f'href="/schools/{w.school.id}/invitations"' in client.get("/").text


def test_a_teacher_cannot_post_an_invitation(client, factory, page_of):
    w = factory.world()
    url, csrf = page_of(w.teacher, w.school)
    form = {"csrf_token": csrf, "email": "x@school.nl", "name": "X", "role": "teacher"}
    assert client.post(url, data=form).status_code == 404
    assert factory.all(Invitation) == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "geen-adres"}, "email", "Dit is geen geldig e-mailadres."),
        ({"email": ""}, "email", "Vul dit veld in."),
        ({"name": ""}, "name", "Vul dit veld in."),
        ({"team_ids": "999999"}, "team_ids", "Kies teams van deze school."),
        ({"team_ids": "abc"}, "team_ids", "Kies teams van deze school."),
        ({"role": "baas"}, "role", "Kies een van de mogelijkheden."),
    ],
)
def test_bad_input_is_named_next_to_its_field(client, factory, page_of, fields, field, message):
    w = factory.world()
    url, csrf = page_of(w.leader, w.school)
    form = {"csrf_token": csrf, "email": "a@school.nl", "name": "A", "role": "teacher", **fields}
    answer = client.post(url, data=form)
    assert answer.status_code == 422
    assert f'<p class="field-error" id="invite-one-{field}-error">{message}</p>' in answer.text
    assert factory.all(Invitation) == []


def test_a_duplicate_is_refused_next_to_the_address(client, factory, page_of):
    w = factory.world()
    url, csrf = page_of(w.leader, w.school)
    form = {"csrf_token": csrf, "email": "a@school.nl", "name": "A", "role": "teacher"}
    assert client.post(url, data=form).status_code == 200
    again = client.post(url, data=form)
    assert again.status_code == 422
    assert "Deze collega is al uitgenodigd." in again.text
    member = {**form, "email": w.teacher.email}
    assert "Deze collega hoort al bij de school." in client.post(url, data=member).text
    assert len(factory.all(Invitation)) == 1


def speak(client, csrf: str, locale: str) -> None:
    answer = client.post(
        "/locale", data={"locale": locale, "next": "/", "csrf_token": csrf}, follow_redirects=False
    )
    assert answer.status_code == 303


def test_a_refusal_is_said_by_its_kind_never_by_its_english_text(
    client, factory, page_of, monkeypatch
):
    """The service's English is for the API: a misleading one changes nothing on the page."""

    def refuse_one(*_args, **_kwargs):
        raise Invalid("email", "already a member of this school", kind="already_invited")

    def refuse_lines(*_args, **_kwargs):
        fault = LineFault(2, "listed_twice", "not a valid e-mail address")
        raise InvalidLines("addresses", [fault])

    monkeypatch.setattr(invitations, "invite", refuse_one)
    monkeypatch.setattr(invitations, "invite_many", refuse_lines)
    w = factory.world()
    url, csrf = page_of(w.leader, w.school)
    one = {"csrf_token": csrf, "email": "a@school.nl", "name": "A", "role": "teacher"}
    many = {"csrf_token": csrf, "addresses": "a@school.nl\na@school.nl", "role": "teacher"}
    for locale, invited, twice in (
        (
            "nl",
            "Deze collega is al uitgenodigd.",
            "Regel 2: Dit adres staat twee keer in de lijst.",
        ),
        (
            "en",
            "This colleague has already been invited.",
            "Line 2: This address is on the list twice.",
        ),
    ):
        speak(client, csrf, locale)
        answer = client.post(url, data=one)
        assert answer.status_code == 422
        assert f'id="invite-one-email-error">{invited}</p>' in answer.text
        answer = client.post(f"{url}/bulk", data=many)
        assert answer.status_code == 422
        assert f'id="invite-many-addresses-error">{twice}</p>' in answer.text
    assert factory.all(Invitation) == []


def test_a_pasted_list_with_faults_names_the_lines_and_keeps_the_text(client, factory, page_of):
    w = factory.world()
    url, csrf = page_of(w.leader, w.school)
    text = "Anna <anna@school.nl>\nkapot@@adres\nanna@school.nl, Anna weer"
    form = {"csrf_token": csrf, "addresses": text, "role": "teacher", "team_ids": w.team.id}
    answer = client.post(f"{url}/bulk", data=form)
    assert answer.status_code == 422
    error = re.search(r'id="invite-many-addresses-error">([^<]*)<', answer.text).group(1)
    assert "Regel 2: Dit is geen geldig e-mailadres." in error
    assert "Regel 3: Dit adres staat twee keer in de lijst." in error
    assert "kapot@@adres" in answer.text  # what was pasted stays
    too_many = "\n".join(f"c{i}@school.nl" for i in range(201))
    answer = client.post(f"{url}/bulk", data={**form, "addresses": too_many})
    assert "Hoogstens 200 collega&#39;s tegelijk" in answer.text
    huge = client.post(f"{url}/bulk", data={**form, "addresses": "a" * 70_000})
    assert huge.status_code == 422
    assert 'id="invite-many-addresses-error"' in huge.text
    assert factory.all(Invitation) == []


def test_without_mail_the_leader_copies_the_link_once(client, factory, page_of):
    w = factory.world()
    url, csrf = page_of(w.leader, w.school)
    form = {"csrf_token": csrf, "addresses": "Anna <anna@school.nl>\nbert@school.nl, Bert"}
    answer = client.post(f"{url}/bulk", data={**form, "team_ids": str(w.team.id)})
    assert answer.status_code == 200
    assert "Deze server verstuurt geen mail" in answer.text
    links = SENT_LINK.findall(answer.text)
    assert len(links) == 2
    assert factory.all(MailOutbox) == []
    assert not SENT_LINK.search(client.get(url).text)  # not kept, not shown again

    # the first address's (rows come back in no set order on PostgreSQL)
    invitation = min(factory.all(Invitation), key=lambda i: i.id)
    resent = client.post(f"{url}/{invitation.id}/resend", data={"csrf_token": csrf})
    (fresh,) = SENT_LINK.findall(resent.text)
    assert fresh not in links

    withdrawn = client.post(f"{url}/{invitation.id}/withdraw", data={"csrf_token": csrf})
    assert "De uitnodiging is ingetrokken" in withdrawn.text
    assert factory.get(Invitation, invitation.id).withdrawn_at is not None
    client.cookies.clear()
    assert client.get(fresh).status_code == 410
    assert client.get(links[1]).status_code == 200


def test_an_invitation_of_another_school_is_404_on_the_page(client, factory, page_of):
    w = factory.world()
    url, csrf = page_of(w.leader, w.school)
    client.post(url, data={"csrf_token": csrf, "email": "a@school.nl", "name": "A"})
    (invitation,) = factory.all(Invitation)
    other, other_csrf = page_of(w.other_leader, w.other_school)
    for action in ("resend", "withdraw"):
        answer = client.post(f"{other}/{invitation.id}/{action}", data={"csrf_token": other_csrf})
        assert answer.status_code == 404
    assert factory.get(Invitation, invitation.id).withdrawn_at is None

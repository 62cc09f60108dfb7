"""The pages that manage a school: its teams and boards (leader), the schools (admin), and an
archived board's page."""

import re
from html import unescape

from app.models import Board, BoardMember, Role, School, Team


def post(client, url: str, csrf: str, **data):
    return client.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)


def field_error(html: str, field_id: str) -> str:
    """The message shown next to the field with this id, or ''."""
    found = re.search(rf'<p class="field-error" id="{field_id}-error">([^<]*)</p>', html)
    return unescape(found.group(1)) if found else ""


# --- refusals ----------------------------------------------------------------------------------


def test_teams_page_is_for_the_schools_leader_and_the_admin(client, factory):
    w = factory.world()
    url = f"/schools/{w.school.id}/teams"
    for user in (w.teacher, w.other_leader):
        factory.login(user)
        assert client.get(url).status_code == 404
    for user in (w.leader, w.admin):
        factory.login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert "Bovenbouw" in page.text and "Onderbouw" in page.text


def test_a_teacher_cannot_manage_teams_or_boards(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    refused = [
        (f"/schools/{w.school.id}/teams", {"name": "Nieuw"}),
        (f"/teams/{w.team.id}/rename", {"name": "Nieuw"}),
        (f"/teams/{w.team.id}/archive", {}),
        (f"/boards/{w.board.id}/rename", {"title": "Nieuw"}),
        (f"/boards/{w.board.id}/archive", {}),
    ]
    for url, data in refused:
        assert post(client, url, csrf, **data).status_code == 404, url
    assert [t.name for t in factory.all(Team) if t.school_id == w.school.id] == [
        "Bovenbouw",
        "Onderbouw",
    ]
    board = factory.get(Board, w.board.id)
    assert (board.title, board.archived_at) == ("Teambord", None)


def test_a_leader_cannot_manage_another_schools_teams(client, factory):
    w = factory.world()
    csrf = factory.login(w.other_leader)
    assert post(client, f"/teams/{w.team.id}/archive", csrf).status_code == 404
    assert post(client, f"/boards/{w.board.id}/archive", csrf).status_code == 404
    assert post(client, f"/teams/{w.team.id}/boards", csrf, title="x").status_code == 404
    assert factory.get(Team, w.team.id).archived_at is None


def test_team_form_shows_its_message_next_to_the_field_and_changes_nothing(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    url = f"/schools/{w.school.id}/teams"
    for name, message in (
        ("Onderbouw", "Er is al een team met deze naam."),
        ("   ", "Vul dit veld in."),
        ("x" * 121, "Dit is te lang: hoogstens 120 tekens."),
    ):
        answer = post(client, url, csrf, name=name)
        assert answer.status_code == 422
        assert field_error(answer.text, "new-team-name") == message
    assert len([t for t in factory.all(Team) if t.school_id == w.school.id]) == 2


def test_board_form_names_an_unknown_ib(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    answer = post(
        client, f"/teams/{w.team.id}/boards", csrf, title="Zorg", kind="care", ib_email="a@b.nl"
    )
    assert answer.status_code == 422
    message = field_error(answer.text, f"team-{w.team.id}-board-ib_email")
    assert message == "Geen IB'er van deze school heeft dit e-mailadres."
    assert len(factory.all(Board)) == 3


# --- the leader's work ------------------------------------------------------------------------


def test_leader_creates_renames_archives_and_restores(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib, name="Ida IB")
    csrf = factory.login(w.leader)
    created = post(client, f"/schools/{w.school.id}/teams", csrf, name="Groep 5")
    assert created.status_code == 303
    team = next(t for t in factory.all(Team) if t.name == "Groep 5")
    assert created.headers["location"] == f"/schools/{w.school.id}/teams#team-{team.id}"

    board_url = f"/teams/{team.id}/boards"
    assert (
        post(client, board_url, csrf, title="Klas 5a", kind="class", ib_email="").status_code == 303
    )
    care = post(client, board_url, csrf, title="Zorg 5", kind="care", ib_email=ib.email)
    assert care.status_code == 303
    boards = {b.title: b for b in factory.all(Board) if b.team_id == team.id}
    assert [m.user_id for m in factory.all(BoardMember) if m.board_id == boards["Zorg 5"].id] == [
        ib.id
    ]
    klas = boards["Klas 5a"]
    assert post(client, f"/boards/{klas.id}/rename", csrf, title="Klas 5b").status_code == 303
    assert post(client, f"/teams/{team.id}/rename", csrf, name="Groep 5/6").status_code == 303
    page = client.get(f"/schools/{w.school.id}/teams").text
    assert "Klas 5b" in page and "Groep 5/6" in page
    assert "Zorg 5" not in page  # a care board is its members' only

    assert post(client, f"/boards/{klas.id}/archive", csrf).status_code == 303
    page = client.get(f"/schools/{w.school.id}/teams").text
    assert "Gearchiveerde borden" in page
    assert f'action="/boards/{klas.id}/restore"' in page
    assert post(client, f"/boards/{klas.id}/restore", csrf).status_code == 303
    assert factory.get(Board, klas.id).archived_at is None

    assert post(client, f"/teams/{team.id}/archive", csrf).status_code == 303
    page = client.get(f"/schools/{w.school.id}/teams").text
    archived_part = page[page.index('id="archived"') :]
    assert "Groep 5/6" in archived_part and f'action="/teams/{team.id}/restore"' in archived_part
    assert "Groep 5/6" not in client.get("/").text
    assert post(client, f"/teams/{team.id}/restore", csrf).status_code == 303
    assert factory.get(Board, klas.id).archived_at is None
    assert "Klas 5b" in client.get("/").text


def test_home_links_to_the_management_pages(client, factory):
    w = factory.world()
    factory.login(w.leader)
    assert f'href="/schools/{w.school.id}/teams"' in client.get("/").text
    assert 'href="/admin/schools"' not in client.get("/").text
    factory.login(w.teacher)
    assert '/teams"' not in client.get("/").text
    factory.login(w.admin)
    assert 'href="/admin/schools"' in client.get("/").text


# --- an archived board's page ------------------------------------------------------------------


def test_archived_board_page_is_read_only_with_a_banner(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    assert post(client, f"/boards/{w.board.id}/ideas", csrf, text="Leesmaatjes").status_code < 400
    before = client.get(f"/boards/{w.board.id}").text
    assert 'class="add"' in before and "Dit bord is gearchiveerd" not in before
    leader_csrf = factory.login(w.leader)
    assert post(client, f"/boards/{w.board.id}/archive", leader_csrf).status_code == 303

    csrf = factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}")
    assert page.status_code == 200
    assert "Dit bord is gearchiveerd." in page.text
    assert "Leesmaatjes" in page.text
    assert "data-sortable" not in page.text  # no dragging either
    assert "data-item=" not in page.text  # no card edit buttons
    refused = client.post(
        f"/boards/{w.board.id}/ideas",
        data={"text": "Nog een"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert refused.status_code == 409
    assert "Nog een" not in client.get(f"/boards/{w.board.id}").text


# --- the admin's schools ----------------------------------------------------------------------


def test_schools_page_is_the_admins_only(client, factory):
    w = factory.world()
    for user in (w.leader, w.teacher):
        csrf = factory.login(user)
        assert client.get("/admin/schools").status_code == 404
        answer = post(client, "/admin/schools", csrf, name="X", slug="x-x", time_zone="UTC")
        assert answer.status_code == 404
        assert post(client, f"/admin/schools/{w.school.id}", csrf, name="X").status_code == 404
        sign_in = post(client, f"/admin/schools/{w.school.id}/sign-in", csrf, provider="")
        assert sign_in.status_code == 404
    assert len(factory.all(School)) == 2
    factory.login(w.admin)
    page = client.get("/admin/schools").text
    assert "De Regenboog" in page and "De Klimop" in page and "Europe/Amsterdam" in page


def test_admin_creates_and_changes_a_school(client, factory):
    w = factory.world()
    csrf = factory.login(w.admin)
    answer = post(
        client,
        "/admin/schools",
        csrf,
        name="De Vlinder",
        slug="de-vlinder",
        brin="07xy",
        time_zone="America/Curacao",
    )
    assert answer.status_code == 303
    school = next(s for s in factory.all(School) if s.slug == "de-vlinder")
    assert (school.brin, school.time_zone) == ("07XY", "America/Curacao")
    changed = post(
        client,
        f"/admin/schools/{school.id}",
        csrf,
        name="De Vlinder",
        slug="de-vlinder",
        brin="",
        time_zone="Europe/Amsterdam",
    )
    assert changed.status_code == 303
    school = factory.get(School, school.id)
    assert (school.brin, school.time_zone) == (None, "Europe/Amsterdam")


def test_school_form_explains_each_bad_field_and_changes_nothing(client, factory):
    w = factory.world()
    csrf = factory.login(w.admin)
    good = {"name": "De Vlinder", "slug": "de-vlinder", "brin": "", "time_zone": "UTC"}
    cases = [
        ({"brin": "ABCD"}, "brin", "Een BRIN-code is 2 cijfers en dan 2 letters of cijfers"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone", "Kies een tijdzone uit de lijst."),
        ({"slug": w.school.slug}, "slug", "Er is al een school met dit webadres."),
        ({"slug": "Met Spatie"}, "slug", "Gebruik alleen kleine letters"),
        ({"name": ""}, "name", "Vul dit veld in."),
    ]
    for change, field, message in cases:
        answer = post(client, "/admin/schools", csrf, **{**good, **change})
        assert answer.status_code == 422, change
        assert field_error(answer.text, f"new-school-{field}").startswith(message), change
    assert len(factory.all(School)) == 2


def test_schools_page_in_english(client, factory):
    w = factory.world()
    csrf = factory.login(w.admin)
    client.post("/locale", data={"csrf_token": csrf, "locale": "en"})
    answer = post(client, "/admin/schools", csrf, name="X", slug="x-x", brin="1", time_zone="UTC")
    assert answer.status_code == 422
    assert field_error(answer.text, "new-school-brin").startswith("A BRIN code is")


def test_admin_names_the_first_leader_by_invitation(client, factory):
    from app.models import Invitation

    w = factory.world()
    csrf = factory.login(w.admin)
    school = {"name": "De Vlinder", "slug": "de-vlinder", "brin": "", "time_zone": "UTC"}
    # half a leader, or a leader of another school's address already taken: nothing is made
    for leader, field in (
        ({"leader_name": "Sam Start", "leader_email": ""}, "leader_email"),
        ({"leader_name": "", "leader_email": "sam@vlinder.nl"}, "leader_name"),
        ({"leader_name": "Sam Start", "leader_email": "geen adres"}, "leader_email"),
    ):
        answer = post(client, "/admin/schools", csrf, **school, **leader)
        assert answer.status_code == 422, leader
        assert field_error(answer.text, f"new-school-{field}"), leader
    answer = post(client, "/admin/schools", csrf, **school, leader_name="Sam", leader_email="sam@")
    assert field_error(answer.text, "new-school-leader_email") == "Dit is geen geldig e-mailadres."
    assert not [s for s in factory.all(School) if s.slug == "de-vlinder"]
    assert factory.all(Invitation) == []

    # without mail the link is shown once, to pass on; the invitation makes a leader
    answer = post(
        client,
        "/admin/schools",
        csrf,
        **school,
        leader_name="Sam Start",
        leader_email="sam@vlinder.nl",
    )
    assert answer.status_code == 201
    link = re.search(r'id="leader-link"[^>]*value="([^"]+)"', answer.text)
    assert link and "/invitations/" in link[1]
    (invitation,) = factory.all(Invitation)
    created = next(s for s in factory.all(School) if s.slug == "de-vlinder")
    assert (invitation.school_id, invitation.role, invitation.email) == (
        created.id,
        Role.leader,
        "sam@vlinder.nl",
    )

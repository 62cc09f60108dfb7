"""The people page of a school (/schools/{id}/people): refusals first, then the leader's work."""

import pytest

from app.models import LoginFailure, Membership, Role, TeamMember
from tests.factories import PASSWORD
from tests.test_web_auth import post_login


def page_url(school_id: int) -> str:
    return f"/schools/{school_id}/people"


def roles(factory) -> dict[tuple[int, int], Role]:
    return {(m.school_id, m.user_id): m.role for m in factory.all(Membership)}


def lock_out(client, email: str, settings) -> None:
    for _ in range(settings.login_max_failures):
        post_login(client, email, "niet-het-wachtwoord")


@pytest.mark.parametrize("who", ["teacher", "other_leader"])
def test_the_page_is_out_of_reach_for_others(client, factory, who):
    w = factory.world()
    csrf = factory.login(getattr(w, who))
    assert client.get(page_url(w.school.id)).status_code == 404
    posted = client.post(
        f"{page_url(w.school.id)}/{w.teacher.id}",
        data={"csrf_token": csrf, "role": "ib"},
        follow_redirects=False,
    )
    assert posted.status_code == 404
    removed = client.post(
        f"{page_url(w.school.id)}/{w.teacher.id}/remove",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert removed.status_code == 404
    assert roles(factory)[(w.school.id, w.teacher.id)] == Role.teacher


def test_a_leader_sees_the_schools_people_and_a_link_from_home(client, factory):
    w = factory.world()
    factory.login(w.leader)
    home = client.get("/")
    assert f'href="{page_url(w.school.id)}"' in home.text
    assert f'href="{page_url(w.other_school.id)}"' not in home.text
    page = client.get(page_url(w.school.id))
    assert page.status_code == 200
    assert "Tim Teacher" in page.text and w.teacher.email in page.text
    assert "Bovenbouw" in page.text and "Onderbouw" in page.text
    assert w.other_teacher.email not in page.text


def test_a_teachers_home_has_no_people_link(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    assert "/people" not in client.get("/").text


def test_change_role_and_teams_with_the_form(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    answer = client.post(
        f"{page_url(w.school.id)}/{w.teacher.id}",
        data={
            "csrf_token": csrf,
            "role": "ib",
            "team_ids": [str(w.outsider_team.id), str(w.team.id)],
        },
    )
    assert answer.status_code == 200
    assert "De wijziging is opgeslagen." in answer.text
    assert roles(factory)[(w.school.id, w.teacher.id)] == Role.ib
    mine = {t.team_id for t in factory.all(TeamMember) if t.user_id == w.teacher.id}
    assert mine == {w.team.id, w.outsider_team.id}


def test_demoting_the_last_leader_says_why_next_to_the_field(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    answer = client.post(
        f"{page_url(w.school.id)}/{w.leader.id}", data={"csrf_token": csrf, "role": "teacher"}
    )
    assert answer.status_code == 422
    assert f'id="person-{w.leader.id}-role-error"' in answer.text
    assert "altijd een schoolleider nodig" in answer.text
    removed = client.post(
        f"{page_url(w.school.id)}/{w.leader.id}/remove", data={"csrf_token": csrf}
    )
    assert removed.status_code == 422
    assert "altijd een schoolleider nodig" in removed.text
    assert roles(factory)[(w.school.id, w.leader.id)] == Role.leader


def test_a_team_of_another_school_is_refused_next_to_the_teams(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    foreign = next(t.team_id for t in factory.all(TeamMember) if t.user_id == w.other_teacher.id)
    answer = client.post(
        f"{page_url(w.school.id)}/{w.teacher.id}",
        data={"csrf_token": csrf, "role": "ib", "team_ids": [str(foreign)]},
    )
    assert answer.status_code == 422
    assert f'id="person-{w.teacher.id}-teams-error"' in answer.text
    assert roles(factory)[(w.school.id, w.teacher.id)] == Role.teacher


def test_the_leader_unlocks_a_locked_out_teacher(client, factory, settings):
    from fastapi.testclient import TestClient

    from app.main import create_app

    w = factory.world()
    # the teacher's browser reaches an app of its own on the same database: one app started
    # twice at once shares its background jobs, and its first run waits out their 10 s stop
    with TestClient(create_app(settings)) as teacher:
        lock_out(teacher, w.teacher.email, settings)
        refused = post_login(teacher, w.teacher.email, PASSWORD)
        assert refused.status_code == 429
        assert "vraag je schoolleider om hulp" in refused.text

        csrf = factory.login(w.leader)
        page = client.get(page_url(w.school.id))
        assert "Geblokkeerd" in page.text
        unlocked = client.post(
            f"{page_url(w.school.id)}/{w.teacher.id}/unlock", data={"csrf_token": csrf}
        )
        assert unlocked.status_code == 200
        assert "kan weer inloggen" in unlocked.text
        assert "Geblokkeerd" not in unlocked.text

        assert post_login(teacher, w.teacher.email, PASSWORD).status_code == 303
    assert not [f for f in factory.all(LoginFailure) if f.key.startswith("email:")]


def test_removing_access_from_the_page(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    answer = client.post(
        f"{page_url(w.school.id)}/{w.teacher.id}/remove", data={"csrf_token": csrf}
    )
    assert answer.status_code == 200
    assert "geen toegang meer" in answer.text
    assert (w.school.id, w.teacher.id) not in roles(factory)


def test_a_leader_who_steps_down_goes_home(client, factory):
    w = factory.world()
    second = factory.user(w.school, Role.leader)
    csrf = factory.login(w.leader)
    answer = client.post(
        f"{page_url(w.school.id)}/{w.leader.id}",
        data={"csrf_token": csrf, "role": "teacher"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert roles(factory)[(w.school.id, second.id)] == Role.leader
    assert roles(factory)[(w.school.id, w.leader.id)] == Role.teacher


def test_the_page_in_english(client, factory):
    w = factory.world()
    with factory.session() as s:
        from app.models import User

        s.get(User, w.leader.id).locale = "en"
        s.commit()
    factory.login(w.leader)
    page = client.get(page_url(w.school.id))
    assert "Colleagues" in page.text and "Teacher" in page.text

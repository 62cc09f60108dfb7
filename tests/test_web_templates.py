"""Templates on the teams page: start a board from one, save a board as one, delete one."""

import re
from html import unescape

from app.models import Board, BoardMember, Goal, Role
from app.models.standup import StandUp
from app.models.template import BoardTemplate
from app.services.templates import LEADERSHIP_AGENDA


def post(client, url: str, csrf: str, **data):
    return client.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)


def field_error(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field_id}-error">([^<]*)</p>', html)
    return unescape(found.group(1)) if found else ""


def test_a_leader_saves_a_board_as_template_and_starts_another_from_it(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    goal = {"title": "Rekenen", "metric": "Toets", "target": 80}
    client.post(f"/api/v1/boards/{w.board.id}/goals", json=goal, headers={"X-CSRF-Token": csrf})

    saved = post(client, f"/boards/{w.board.id}/template", csrf, name="Rekenbord")
    assert saved.status_code == 303
    page = client.get(f"/schools/{w.school.id}/teams").text
    template = factory.all(BoardTemplate)[0]
    assert f'<option value="{template.id}">Rekenbord</option>' in page
    assert f'id="template-{template.id}"' in page

    board_url = f"/teams/{w.outsider_team.id}/boards"
    made = post(client, board_url, csrf, title="Rekenen OB", kind="", template=str(template.id))
    assert made.status_code == 303
    board = next(b for b in factory.all(Board) if b.title == "Rekenen OB")
    assert [g.title for g in factory.all(Goal) if g.board_id == board.id] == ["Rekenen"]

    deleted = post(client, f"/templates/{template.id}/delete", csrf)
    assert deleted.status_code == 303
    assert factory.all(BoardTemplate) == []
    assert factory.get(Board, board.id) is not None  # the board keeps what it got


def test_a_built_in_template_from_the_form_sets_kind_and_agenda(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    made = post(
        client, f"/teams/{w.team.id}/boards", csrf, title="MT", kind="", template="leiderschapsbord"
    )
    assert made.status_code == 303
    board = next(b for b in factory.all(Board) if b.title == "MT")
    assert board.kind == "leadership"
    assert board.agenda == LEADERSHIP_AGENDA


def test_a_mismatched_kind_is_shown_next_to_the_field_and_nothing_is_made(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    before = len(factory.all(Board))
    refused = post(
        client, f"/teams/{w.team.id}/boards", csrf, title="MT", kind="team", template="zorgbord"
    )
    assert refused.status_code == 422
    fid = f"team-{w.team.id}-board"
    assert "sjabloon" in field_error(refused.text, f"{fid}-kind")
    unknown = post(client, f"/teams/{w.team.id}/boards", csrf, title="MT", template="123456")
    assert unknown.status_code == 422
    assert field_error(unknown.text, f"{fid}-template") == "Kies een van de sjablonen in de lijst."
    assert len(factory.all(Board)) == before


def test_a_template_needs_a_name_and_a_teacher_cannot_save_one(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    refused = post(client, f"/boards/{w.board.id}/template", csrf, name="")
    assert refused.status_code == 422
    assert field_error(refused.text, f"board-{w.board.id}-template-name")
    csrf = factory.login(w.teacher)
    assert post(client, f"/boards/{w.board.id}/template", csrf, name="X").status_code == 404
    assert factory.all(BoardTemplate) == []


def test_a_template_of_another_school_cannot_be_deleted_from_its_page(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    post(client, f"/boards/{w.board.id}/template", csrf, name="Eigen")
    template = factory.all(BoardTemplate)[0]
    csrf = factory.login(w.other_leader)
    assert post(client, f"/templates/{template.id}/delete", csrf).status_code == 404
    assert len(factory.all(BoardTemplate)) == 1


def test_the_zorgbord_template_from_the_form_goes_to_the_named_ib(client, factory):
    w = factory.world()
    ib = factory.user(w.school, Role.ib, name="Ilse IB")
    csrf = factory.login(w.leader)
    made = post(
        client,
        f"/teams/{w.team.id}/boards",
        csrf,
        title="Zorg",
        kind="",
        template="zorgbord",
        ib_email=ib.email,
    )
    assert made.status_code == 303, made.text
    board = next(b for b in factory.all(Board) if b.title == "Zorg")
    assert board.kind == "care"
    assert [m.user_id for m in factory.all(BoardMember) if m.board_id == board.id] == [ib.id]


def test_a_leadership_boards_dashboard_part_highlights_its_goals(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    post(client, f"/teams/{w.team.id}/boards", csrf, title="MT", template="leiderschapsbord")
    board = next(b for b in factory.all(Board) if b.title == "MT")
    hx = {"HX-Request": "true", "X-CSRF-Token": csrf}
    started = client.post(f"/boards/{board.id}/session/start", data={}, headers=hx)
    assert started.status_code == 200
    (stand_up,) = [s for s in factory.all(StandUp) if s.board_id == board.id]
    panel = client.post(f"/sessions/{stand_up.id}/part", data={"part": "2"}, headers=hx).text
    assert "Maanddashboard" in panel
    assert 'data-focus="goals"' in panel and 'data-seconds="300"' in panel

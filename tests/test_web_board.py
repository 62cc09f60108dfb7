"""The board page and its htmx fragments: refusals first, then every area's add, edit, delete."""

import re
from datetime import timedelta

import pytest

from app import clock
from app.models import (
    Action,
    ActionStatus,
    Board,
    BoardEvent,
    Goal,
    HelpRequest,
    Idea,
    Measurement,
    User,
)
from app.models.action import ActionCreate, ActionUpdate
from app.services import item_kinds, items

HX = {"HX-Request": "true"}


def hx(csrf: str) -> dict[str, str]:
    return {**HX, "X-CSRF-Token": csrf}


def version_of(factory, board) -> int:
    return factory.get(Board, board.id).version


def run(factory, fn, *args):
    with factory.app.state.db.session() as session:
        result = fn(session, *args)
        session.info.pop("outbox", None)
    return result


def block(html: str, element_id: str) -> str:
    """The text from the element with `element_id` on (good enough to tell blocks apart)."""
    start = html.index(f'id="{element_id}"')
    return html[start:]


# --- refusals ----------------------------------------------------------------------------------


def test_other_schools_board_is_not_found(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    page = client.get(f"/boards/{w.other_board.id}")
    assert page.status_code == 404
    assert "Deze pagina bestaat niet" in page.text and 'lang="nl"' in page.text
    answer = client.post(
        f"/boards/{w.other_board.id}/actions", data={"title": "x"}, headers=hx(csrf)
    )
    assert answer.status_code == 404
    assert factory.all(Action) == []


def test_teacher_outside_the_team_gets_not_found(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    assert client.get(f"/boards/{w.outsider_board.id}").status_code == 404
    assert client.get(f"/boards/{w.outsider_board.id}/sections/actions").status_code == 404
    answer = client.post(
        f"/boards/{w.outsider_board.id}/ideas", data={"text": "x"}, headers=hx(csrf)
    )
    assert answer.status_code == 404
    assert version_of(factory, w.outsider_board) == 0


def test_unknown_board_and_items_are_not_found(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    assert client.get("/boards/999999").status_code == 404
    assert client.get("/actions/999999/edit", headers=HX).status_code == 404
    assert client.post("/ideas/999999/promote", headers=hx(csrf)).status_code == 404


def test_foreign_items_cannot_be_edited_moved_or_deleted(client, factory):
    w = factory.world()
    foreign = run(
        factory,
        items.create_item,
        w.other_teacher,
        item_kinds.ACTION,
        w.other_board.id,
        ActionCreate(title="Van een andere school"),
    )
    csrf = factory.login(w.teacher)
    assert client.get(f"/actions/{foreign.id}/edit", headers=HX).status_code == 404
    for path, data in (
        (f"/actions/{foreign.id}", {"title": "gekaapt", "version": "1"}),
        (f"/actions/{foreign.id}/move", {"status": "done", "position": "0", "version": "1"}),
        (f"/actions/{foreign.id}/delete", {"version": "1"}),
    ):
        assert client.post(path, data=data, headers=hx(csrf)).status_code == 404
    assert factory.get(Action, foreign.id).title == "Van een andere school"


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    answer = client.post(f"/boards/{w.board.id}/actions", data={"title": "x"}, headers=HX)
    assert answer.status_code == 403
    answer = client.post(
        f"/boards/{w.board.id}/actions",
        data={"title": "x"},
        headers={**HX, "X-CSRF-Token": "wrong"},
    )
    assert answer.status_code == 403
    assert factory.all(Action) == []
    assert version_of(factory, w.board) == 0


def test_empty_title_is_refused_next_to_the_field_keeping_what_was_typed(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    answer = client.post(
        f"/boards/{w.board.id}/actions",
        data={"title": "   ", "owner": "Ans de Vries", "due": ""},
        headers=hx(csrf),
    )
    assert answer.status_code == 422
    title_field = block(answer.text, "add-actions-title")
    assert 'aria-invalid="true"' in title_field.split(">")[0]
    assert 'id="add-actions-title-error">Vul dit veld in.' in answer.text
    assert 'value="Ans de Vries"' in answer.text
    assert factory.all(Action) == []
    assert version_of(factory, w.board) == 0


@pytest.mark.parametrize(
    ("slug", "data", "field", "message"),
    [
        ("goals", {"title": "Lezen", "baseline": "veel"}, "baseline", "Vul een getal in"),
        ("goals", {"title": "Lezen", "target": "1e99"}, "target", "te groot of te klein"),
        ("actions", {"title": "x" * 201}, "title", "hoogstens 200 tekens"),
        ("actions", {"title": "Lezen", "due": "31-02-2026"}, "due", "geldige datum"),
        ("actions", {"title": "Lezen", "due": "1999-01-01"}, "due", "tussen 2000 en 2100"),
        ("plan-items", {"text": "Lesbezoek", "date": "", "kind": "lesbezoek"}, "date", "Vul"),
        ("plan-items", {"text": "Les", "date": "2026-11-23", "kind": "feest"}, "kind", "Kies"),
        ("successes", {"text": ""}, "text", "Vul dit veld in."),
    ],
)
def test_bad_input_is_named_next_to_its_field(client, factory, slug, data, field, message):
    w = factory.world()
    csrf = factory.login(w.teacher)
    answer = client.post(f"/boards/{w.board.id}/{slug}", data=data, headers=hx(csrf))
    assert answer.status_code == 422
    section = {"plan-items": "plan"}.get(slug, slug)
    error = re.search(rf'id="add-{section}-{field}-error">([^<]*)<', answer.text)
    assert error and message in error.group(1)
    for name, value in data.items():
        if value and len(value) < 100 and name != "kind":
            assert f'value="{value}"' in answer.text or f">{value}<" in answer.text
    assert version_of(factory, w.board) == 0


def test_a_rule_broken_in_the_service_rolls_back_and_is_shown(client, factory):
    w = factory.world()
    csrf = factory.login(w.other_teacher)
    client.post(f"/boards/{w.other_board.id}/goals", data={"title": "Ander doel"}, headers=hx(csrf))
    other_goal = factory.all(Goal)[0]
    client.cookies.clear()
    csrf = factory.login(w.teacher)
    answer = client.post(
        f"/boards/{w.board.id}/actions",
        data={"title": "Koppelen", "goal_id": str(other_goal.id)},
        headers=hx(csrf),
    )
    assert answer.status_code == 422
    assert "Dat doel staat niet op dit bord." in answer.text
    assert version_of(factory, w.board) == 0  # the service had begun: rolled back
    assert [a.title for a in factory.all(Action)] == []


# --- the page ----------------------------------------------------------------------------------


def test_board_shows_all_six_areas_in_dutch(client, factory):
    w = factory.world()
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}")
    assert page.status_code == 200
    for heading in (
        "Successen",
        "Doelen",
        "Verbeteracties",
        "Planning",
        "Ideeën / parkeerplaats",
        "Hulpvragen",
        "Te doen",
        "Mee bezig",
        "Klaar",
    ):
        assert heading in page.text
    for section in ("successes", "goals", "actions", "plan", "ideas", "help"):
        assert f'id="section-{section}"' in page.text
        assert f'id="list-{section}"' in page.text
    assert f"week {clock.today().isocalendar().week}" in page.text
    assert "Bovenbouw" in page.text and w.school.name in page.text
    assert 'hx-headers=\'{"X-CSRF-Token": ' in page.text
    assert "htmx-2.0.11.min.js" in page.text and "htmx-ext-ws-2.0.4.min.js" in page.text
    assert "Sortable-1.15.7.min.js" in page.text


def test_board_in_english_for_a_user_who_chose_english(client, factory):
    w = factory.world()
    with factory.session() as s:
        user = s.get(User, w.teacher.id)
        user.locale = "en"
        s.add(user)
        s.commit()
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}")
    assert 'lang="en"' in page.text
    for heading in (
        "Successes",
        "Goals",
        "Improvement actions",
        "To do",
        "Doing",
        "Done",
        "Ideas / parking lot",
        "Help requests",
    ):
        assert heading in page.text
    assert "Verbeteracties" not in page.text


def test_late_actions_say_so_in_words(client, factory):
    w = factory.world()
    yesterday = clock.today() - timedelta(days=1)
    run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.ACTION,
        w.board.id,
        ActionCreate(title="Te laat ding", due=yesterday),
    )
    run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.ACTION,
        w.board.id,
        ActionCreate(title="Klaar ding", due=yesterday, status=ActionStatus.done),
    )
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}").text
    late_card = block(page, "action-1").split("</li>")[0]
    done_card = block(page, "action-2").split("</li>")[0]
    assert "Te laat" in late_card and "card--late" in late_card
    assert "Te laat" not in done_card


def test_plan_shows_iso_weeks_and_dutch_dates(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    today = clock.today()
    monday = today - timedelta(days=today.weekday())
    next_week = monday + timedelta(days=8)
    answer = client.post(
        f"/boards/{w.board.id}/plan-items",
        data={
            "date": next_week.isoformat(),
            "kind": "lesbezoek",
            "text": "Rekenles",
            "who": "Ans bij Piet",
        },
        headers=hx(csrf),
    )
    assert answer.status_code == 200
    days = ["ma", "di", "wo", "do", "vr", "za", "zo"]
    months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    written = f"{days[next_week.weekday()]} {next_week.day} {months[next_week.month - 1]}"
    listing = block(answer.text, "list-plan")
    assert written in listing
    assert f"week {next_week.isocalendar().week}" in listing
    assert "Lesbezoek" in listing and "Ans bij Piet" in listing


def test_display_variant_has_no_edit_controls():
    from app.models import Board as BoardRow
    from app.services import board_sections
    from app.services.board_view import BoardView

    board = BoardRow(id=1, team_id=1, title="Bord", version=3)
    action = Action(id=5, board_id=1, title="Leeshoek", rank="a0", version=2)
    view = BoardView(board, clock.today())
    view.items["actions"].append(action)
    for audience, controls in (("display", False), ("member", True), ("leader", True)):
        context = board_sections.context(view, audience)
        html = board_sections.render("nl", "actions", context, oob=True)
        assert 'id="list-actions"' in html and 'hx-swap-oob="true"' in html
        assert 'id="action-5"' in html and "Leeshoek" in html
        assert ("Bewerken" in html) is controls
        assert ("data-move-url" in html) is controls
        assert "csrf" not in html.lower()


# --- add, edit, delete every kind ---------------------------------------------------------------

AREAS = [
    (
        "successes",
        "successes",
        "success",
        {"text": "De voorleeswedstrijd gewonnen"},
        "text",
        "Alle groepen lezen stil",
    ),
    (
        "goals",
        "goals",
        "goal",
        {
            "title": "Iedereen leest dagelijks",
            "metric": "leerlingen",
            "unit": "%",
            "baseline": "40",
            "target": "90,5",
        },
        "title",
        "Iedereen leest elke dag",
    ),
    (
        "actions",
        "actions",
        "action",
        {"title": "Leeshoek inrichten", "owner": "Piet", "due": "2026-12-01"},
        "title",
        "Leeshoek groep 7 inrichten",
    ),
    (
        "plan-items",
        "plan",
        "plan",
        {
            "date": "2030-03-04",
            "kind": "lesontwerp",
            "text": "Begrijpend lezen les 3",
            "who": "Mo en Sara",
        },
        "text",
        "Begrijpend lezen les 4",
    ),
    (
        "ideas",
        "ideas",
        "idea",
        {"text": "Leesbingo in de vakantie"},
        "text",
        "Leesbingo voor kerst",
    ),
    (
        "help-requests",
        "help",
        "help",
        {"text": "Budget voor leesboeken?"},
        "text",
        "Budget voor nieuwe leesboeken?",
    ),
]


@pytest.mark.parametrize(("slug", "section", "prefix", "data", "field", "edited"), AREAS)
def test_add_edit_and_delete_through_htmx(
    client, factory, slug, section, prefix, data, field, edited
):
    w = factory.world()
    csrf = factory.login(w.teacher)

    added = client.post(f"/boards/{w.board.id}/{slug}", data=data, headers=hx(csrf))
    assert added.status_code == 200
    html = added.text
    # the main swap is a fresh add form; the list and the version come out of band
    assert html.lstrip().startswith(f'<form id="add-{section}"')
    listing = block(html, f"list-{section}")
    assert 'hx-swap-oob="true"' in listing.split(">")[0]
    assert data[field] in listing
    assert f'value="{data[field]}"' not in block(html, f"add-{section}").split("</form>")[0]
    assert 'id="board-version"' in html and 'data-to="1"' in html
    assert version_of(factory, w.board) == 1
    item_id = int(re.search(rf'id="{prefix}-(\d+)"', listing).group(1))

    form = client.get(f"/{slug}/{item_id}/edit", headers=HX)
    assert form.status_code == 200
    assert f'id="{prefix}-{item_id}"' in form.text and "data-editing" in form.text
    assert data[field] in form.text
    assert 'name="version" value="1"' in form.text

    changed = {**data, field: edited, "version": "1"}
    saved = client.post(f"/{slug}/{item_id}", data=changed, headers=hx(csrf))
    assert saved.status_code == 200
    assert saved.text.lstrip().startswith(f'<div id="list-{section}"')
    assert edited in saved.text
    assert version_of(factory, w.board) == 2

    bad = client.post(
        f"/{slug}/{item_id}", data={**changed, field: "", "version": "2"}, headers=hx(csrf)
    )
    assert bad.status_code == 422
    assert bad.headers["HX-Retarget"] == f"#{prefix}-{item_id}"
    assert "Vul dit veld in." in bad.text
    assert version_of(factory, w.board) == 2

    deleted = client.post(f"/{slug}/{item_id}/delete", data={"version": "2"}, headers=hx(csrf))
    assert deleted.status_code == 200
    assert f'id="{prefix}-{item_id}"' not in deleted.text
    assert version_of(factory, w.board) == 3
    assert [e.kind for e in factory.all(BoardEvent)] == ["created", "updated", "deleted"]


def test_section_reload_gives_the_current_list(client, factory):
    w = factory.world()
    run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.ACTION,
        w.board.id,
        ActionCreate(title="Kaart"),
    )
    factory.login(w.teacher)
    answer = client.get(f"/boards/{w.board.id}/sections/actions", headers=HX)
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<div id="list-actions"')
    assert "Kaart" in answer.text
    assert client.get(f"/boards/{w.board.id}/sections/nonsense").status_code == 422


# --- moves ---------------------------------------------------------------------------------------


def test_move_an_action_to_another_column(client, factory):
    w = factory.world()
    ids = [
        run(
            factory,
            items.create_item,
            w.teacher,
            item_kinds.ACTION,
            w.board.id,
            ActionCreate(title=t),
        ).id
        for t in ("Een", "Twee", "Drie")
    ]
    csrf = factory.login(w.teacher)
    answer = client.post(
        f"/actions/{ids[1]}/move",
        data={"status": "doing", "position": "0", "version": "1"},
        headers=hx(csrf),
    )
    assert answer.status_code == 200
    doing = answer.text.split('data-status="doing"')[1].split("</ol>")[0]
    assert f'id="action-{ids[1]}"' in doing
    assert factory.get(Action, ids[1]).status == ActionStatus.doing
    # and within a column: Drie to the top of Te doen
    answer = client.post(
        f"/actions/{ids[2]}/move",
        data={"status": "todo", "position": "0", "version": "1"},
        headers=hx(csrf),
    )
    todo = answer.text.split('data-status="todo"')[1].split("</ol>")[0]
    assert todo.index(f'id="action-{ids[2]}"') < todo.index(f'id="action-{ids[0]}"')


def test_a_stale_move_reloads_the_columns(client, factory):
    w = factory.world()
    action = run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.ACTION,
        w.board.id,
        ActionCreate(title="a"),
    )
    run(
        factory,
        items.update_item,
        w.teacher,
        item_kinds.ACTION,
        action.id,
        ActionUpdate(title="b", version=1),
    )
    csrf = factory.login(w.teacher)
    answer = client.post(
        f"/actions/{action.id}/move",
        data={"status": "done", "position": "0", "version": "1"},
        headers=hx(csrf),
    )
    assert answer.status_code == 409
    assert answer.text.lstrip().startswith('<div id="list-actions"')
    assert 'data-version="2"' in block(answer.text, f"action-{action.id}")
    assert factory.get(Action, action.id).status == ActionStatus.todo
    assert version_of(factory, w.board) == 2


def test_a_move_to_an_unknown_column_is_refused(client, factory):
    w = factory.world()
    action = run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.ACTION,
        w.board.id,
        ActionCreate(title="a"),
    )
    csrf = factory.login(w.teacher)
    answer = client.post(
        f"/actions/{action.id}/move",
        data={"status": "ergens", "position": "0", "version": "1"},
        headers=hx(csrf),
    )
    assert answer.status_code == 422
    assert version_of(factory, w.board) == 1


# --- what only some areas do ---------------------------------------------------------------------


def test_promote_an_idea_to_an_action(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    client.post(f"/boards/{w.board.id}/ideas", data={"text": "Leesbingo"}, headers=hx(csrf))
    [idea] = factory.all(Idea)
    page = client.get(f"/boards/{w.board.id}").text
    assert "Maak er een actie van" in page
    answer = client.post(f"/ideas/{idea.id}/promote", headers=hx(csrf))
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<div id="list-ideas"')
    assert "Leesbingo" not in block(answer.text, "list-ideas").split("</div>")[0]
    actions_list = block(answer.text, "list-actions")
    assert 'hx-swap-oob="true"' in actions_list.split(">")[0] and "Leesbingo" in actions_list
    assert factory.all(Idea) == []
    [action] = factory.all(Action)
    assert (action.title, action.status) == ("Leesbingo", ActionStatus.todo)


def test_add_a_measurement_to_a_goal(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    client.post(
        f"/boards/{w.board.id}/goals",
        data={"title": "Lezen", "baseline": "40", "target": "90", "unit": "%"},
        headers=hx(csrf),
    )
    [goal] = factory.all(Goal)
    bad = client.post(
        f"/goals/{goal.id}/measurements",
        data={"value": "veel", "date": "2026-11-20"},
        headers=hx(csrf),
    )
    assert bad.status_code == 422
    assert bad.headers["HX-Retarget"] == f"#measure-{goal.id}"
    assert "Vul een getal in" in bad.text and 'value="veel"' in bad.text
    answer = client.post(
        f"/goals/{goal.id}/measurements",
        data={"value": "65,5", "date": "2026-11-20"},
        headers=hx(csrf),
    )
    assert answer.status_code == 200
    card = block(answer.text, f"goal-{goal.id}")
    assert "65,5" in card and "vr 20 nov" in card
    assert "51% van het doel bereikt" in card


def test_a_measurement_is_not_of_the_future_and_a_percentage_stays_within_0_and_100(
    client, factory
):
    w = factory.world()
    csrf = factory.login(w.teacher)
    client.post(
        f"/boards/{w.board.id}/goals",
        data={"title": "Lezen", "baseline": "40", "target": "90", "unit": "%"},
        headers=hx(csrf),
    )
    [goal] = factory.all(Goal)
    url = f"/goals/{goal.id}/measurements"
    future = client.post(url, data={"value": "50", "date": "2031-01-03"}, headers=hx(csrf))
    assert future.status_code == 422
    assert "Deze datum ligt in de toekomst" in future.text
    negative = client.post(url, data={"value": "-50", "date": "2026-11-20"}, headers=hx(csrf))
    assert negative.status_code == 422
    assert "Een percentage ligt tussen 0 en 100." in negative.text
    assert factory.all(Measurement) == []
    # a measurement of another year says its year
    answer = client.post(url, data={"value": "45", "date": "2025-06-20"}, headers=hx(csrf))
    card = block(answer.text, f"goal-{goal.id}")
    assert "vr 20 jun 2025" in card


def test_leader_answers_a_help_request(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    client.post(
        f"/boards/{w.board.id}/help-requests", data={"text": "Meer leesboeken?"}, headers=hx(csrf)
    )
    [request] = factory.all(HelpRequest)
    page = client.get(f"/boards/{w.board.id}").text
    assert f'/help-requests/{request.id}/answer"' not in page  # a teacher sees no answer form
    refused = client.post(
        f"/help-requests/{request.id}/answer", data={"text": "Ja"}, headers=hx(csrf)
    )
    assert refused.status_code == 404

    client.cookies.clear()
    csrf = factory.login(w.leader)
    page = client.get(f"/boards/{w.board.id}").text
    assert f'/help-requests/{request.id}/answer"' in page
    empty = client.post(f"/help-requests/{request.id}/answer", data={"text": ""}, headers=hx(csrf))
    assert empty.status_code == 422 and "Vul dit veld in." in empty.text
    answer = client.post(
        f"/help-requests/{request.id}/answer",
        data={"text": "Ja, bestel ze maar."},
        headers=hx(csrf),
    )
    assert answer.status_code == 200
    card = block(answer.text, f"help-{request.id}")
    assert "Antwoord van de schoolleiding" in card and "Ja, bestel ze maar." in card
    assert factory.get(HelpRequest, request.id).answer == "Ja, bestel ze maar."


# --- stale edits -------------------------------------------------------------------------------


def test_stale_edit_shows_both_versions_and_keep_mine_resubmits(client, factory):
    w = factory.world()
    action = run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.ACTION,
        w.board.id,
        ActionCreate(title="Leeshoek", owner="Piet"),
    )
    run(
        factory,
        items.update_item,
        w.leader,
        item_kinds.ACTION,
        action.id,
        ActionUpdate(title="Leeshoek van de collega", version=1),
    )
    csrf = factory.login(w.teacher)
    answer = client.post(
        f"/actions/{action.id}",
        data={"title": "Mijn leeshoek", "owner": "Piet", "due": "", "version": "1"},
        headers=hx(csrf),
    )
    assert answer.status_code == 409
    assert answer.headers["HX-Retarget"] == f"#action-{action.id}"
    panel = answer.text
    assert f'id="action-{action.id}"' in panel
    assert "Mijn leeshoek" in panel and "Leeshoek van de collega" in panel
    assert "Mijn versie bewaren" in panel and "Hun versie nemen" in panel
    assert 'name="version" value="2"' in panel  # keeping mine resubmits against theirs
    assert factory.get(Action, action.id).title == "Leeshoek van de collega"
    assert version_of(factory, w.board) == 2

    kept = client.post(
        f"/actions/{action.id}",
        data={"title": "Mijn leeshoek", "owner": "Piet", "due": "", "version": "2"},
        headers=hx(csrf),
    )
    assert kept.status_code == 200
    assert factory.get(Action, action.id).title == "Mijn leeshoek"


def test_stale_edit_of_an_idea_and_a_stale_delete(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    client.post(f"/boards/{w.board.id}/ideas", data={"text": "Eerste"}, headers=hx(csrf))
    [idea] = factory.all(Idea)
    assert (
        client.post(
            f"/ideas/{idea.id}", data={"text": "Tweede", "version": "1"}, headers=hx(csrf)
        ).status_code
        == 200
    )
    stale = client.post(
        f"/ideas/{idea.id}", data={"text": "Derde", "version": "1"}, headers=hx(csrf)
    )
    assert stale.status_code == 409
    assert "Tweede" in stale.text and "Derde" in stale.text
    stale_delete = client.post(f"/ideas/{idea.id}/delete", data={"version": "1"}, headers=hx(csrf))
    assert stale_delete.status_code == 409
    assert "Toch verwijderen" in stale_delete.text
    assert factory.get(Idea, idea.id) is not None

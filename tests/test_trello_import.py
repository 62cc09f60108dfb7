"""A Trello board comes along: its lists mapped to the board's columns, successes and ideas, its
cards to items (members, due dates, descriptions, checklists, labels, archived cards), once,
in one change; bad files and boards outside one's reach change nothing."""

import asyncio
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from app import cli, clock
from app.config import get_settings
from app.models import Action, ActionStatus, BoardEvent, BoardKind, Idea, Role, Success
from app.services import item_kinds
from app.services.trello_export import MAX_BYTES, Target, propose

API = "/api/v1"
FIXTURE = Path(__file__).parent / "fixtures" / "trello_board.json"
EXPORT = FIXTURE.read_bytes()
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MARKER = "MARKER-zorg-trello-4711"
TOO_LARGE = {
    "loc": ["body", "file"],
    "msg": "A Trello export may be at most 10 MB",
    "type": "too_large",
}
LIST = {name: f"65a0000000000000000000l{n}" for n, name in enumerate("abcdefg", start=1)}


@pytest.fixture
def world(factory):
    clock.set_now(NOW)
    return factory.world()


def upload(client, board_id: int, headers: dict | None = None, body: bytes = EXPORT, **form):
    return client.post(
        f"{API}/boards/{board_id}/import/trello",
        files={"file": ("trello.json", body, "application/json")},
        data=form,
        headers=headers or {},
    )


def events(factory, board_id: int) -> list[BoardEvent]:
    with factory.session() as s:
        return list(s.exec(select(BoardEvent).where(BoardEvent.board_id == board_id)))


def rows(factory, model) -> dict[str, object]:
    with factory.session() as s:
        found = s.exec(select(model).execution_options(include_deleted=True)).all()
        return {(getattr(r, "title", None) or r.text.split("\n")[0]): r for r in found}


def test_every_list_and_card_lands_where_it_belongs(client, factory, world):
    w = world
    answer = upload(client, w.board.id, factory.api(w.teacher))
    assert answer.status_code == 201, answer.text
    report = answer.json()
    assert report["imported"] == {"actions": 5, "successes": 1, "ideas": 1, "archived": 2}
    assert {(s["name"], s["reason"]) for s in report["skipped"]} == {
        ("Teamvergadering 12 november", "list_skipped"),
        ("Schoolkrant (oud idee)", "no_archive"),
    }
    actions = rows(factory, Action)
    corner = actions["Leeshoek inrichten"]
    assert corner.status == ActionStatus.todo and corner.archived_at is None
    # a team member by name as the team knows them, anyone else as Trello names them
    assert corner.owner == "Tim Teacher, Piet Jansen"
    assert corner.due == date(2026, 12, 8)  # 23:30 UTC is the next day in Amsterdam
    assert corner.notes == (
        "Boeken uit de bibliotheek halen.\nVraag Ans om de kussens.\n\n"
        "Stappen:\n- [x] Kast bestellen\n- [ ] Kussens kopen\n\n"
        "Labels: Lezen, purple"
    )
    assert corner.external_id == "trello:65a000000000000000000c01"
    evening = actions["Ouderavond voorbereiden"]
    assert (evening.status, evening.owner, evening.notes) == (
        ActionStatus.doing,
        "Piet Jansen",
        "Labels: Ouders",
    )
    reports = actions["Rapportgesprekken plannen"]
    assert reports.status == ActionStatus.done and reports.done_at is not None
    assert reports.due == date(2026, 11, 20)
    assert actions["Oude leesmethode opruimen"].archived_at is not None  # closed card
    yard = actions["Schoolplein vergroenen"]  # on a closed list: archived, done
    assert yard.archived_at is not None and yard.status == ActionStatus.done
    assert yard.owner == "Tim Teacher"
    [success] = rows(factory, Success).values()
    assert success.text == "Groep 5 las samen 200 boeken\n\nGevierd in de kring.\n\nLabels: Lezen"
    [idea] = rows(factory, Idea).values()
    assert idea.text == "Voorleeswedstrijd met groep 8" and idea.impact is None
    # one change of the board, touching every section
    [event] = events(factory, w.board.id)
    assert (event.kind, event.entity, event.entity_id) == ("imported", "board", w.board.id)
    assert event.sections == list(item_kinds.SECTIONS)
    board = client.get(f"{API}/boards/{w.board.id}", headers=factory.api(w.teacher)).json()
    assert [a["title"] for a in board["actions"]] == [
        "Leeshoek inrichten",
        "Ouderavond voorbereiden",
        "Rapportgesprekken plannen",
    ]


def test_a_second_import_of_the_same_file_changes_nothing(client, factory, world):
    w = world
    api = factory.api(w.teacher)
    assert upload(client, w.board.id, api).status_code == 201
    version = client.get(f"{API}/boards/{w.board.id}", headers=api).json()["version"]
    before = {k: (v.id, v.version) for k, v in rows(factory, Action).items()}
    # an imported card deleted meanwhile stays deleted
    gone = rows(factory, Idea)["Voorleeswedstrijd met groep 8"]
    assert client.delete(f"{API}/ideas/{gone.id}", headers=api).status_code == 204
    version += 1
    again = upload(client, w.board.id, api)
    assert again.status_code == 201, again.text
    report = again.json()
    assert report["imported"] == {"actions": 0, "successes": 0, "ideas": 0, "archived": 0}
    reasons = [s["reason"] for s in report["skipped"]]
    assert reasons.count("already_imported") == 7
    assert {k: (v.id, v.version) for k, v in rows(factory, Action).items()} == before
    assert client.get(f"{API}/boards/{w.board.id}", headers=api).json()["version"] == version
    assert [e.kind for e in events(factory, w.board.id)] == ["imported", "deleted"]


def test_the_mapping_chosen_replaces_the_proposal(client, factory, world):
    w = world
    mapping = {LIST["f"]: "ideas", LIST["b"]: "skip", LIST["a"]: "done"}
    answer = upload(client, w.board.id, factory.api(w.teacher), mapping=json.dumps(mapping))
    assert answer.status_code == 201, answer.text
    assert answer.json()["imported"]["ideas"] == 2
    actions = rows(factory, Action)
    assert "Ouderavond voorbereiden" not in actions
    assert actions["Leeshoek inrichten"].status == ActionStatus.done
    assert "Teamvergadering 12 november" in rows(factory, Idea)


@pytest.mark.parametrize(
    ("mapping", "kind"),
    [
        ("{not json", "not_json"),
        ("[1, 2]", "not_object"),
        ('{"elders": "todo"}', "unknown_list"),
        (json.dumps({LIST["a"]: "prullenbak"}), "unknown_target"),
    ],
)
def test_a_bad_mapping_is_refused_and_changes_nothing(client, factory, world, mapping, kind):
    w = world
    answer = upload(client, w.board.id, factory.api(w.teacher), mapping=mapping)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["detail"]
    assert (error["loc"], error["type"]) == (["body", "mapping"], kind)
    assert factory.all(Action) == [] and events(factory, w.board.id) == []


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("To Do", Target.todo),
        ("Todo", Target.todo),
        ("Te doen 📋", Target.todo),
        ("Backlog", Target.todo),
        ("Doing", Target.doing),
        ("Bezig", Target.doing),
        ("Mee bezig", Target.doing),
        ("In progress", Target.doing),
        ("Done", Target.done),
        ("Klaar!", Target.done),
        ("Afgerond", Target.done),
        ("Successen", Target.successes),
        ("Successes 🎉", Target.successes),
        ("Ideeën", Target.ideas),
        ("Ideas", Target.ideas),
        ("Parkeerplaats", Target.ideas),
        ("Notulen", Target.skip),
    ],
)
def test_the_proposal_reads_dutch_and_english_list_names(name, target):
    assert propose(name) == target


# --- bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"Dit is geen JSON", "not_json"),
        (b"\xff\xfe\x00", "not_json"),
        (b'{"name": "Een bord", "cards": []}', "not_trello"),
        (b'[{"id": "1"}]', "not_trello"),
        (b'{"id": "x", "lists": [{"id": "l"}], "cards": [{"id": "c"}]}', "not_trello"),
    ],
)
def test_a_file_that_is_not_a_trello_export_is_refused(client, factory, world, body, kind):
    w = world
    answer = upload(client, w.board.id, factory.api(w.teacher), body=body)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["detail"]
    assert (error["loc"], error["type"]) == (["body", "file"], kind)
    assert factory.all(Action) == [] and events(factory, w.board.id) == []


def test_a_file_over_10_mb_is_refused_with_413(client, factory, world):
    w = world
    body = EXPORT[:-2] + b', "padding": "' + b"x" * MAX_BYTES + b'"}'
    answer = upload(client, w.board.id, factory.api(w.teacher), body=body)
    assert answer.status_code == 413, answer.text
    assert answer.json()["detail"] == [TOO_LARGE]
    assert factory.all(Action) == []


def test_a_50_mb_file_is_refused_at_the_door_with_the_same_answer(client, factory, world):
    """Refused before the import reads it, in the words a 10.5 MB file gets from the import."""
    w = world
    body = EXPORT[:-2] + b', "padding": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    answer = upload(client, w.board.id, factory.api(w.teacher), body=body)
    assert answer.status_code == 413, answer.text
    assert answer.json()["detail"] == [TOO_LARGE]
    assert factory.all(Action) == [] and events(factory, w.board.id) == []


async def test_a_50_mb_body_is_refused_before_it_is_read(app, factory, world):
    """Its Content-Length says enough: not one chunk of the body is asked for."""
    w = world
    api = factory.api(w.teacher)
    headers = [(b"content-length", str(50 * 1024 * 1024).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in api.items()]
    headers.append((b"content-type", b"multipart/form-data; boundary=x"))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/api/v1/boards/{w.board.id}/import/trello",
        "raw_path": b"",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    asked = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal asked
        asked += 1
        if asked > 1:
            await asyncio.sleep(3600)  # the client keeps sending, slowly
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

    async def send(message: dict) -> None:
        sent.append(message)

    await asyncio.wait_for(app(scope, receive, send), 10)
    assert sent[0]["status"] == 413
    assert asked == 0
    assert factory.all(Action) == []


# --- who may import ------------------------------------------------------------------------------


def test_who_may_import_into_which_board(client, factory, world):
    w = world
    assert upload(client, w.board.id).status_code == 401
    for user, board in (
        (w.other_teacher, w.board),  # another school
        (w.other_leader, w.board),
        (w.teacher, w.other_board),
        (w.teacher, 999999),
    ):
        board_id = board if isinstance(board, int) else board.id
        answer = upload(client, board_id, factory.api(user))
        assert answer.status_code == 404, (user.name, answer.text)
    assert factory.all(Action) == []
    assert upload(client, w.board.id, factory.api(w.leader)).status_code == 201


def test_an_ib_er_and_an_admin_import_where_they_may_open_the_board(client, factory, world):
    """An IB'er as a teacher: into their team's board, not another team's, not even into their
    own care board; an admin into any school's board, never a care board."""
    w = world
    ib = factory.user(w.school, Role.ib, name="Ingrid IB")
    ib_board = factory.board(factory.team(w.school, "Team van Ingrid", members=(ib,)))
    care = factory.board(w.team, BoardKind.care, "Zorgbord", members=(ib,))
    for user, board, status in (
        (ib, w.board, 404),
        (ib, care, 404),
        (w.admin, care, 404),
        (ib, ib_board, 201),
        (w.admin, w.other_board, 201),
    ):
        answer = upload(client, board.id, factory.api(user))
        assert answer.status_code == status, (user.name, board.title, answer.text)
    assert events(factory, w.board.id) == [] and events(factory, care.id) == []
    assert len(events(factory, ib_board.id)) == len(events(factory, w.other_board.id)) == 1


def test_the_pages_for_an_ib_er_and_an_admin(client, factory, world):
    w = world
    ib = factory.user(w.school, Role.ib, name="Ingrid IB")
    ib_board = factory.board(factory.team(w.school, "Team van Ingrid", members=(ib,)))
    care = factory.board(w.team, BoardKind.care, "Zorgbord", members=(ib,))
    files = {"file": ("trello.json", EXPORT, "application/json")}

    def pages(user, board) -> list[int]:
        csrf = factory.login(user)
        return [
            client.get(f"/boards/{board.id}/import").status_code,
            client.post(
                f"/boards/{board.id}/import/trello/lists", files=files, data={"csrf_token": csrf}
            ).status_code,
            client.post(
                f"/boards/{board.id}/import/trello", files=files, data={"csrf_token": csrf}
            ).status_code,
        ]

    assert pages(ib, w.board) == [404] * 3
    assert pages(ib, care) == [404] * 3
    assert pages(w.admin, care) == [404] * 3
    assert events(factory, w.board.id) == [] and events(factory, care.id) == []
    assert pages(ib, ib_board) == [200] * 3
    assert pages(w.admin, w.other_board) == [200] * 3
    assert len(events(factory, ib_board.id)) == len(events(factory, w.other_board.id)) == 1


def test_a_care_board_takes_no_import(client, factory, world):
    w = world
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg", members=(w.leader, w.teacher))
    body = EXPORT.replace(b"Leeshoek inrichten", MARKER.encode())
    answer = upload(client, care.id, factory.api(w.teacher), body=body)
    assert answer.status_code == 404
    assert factory.all(Action) == [] and events(factory, care.id) == []


def test_an_archived_board_takes_no_import(client, factory, world):
    w = world
    api = factory.api(w.leader)
    board = client.get(f"{API}/boards/{w.board.id}", headers=api).json()
    archived = client.patch(
        f"{API}/boards/{w.board.id}",
        headers=api,
        json={"archived": True, "version": board["version"]},
    )
    assert archived.status_code == 200, archived.text
    assert upload(client, w.board.id, api).status_code == 409
    assert factory.all(Action) == []


# --- the command line ----------------------------------------------------------------------------


def test_the_command_imports_once_and_reports(factory, world, database_url, monkeypatch, capsys):
    w = world
    monkeypatch.setenv("BORD_DATABASE_URL", database_url)
    monkeypatch.setenv("BORD_ENV", "test")
    monkeypatch.delenv("BORD_REDIS_URL", raising=False)

    def bord(*args: str) -> tuple[int, str, str]:
        get_settings.cache_clear()
        try:
            code = cli.main(list(args))
        finally:
            get_settings.cache_clear()
        out, err = capsys.readouterr()
        return code, out, err

    mapping = json.dumps({LIST["f"]: "ideas"})
    code, out, err = bord(
        "import", "trello", str(FIXTURE), "--board", str(w.board.id), "--mapping", mapping
    )
    assert code == 0, err
    assert out.splitlines()[0] == "actions: 5, successes: 1, ideas: 2, archived: 2"
    assert "skipped 65a000000000000000000c08 (no_archive): Schoolkrant (oud idee)" in out
    assert len(factory.all(Action)) == 5
    code, out, _ = bord("import", "trello", str(FIXTURE), "--board", str(w.board.id))
    assert code == 0 and out.count("(already_imported)") == 7  # Notulen: skipped again
    assert len(events(factory, w.board.id)) == 1
    code, out, err = bord("import", "trello", str(FIXTURE), "--board", "999999")
    assert (code, out) == (1, "") and "no board with id 999999" in err
    code, out, err = bord("import", "trello", sys.executable, "--board", str(w.board.id))
    assert code == 1 and "file: not a JSON file" in err


# --- the pages -----------------------------------------------------------------------------------


def test_the_board_links_to_the_import_page_and_shows_imported_notes(client, factory, world):
    w = world
    factory.login(w.teacher)
    assert f'href="/boards/{w.board.id}/import"' in client.get(f"/boards/{w.board.id}").text
    page = client.get(f"/boards/{w.board.id}/import")
    assert page.status_code == 200
    assert 'type="file" name="file"' in page.text
    assert upload(client, w.board.id, factory.api(w.teacher)).status_code == 201
    board = client.get(f"/boards/{w.board.id}").text
    assert '<details class="card-notes"><summary>Notities</summary>' in board
    assert "- [x] Kast bestellen" in board


def test_the_page_proposes_a_place_per_list_and_imports_as_chosen(client, factory, world):
    w = world
    csrf = factory.login(w.teacher)
    files = {"file": ("trello.json", EXPORT, "application/json")}
    lists = client.post(
        f"/boards/{w.board.id}/import/trello/lists", files=files, data={"csrf_token": csrf}
    )
    assert lists.status_code == 200, lists.text
    fragment = lists.text
    assert fragment.strip().startswith('<div id="import-mapping"')
    assert f'name="map-{LIST["c"]}"' in fragment
    proposed = fragment.split(f'name="map-{LIST["c"]}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="done" selected>Klaar</option>' in proposed
    assert "Overslaan" in fragment
    chosen = {"csrf_token": csrf, f"map-{LIST['f']}": "ideas", f"map-{LIST['e']}": "skip"}
    done = client.post(f"/boards/{w.board.id}/import/trello", files=files, data=chosen)
    assert done.status_code == 200, done.text
    assert "Geïmporteerd: 5 acties, 1 successen en 1 ideeën; daarvan 2 in het archief." in done.text
    assert "Voorleeswedstrijd met groep 8 <span" in done.text  # its list was skipped
    assert [i.text for i in factory.all(Idea)] == [
        "Teamvergadering 12 november\n\nNotulen in de map."
    ]


def test_the_page_says_what_is_wrong_with_a_file(client, factory, world):
    w = world
    csrf = factory.login(w.teacher)
    files = {"file": ("foto.json", b"\x89PNG", "application/json")}
    lists = client.post(
        f"/boards/{w.board.id}/import/trello/lists", files=files, data={"csrf_token": csrf}
    )
    assert "Dit bestand is geen JSON-bestand." in lists.text
    files = {"file": ("bord.json", b'{"name": "x"}', "application/json")}
    answer = client.post(
        f"/boards/{w.board.id}/import/trello", files=files, data={"csrf_token": csrf}
    )
    assert answer.status_code == 422
    assert "Dit is geen export van een Trello-bord." in answer.text
    assert factory.all(Action) == []


@pytest.mark.parametrize("megabytes", [10.5, 50])
def test_the_page_says_a_file_is_over_10_mb(client, factory, world, megabytes):
    """10.5 MB reaches the import, 50 MB is turned away at the door: the reader hears the same."""
    w = world
    csrf = factory.login(w.teacher)
    padding = b"x" * int(megabytes * 1024 * 1024)
    body = EXPORT[:-2] + b', "p": "' + padding + b'"}'
    files = {"file": ("groot.json", body, "application/json")}
    page = f"http://testserver/boards/{w.board.id}/import"
    lists = client.post(
        f"/boards/{w.board.id}/import/trello/lists", files=files, data={"csrf_token": csrf}
    )
    answer = client.post(
        f"/boards/{w.board.id}/import/trello",
        files=files,
        data={"csrf_token": csrf},
        headers={"Referer": page},
    )
    assert "Dit bestand is groter dan 10 MB." in lists.text
    assert "Dit bestand is groter dan 10 MB." in answer.text
    assert "Er ging iets mis" not in answer.text
    assert answer.status_code == (422 if megabytes < 11 else 413)
    if megabytes > 11:
        assert f'href="/boards/{w.board.id}/import">Terug</a>' in answer.text
    client.cookies.set("bord_lang", "en")  # the door knows the reader by this alone
    with factory.session() as s:
        teacher = s.get(type(w.teacher), w.teacher.id)
        teacher.locale = "en"
        s.add(teacher)
        s.commit()
    english = client.post(
        f"/boards/{w.board.id}/import/trello", files=files, data={"csrf_token": csrf}
    )
    assert "This file is larger than 10 MB." in english.text
    assert factory.all(Action) == []


def test_the_page_checks_the_size_before_it_sends(client, factory, world):
    w = world
    factory.login(w.teacher)
    page = client.get(f"/boards/{w.board.id}/import").text
    assert f'data-max-bytes="{MAX_BYTES}" data-too-large="Dit bestand is groter dan 10 MB."' in page


def test_the_pages_are_for_whoever_may_open_the_board(client, factory, world):
    w = world
    care = factory.board(w.team, BoardKind.care, "Zorgoverleg", members=(w.teacher,))
    factory.login(w.other_teacher)
    assert client.get(f"/boards/{w.board.id}/import").status_code == 404
    factory.login(w.teacher)
    assert client.get(f"/boards/{care.id}/import").status_code == 404
    assert "/import" not in client.get(f"/boards/{care.id}").text.split("board-meta", 1)[1][:4000]


def test_a_member_is_matched_by_e_mail_too(client, factory, world):
    w = world
    member = f'"fullName": "T. T.", "email": "{w.teacher.email.upper()}"'
    body = EXPORT.replace(b'"fullName": "Piet Jansen"', member.encode())
    assert upload(client, w.board.id, factory.api(w.teacher), body=body).status_code == 201
    assert rows(factory, Action)["Ouderavond voorbereiden"].owner == "Tim Teacher"

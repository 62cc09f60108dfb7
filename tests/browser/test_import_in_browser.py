"""The Trello import in the browser: choosing the file shows where each list goes; a list moved
elsewhere lands there, and the report says what came along. A file over 10 MB is not sent."""

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_live_board import NewContext, person

FIXTURE = Path(__file__).parent.parent / "fixtures" / "trello_board.json"


def test_choose_the_file_change_a_list_and_import(new_context: NewContext, live_server, world):
    tim = person(new_context, live_server, world.teacher, world.board.id)
    tim.get_by_role("link", name="Importeren uit Trello").click()
    expect(tim.get_by_role("heading", name="Importeren uit Trello")).to_be_visible()
    tim.get_by_label("Trello-export (.json, hoogstens 10 MB)").set_input_files(str(FIXTURE))
    notes = tim.get_by_label("Notulen")
    expect(notes).to_have_value("skip")
    expect(tim.get_by_label("Klaar ✅")).to_have_value("done")
    notes.select_option(label="Ideeën")
    tim.get_by_role("button", name="Importeren").click()
    expect(tim.get_by_role("status")).to_contain_text(
        "Geïmporteerd: 5 acties, 1 successen en 2 ideeën; daarvan 2 in het archief."
    )
    tim.get_by_role("link", name="Naar het bord").click()
    card = tim.locator(".card--action", has_text="Leeshoek inrichten")
    card.get_by_text("Notities").click()
    expect(card).to_contain_text("- [x] Kast bestellen")
    expect(tim.locator("#section-ideas")).to_contain_text("Teamvergadering 12 november")
    assert tim.errors == []  # type: ignore[attr-defined]


def test_a_file_over_10_mb_is_refused_before_it_is_sent(
    new_context: NewContext, live_server, world, tmp_path
):
    tim = person(new_context, live_server, world.teacher, world.board.id)
    tim.goto(f"{live_server}/boards/{world.board.id}/import")
    sent: list[str] = []
    tim.on(
        "request", lambda request: sent.append(request.url) if request.method == "POST" else None
    )
    big = tmp_path / "groot-bord.json"
    with big.open("wb") as file:
        file.truncate(50 * 1024 * 1024)
    field = tim.get_by_label("Trello-export (.json, hoogstens 10 MB)")

    field.set_input_files(str(big))
    expect(tim.get_by_role("alert")).to_have_text("Dit bestand is groter dan 10 MB.")
    tim.get_by_role("button", name="Importeren").click()
    expect(field).to_have_attribute("aria-invalid", "true")
    assert sent == []
    assert tim.url.endswith(f"/boards/{world.board.id}/import")

    field.set_input_files(str(FIXTURE))  # a file that fits is sent as usual
    expect(tim.get_by_label("Notulen")).to_have_value("skip")
    expect(tim.get_by_text("Dit bestand is groter dan 10 MB.")).to_have_count(0)
    assert len(sent) == 1
    assert tim.errors == []  # type: ignore[attr-defined]

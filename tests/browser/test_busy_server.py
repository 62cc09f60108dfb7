"""A teacher adds an action while the server is too busy: the page says so, keeps what was
typed, and sends it again by itself once there is room. It lands exactly once."""

import asyncio
import threading

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_board_in_browser import column, log_in, world_actions


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"max_requests": 1})


class Busy:
    """Every request slot of the live server taken, and nobody allowed to wait for one."""

    def __init__(self, app) -> None:
        self.admission = app.state.admission
        self.release: asyncio.Event | None = None

    def __enter__(self) -> "Busy":
        taken = threading.Event()

        async def hold() -> None:
            self.release = asyncio.Event()
            async with self.admission.requests.turn():
                self.admission.requests.max_waiting = 0
                taken.set()
                await self.release.wait()
            self.admission.requests.max_waiting = 1000

        self.held = asyncio.run_coroutine_threadsafe(hold(), self.admission.loop)
        assert taken.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.release is not None
        self.admission.loop.call_soon_threadsafe(self.release.set)
        self.held.result(5)


def test_a_save_refused_as_busy_is_sent_again_and_nothing_typed_is_lost(
    page: Page, live_server, world, app
):
    refused: list[int] = []
    page.on("response", lambda r: refused.append(r.status) if r.status == 503 else None)
    log_in(page, live_server, world.teacher.email)
    page.goto(f"{live_server}/boards/{world.board.id}")
    page.locator("#section-actions summary").click()
    form = page.locator("#add-actions")
    form.get_by_label("Wat", exact=True).fill("Leeshoek inrichten")

    with Busy(app):
        form.get_by_role("button", name="Actie toevoegen").click()
        expect(page.locator("#toast")).to_contain_text("Druk, probeer het zo opnieuw")
        expect(page.locator("#add-actions-title")).to_have_value("Leeshoek inrichten")
        expect(column(page, "todo").locator(".card")).to_have_count(0)

    card = column(page, "todo").locator(".card", has_text="Leeshoek inrichten")
    expect(card).to_have_count(1)
    expect(page.locator("#add-actions-title")).to_have_value("")  # a fresh form
    assert [a.title for a in world_actions(app)] == ["Leeshoek inrichten"]
    assert refused, "the server never said it was busy"

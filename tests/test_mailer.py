"""The mail sender: SMTP options from the URL, one claim per mail across instances, giving up."""

import asyncio
import time

import pytest

from app.config import Settings
from app.mailer import Mailer, smtp_options
from app.models import MailOutbox
from app.services import mail


@pytest.fixture
def settings(settings, mailbox):
    return settings.model_copy(
        update={"smtp_url": mailbox.url, "mail_retry_seconds": 0.1, "mail_max_attempts": 2}
    )


def test_the_url_picks_tls_the_way_mail_providers_expect():
    submission = smtp_options("smtp://juf%40school.nl:ge%2Fheim@mail.example.nl:587")
    assert submission["hostname"] == "mail.example.nl"
    assert (submission["username"], submission["password"]) == ("juf@school.nl", "ge/heim")
    assert (submission["use_tls"], submission["start_tls"]) == (False, True)  # STARTTLS required
    relay = smtp_options("smtp://relay.local:25")
    assert (relay["use_tls"], relay["start_tls"]) == (False, None)  # when offered
    implicit = smtp_options("smtps://mail.example.nl")
    assert (implicit["port"], implicit["use_tls"], implicit["start_tls"]) == (465, True, False)


def test_a_url_that_names_no_mail_server_is_refused():
    for url in ("http://mail.example.nl", "smtp://", "mail.example.nl"):
        with pytest.raises(ValueError):
            Settings(smtp_url=url)
    assert Settings(smtp_url="").smtp_url is None


def queue_one(app, settings) -> None:
    with app.state.db.session() as session:
        mail.queue(
            session,
            settings,
            "a@school.nl",
            "nl",
            "password_reset",
            name="A",
            link="http://bord/password/reset/x",
            minutes=60,
        )


def test_two_instances_never_claim_the_same_mail(app, settings):
    queue_one(app, settings)
    first, second = Mailer(app.state.db, settings), Mailer(app.state.db, settings)
    claimed = first._claim()
    assert [row.recipient for row in claimed] == ["a@school.nl"]
    assert second._claim() == []


def test_a_mail_the_server_keeps_refusing_is_given_up_after_the_last_attempt(
    app, settings, mailbox, factory
):
    mailbox.refuse = 10
    queue_one(app, settings)
    mailer = Mailer(app.state.db, settings)

    async def send_until_settled() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            await mailer.send_due()
            if factory.all(MailOutbox)[0].failed_at is not None:
                return
            await asyncio.sleep(0.05)

    asyncio.run(send_until_settled())
    (row,) = factory.all(MailOutbox)
    assert row.failed_at is not None and row.sent_at is None
    assert row.attempts == 2
    assert mailbox.refused == 2
    assert mailbox.messages == []

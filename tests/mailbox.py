"""A real SMTP server in the test process (aiosmtpd), and what it received."""

import email
import email.policy
import re
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Mailbox:
    """aiosmtpd's handler: keeps every message; `refuse` answers that many deliveries with a
    temporary failure first, as a busy mail server does."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = 0
        self.refused = 0
        self.url = ""
        self._changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # the name aiosmtpd calls
        if self.refuse > 0:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._changed:
            self.messages.append(message)  # type: ignore[arg-type]
            self._changed.notify_all()
        return "250 OK"

    def wait_for(self, count: int = 1, timeout: float = 15.0) -> list[EmailMessage]:
        """The first `count` messages, once they have arrived."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.messages)} of {count} mails arrived"
                self._changed.wait(left)
            return self.messages[:count]


def start(mailbox: Mailbox, port: int) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.url = f"smtp://127.0.0.1:{port}"
    return controller


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain text and the HTML of a message."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def link_in(message: EmailMessage, path: str) -> str:
    """The path (from `path` on) of the link the mail carries."""
    text, html = parts(message)
    found = re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s\"<]+)", text)
    assert found, text
    assert found.group(1) in html
    return found.group(1)

"""A new answer to a member's question in a leernetwerk mails the asker, in their language, with
a link to the question on the network's page; answering your own question mails no one."""

import pytest
from sqlmodel import select

from app.models import MailOutbox, User
from tests.mailbox import link_in, parts
from tests.test_networks import API, Net


@pytest.fixture
def settings(settings, mailbox):
    return settings.model_copy(update={"smtp_url": mailbox.url, "mail_retry_seconds": 0.2})


@pytest.fixture
def net(client, factory) -> Net:
    return Net(client, factory)


def ask(client, net: Net, user, text: str) -> int:
    r = client.post(f"{API}/networks/{net.id}/questions", json={"text": text}, headers=net.h(user))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def answer(client, net: Net, user, question: int, text: str):
    r = client.post(f"{API}/questions/{question}/answers", json={"text": text}, headers=net.h(user))
    assert r.status_code == 201, r.text
    return r


def outbox(factory) -> list[MailOutbox]:
    with factory.session() as s:
        return list(s.exec(select(MailOutbox)))


def test_the_asker_gets_a_mail_with_a_link_to_the_question(client, factory, mailbox, net):
    w = net.w
    question = ask(client, net, w.teacher, "Hoe krijgen jullie ouders bij de leesavond?")
    answer(client, net, w.teacher, question, "Aanvulling: het gaat om groep 3.")  # my own
    assert outbox(factory) == []  # answering yourself mails no one
    answer(client, net, w.other_teacher, question, "Laat de kinderen zelf uitnodigen.")
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == w.teacher.email
    assert mail["Subject"] == "Een nieuw antwoord op je vraag in Leesnetwerk regio"
    text, html = parts(mail)
    assert f"Hallo {w.teacher.name}," in text
    assert w.other_teacher.name in text and "ouders bij de leesavond" in html
    path = link_in(mail, f"/networks/{net.id}")
    assert path == f"/networks/{net.id}#question-{question}"
    assert len(outbox(factory)) == 1
    # the link opens the question, with the answer, for the asker
    net.f.login(w.teacher)
    page = client.get(path.split("#")[0])
    assert f'id="question-{question}"' in page.text
    assert "Laat de kinderen zelf uitnodigen." in page.text


def test_the_mail_is_in_the_askers_language(client, factory, mailbox, net):
    w = net.w
    with factory.session() as s:
        asker = s.get(User, w.other_teacher.id)
        asker.locale = "en"
        s.add(asker)
        s.commit()
    question = ask(client, net, w.other_teacher, "Wie heeft een goede rekenmuur?")
    answer(client, net, w.teacher, question, "Wij! Kom kijken in groep 5.")
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == w.other_teacher.email
    assert mail["Subject"] == "A new answer to your question in Leesnetwerk regio"
    text, _html = parts(mail)
    assert w.teacher.name in text and "answered your question" in text


def test_a_refused_answer_mails_no_one(client, factory, net):
    w = net.w
    question = ask(client, net, w.teacher, "Wie doet er iets met stilteplekken?")
    r = client.post(
        f"{API}/questions/{question}/answers", json={"text": ""}, headers=net.h(w.other_teacher)
    )
    assert r.status_code == 422
    r = client.post(
        f"{API}/questions/{question}/answers", json={"text": "x"}, headers=net.h(w.other_leader)
    )
    assert r.status_code == 404
    assert outbox(factory) == []

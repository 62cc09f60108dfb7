"""The school's webhooks page: add one and see its secret once, pause, resume, a new secret,
delete, and the latest deliveries as the receiver answered them."""

import re
import time
from html import unescape

from app.models import Webhook, WebhookDelivery
from tests.webhook_receiver import receiver


def post(client, path: str, csrf: str, **data):
    return client.post(path, data={"csrf_token": csrf, **data}, follow_redirects=False)


def secret_in(html: str) -> str:
    found = re.search(
        r'<code class="webhook-secret-value" id="webhook-secret">([0-9a-f]+)</code>', html
    )
    return found.group(1) if found else ""


def field_error(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field_id}-error">([^<]*)</p>', html)
    return unescape(found.group(1)) if found else ""


def test_a_leader_adds_a_webhook_sees_its_secret_once_and_its_deliveries(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    home = client.get("/").text
    assert f'href="/schools/{w.school.id}/webhooks"' in home

    with receiver() as box:
        added = client.post(
            f"/schools/{w.school.id}/webhooks",
            data={"csrf_token": csrf, "url": box.url, "events": ["action.created", "action.done"]},
        )
        assert added.status_code == 201, added.text
        (hook,) = factory.all(Webhook)
        assert secret_in(added.text) == hook.secret
        assert hook.events == ["action.created", "action.done"]
        page = client.get(f"/schools/{w.school.id}/webhooks").text
        assert hook.secret not in page and secret_in(page) == ""
        assert "Nog geen berichten verstuurd." in page

        api = factory.api(w.teacher)
        client.post(f"/api/v1/boards/{w.board.id}/actions", json={"title": "Lezen"}, headers=api)
        deadline = time.monotonic() + 10
        while not any(d.delivered_at for d in factory.all(WebhookDelivery)):
            assert time.monotonic() < deadline
            time.sleep(0.02)
    page = client.get(f"/schools/{w.school.id}/webhooks").text
    assert "Actie toegevoegd" in page and "Afgeleverd" in page and "200 ontvangen" in page

    rotated = post(client, f"/webhooks/{hook.id}/rotate", csrf)
    assert rotated.status_code == 200
    new_secret = factory.get(Webhook, hook.id).secret
    assert new_secret != hook.secret and secret_in(rotated.text) == new_secret

    assert post(client, f"/webhooks/{hook.id}/pause", csrf).status_code == 303
    paused = factory.get(Webhook, hook.id)
    assert (paused.paused_at is not None, paused.paused_reason) == (True, "leader")
    assert "Hervatten" in client.get(f"/schools/{w.school.id}/webhooks").text
    assert post(client, f"/webhooks/{hook.id}/resume", csrf).status_code == 303
    assert factory.get(Webhook, hook.id).paused_at is None

    assert post(client, f"/webhooks/{hook.id}/delete", csrf).status_code == 303
    assert factory.all(Webhook) == [] and factory.all(WebhookDelivery) == []


def test_a_refused_webhook_says_why_next_to_the_field_and_keeps_what_was_typed(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    no_events = post(client, f"/schools/{w.school.id}/webhooks", csrf, url="https://example.nl/h")
    assert no_events.status_code == 422
    assert field_error(no_events.text, "new-webhook-events") == "Kies minstens één gebeurtenis."
    assert 'value="https://example.nl/h"' in no_events.text
    bad_url = post(
        client,
        f"/schools/{w.school.id}/webhooks",
        csrf,
        url="ftp://example.nl",
        events="action.done",
    )
    assert bad_url.status_code == 422
    assert field_error(bad_url.text, "new-webhook-url").startswith("Gebruik een webadres")
    assert 'value="action.done" checked' in bad_url.text
    assert factory.all(Webhook) == []


def test_the_page_speaks_english_to_an_english_reader(client, factory):
    w = factory.world()
    client.cookies.set("bord_lang", "en")
    factory.login(w.leader)
    with factory.session() as s:
        leader = s.get(type(w.leader), w.leader.id)
        leader.locale = "en"
        s.add(leader)
        s.commit()
    page = client.get(f"/schools/{w.school.id}/webhooks").text
    assert "New webhook" in page and "Help request asked" in page and "Care boards never" in page
    assert "Practice shared in a learning network <code>practice.shared</code>" in page


def test_a_leader_chooses_the_practice_shared_event_on_the_page(client, factory):
    w = factory.world()
    csrf = factory.login(w.leader)
    page = client.get(f"/schools/{w.school.id}/webhooks").text
    offered = '<input type="checkbox" name="events" value="practice.shared">'
    assert offered + " Praktijk gedeeld in een leernetwerk <code>practice.shared</code>" in page
    added = post(
        client,
        f"/schools/{w.school.id}/webhooks",
        csrf,
        url="http://127.0.0.1:9/h",
        events="practice.shared",
    )
    assert added.status_code == 201, added.text
    assert [hook.events for hook in factory.all(Webhook)] == [["practice.shared"]]
    assert "Meldt: Praktijk gedeeld in een leernetwerk" in added.text


def test_only_the_schools_leader_or_an_admin_opens_the_page(client, factory):
    w = factory.world()
    hook_owner_csrf = factory.login(w.leader)
    post(
        client,
        f"/schools/{w.school.id}/webhooks",
        hook_owner_csrf,
        url="http://127.0.0.1:9/h",
        events="session.ended",
    )
    (hook,) = factory.all(Webhook)
    for outsider in (w.teacher, w.other_leader):
        csrf = factory.login(outsider)
        assert client.get(f"/schools/{w.school.id}/webhooks").status_code == 404
        created = post(
            client,
            f"/schools/{w.school.id}/webhooks",
            csrf,
            url="http://127.0.0.1:9/x",
            events="action.created",
        )
        assert created.status_code == 404
        for action in ("pause", "resume", "rotate", "delete"):
            assert post(client, f"/webhooks/{hook.id}/{action}", csrf).status_code == 404
    assert [h.url for h in factory.all(Webhook)] == ["http://127.0.0.1:9/h"]
    assert factory.get(Webhook, hook.id).secret == hook.secret
    factory.login(w.admin)
    assert client.get(f"/schools/{w.school.id}/webhooks").status_code == 200

"""Credentials for the whole API: a Bearer token, or a session cookie plus its CSRF token."""

import pytest

from app.config import Settings
from app.main import create_app
from app.models import Action, Board

API = "/api/v1"


def api_operations() -> list[tuple[str, str]]:
    """Every operation of the JSON API, read from the OpenAPI schema so new ones are covered."""
    app = create_app(Settings(env="test", database_url="sqlite:///:memory:", redis_url=None))
    schema = app.openapi()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if path.startswith(API)
        for method in operations
    ]


# A pupil answers a poll without an account (services/polls.py): these need no credentials.
WITHOUT_ACCOUNT = {("GET", f"{API}/answer/{{code}}"), ("POST", f"{API}/answer/{{code}}")}
OPERATIONS = [op for op in api_operations() if op not in WITHOUT_ACCOUNT]


def test_the_openapi_document_names_both_ways_in_on_every_operation():
    app = create_app(Settings(env="test", database_url="sqlite:///:memory:", redis_url=None))
    schema = app.openapi()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["HTTPBearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (`bord token create`, or POST /api/v1/tokens)",
    }
    assert schemes["APIKeyCookie"]["in"] == "cookie"
    assert schemes["APIKeyCookie"]["name"] == "bord_session"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = [{"HTTPBearer": []}, {"APIKeyCookie": []}] if path.startswith(API) else None
            assert operation.get("security") == expected, (method, path)


def test_the_operations_without_an_account_are_only_a_pupils_answer():
    assert set(api_operations()) >= WITHOUT_ACCOUNT


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_operation_needs_credentials(client, factory, method, path):
    factory.world()
    url = path.replace("{", "").replace("}", "")
    url = "/".join("1" if part.endswith("_id") else part for part in url.split("/"))
    for headers in ({}, {"Authorization": "Bearer bord_wrong"}, {"Authorization": "Basic eDp5"}):
        answer = client.request(method, url, json={}, headers=headers)
        assert answer.status_code == 401, (method, url, headers)
        assert answer.json() == {"detail": "Not authenticated"}
    assert factory.get(Board, 1).version == 0


def test_a_cookie_session_needs_the_csrf_token_for_changes(client, factory):
    w = factory.world()
    csrf = factory.login(w.teacher)
    url = f"{API}/boards/{w.board.id}/actions"
    assert client.get(f"{API}/boards/{w.board.id}").status_code == 200

    refused = client.post(url, json={"title": "Zonder token"})
    assert refused.status_code == 403
    wrong = client.post(url, json={"title": "Fout token"}, headers={"X-CSRF-Token": "nee"})
    assert wrong.status_code == 403
    assert factory.all(Action) == []
    assert factory.get(Board, w.board.id).version == 0

    answer = client.post(url, json={"title": "Met token"}, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 201
    action = answer.json()

    for method, path, body in [
        ("PATCH", f"{API}/actions/{action['id']}", {"title": "x", "version": 1}),
        ("DELETE", f"{API}/actions/{action['id']}", None),
    ]:
        assert client.request(method, path, json=body).status_code == 403
    assert factory.get(Action, action["id"]).title == "Met token"
    deleted = client.delete(f"{API}/actions/{action['id']}", headers={"X-CSRF-Token": csrf})
    assert deleted.status_code == 204


def test_a_bearer_token_needs_no_csrf_token(client, factory):
    w = factory.world()
    factory.login(w.other_teacher)  # a stray cookie does not matter when a token is sent
    answer = client.post(
        f"{API}/boards/{w.board.id}/actions", json={"title": "x"}, headers=factory.api(w.teacher)
    )
    assert answer.status_code == 201


def test_errors_are_json_and_unknown_paths_404(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    assert client.get(f"{API}/nothing-here", headers=headers).status_code == 404
    wrong_method = client.put(f"{API}/boards/{w.board.id}", headers=headers)
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"detail": "Method Not Allowed"}

"""/api/v1/tokens: your own API tokens."""

from app.models import ApiToken

API = "/api/v1"


def test_tokens_need_credentials(client):
    assert client.get(f"{API}/tokens").status_code == 401
    assert client.post(f"{API}/tokens", json={"label": "x"}).status_code == 401
    assert client.delete(f"{API}/tokens/1").status_code == 401


def test_another_users_token_is_out_of_reach(client, factory):
    w = factory.world()
    theirs = factory.api(w.other_teacher)
    [their_token] = factory.all(ApiToken)
    headers = factory.api(w.teacher)
    assert client.delete(f"{API}/tokens/{their_token.id}", headers=headers).status_code == 404
    assert client.delete(f"{API}/tokens/999999", headers=headers).status_code == 404
    assert client.delete(f"{API}/tokens/0", headers=headers).status_code == 422
    assert their_token.id not in [
        t["id"] for t in client.get(f"{API}/tokens", headers=headers).json()
    ]
    assert client.get(f"{API}/me", headers=theirs).status_code == 200


def test_create_token_refuses_bad_input(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    for body in ({"label": "l" * 121}, {"label": "a\x00"}, {"label": 5}):
        answer = client.post(f"{API}/tokens", json=body, headers=headers)
        assert answer.status_code == 422, body
        assert answer.json()["detail"][0]["loc"] == ["body", "label"]
    assert len(factory.all(ApiToken)) == 1


def test_create_list_and_revoke_a_token(client, factory):
    w = factory.world()
    headers = factory.api(w.teacher)
    answer = client.post(f"{API}/tokens", json={"label": " laptop "}, headers=headers)
    assert answer.status_code == 201
    created = answer.json()
    assert created["label"] == "laptop"
    assert created["token"].startswith("bord_")
    fresh = {"Authorization": f"Bearer {created['token']}"}
    assert client.get(f"{API}/me", headers=fresh).json()["id"] == w.teacher.id

    listed = client.get(f"{API}/tokens", headers=headers).json()
    assert [t["label"] for t in listed] == ["", "laptop"]
    assert all("token" not in t for t in listed)  # shown once, at creation

    revoked = client.delete(f"{API}/tokens/{created['id']}", headers=headers)
    assert revoked.status_code == 204
    assert client.get(f"{API}/me", headers=fresh).status_code == 401
    assert client.delete(f"{API}/tokens/{created['id']}", headers=headers).status_code == 404
    assert [t["label"] for t in client.get(f"{API}/tokens", headers=headers).json()] == [""]


def test_empty_body_gives_an_unlabelled_token(client, factory):
    w = factory.world()
    answer = client.post(f"{API}/tokens", json={}, headers=factory.api(w.teacher))
    assert answer.status_code == 201
    assert answer.json()["label"] == ""

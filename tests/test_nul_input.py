"""A NUL character anywhere a request carries text gets a clear answer, never a 5xx.

PostgreSQL's text takes no NUL, SQLite's does: a NUL that reached a query failed on one database
only. Text the API stores is refused at the door (`types.NO_NUL`, a 422 naming the field); text
that only looks something up (a code, a search, a link's token) finds nothing."""

import re
import typing

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.config import Settings
from app.main import create_app
from app.models import LoginFailure, NetworkMember, PasswordReset
from app.models.types import NO_NUL
from tests.factories import form_token

API = "/api/v1"
NUL = "a\x00b"


def _routes(routes: list, prefix: str = "") -> typing.Iterator[tuple[str, APIRoute]]:
    """(full path, route) of every route; FastAPI keeps included routers as a tree, each
    knowing the prefix it was included under."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes, route.include_context.prefix)


APP = create_app(Settings(env="test", database_url="sqlite:///:memory:", redis_url=None))
ROUTES = list(_routes(APP.routes))


def _strings(annotation: typing.Any, metadata: tuple = ()) -> typing.Iterator[tuple]:
    """The metadata of every `str` within `annotation` (in lists, dicts, unions)."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *more = typing.get_args(annotation)
        yield from _strings(base, (*metadata, *more))
    elif annotation is str:
        yield metadata
    elif not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        for arg in typing.get_args(annotation):
            yield from _strings(arg)


def _models(annotation: typing.Any) -> typing.Iterator[type[BaseModel]]:
    for arg in typing.get_args(annotation):
        yield from _models(arg)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation


def _guarded(metadata: tuple) -> bool:
    return any(
        getattr(m, "func", None) is NO_NUL.func or getattr(m, "pattern", None) for m in metadata
    )


def unguarded_body_fields() -> set[str]:
    found: set[str] = set()
    seen: set[type] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            for inner in _models(field.annotation):
                walk(inner)
            if not all(_guarded(m) for m in _strings(field.annotation, tuple(field.metadata))):
                found.add(f"{model.__name__}.{name}")

    for _path, route in ROUTES:
        for param in route.dependant.body_params + route.dependant.query_params:
            for model in _models(param.field_info.annotation):
                walk(model)
    return found


# Checked otherwise: a time zone must be one of the IANA names.
CHECKED_OTHERWISE = {"SchoolCreate.time_zone", "SchoolUpdate.time_zone"}


def test_every_text_a_request_body_carries_refuses_nul():
    assert unguarded_body_fields() - CHECKED_OTHERWISE == set()


def _string_params(route: APIRoute) -> list[tuple[str, str]]:
    """(where, name) of each path and query parameter of `route` that is text."""
    found = []
    for where, params in (
        ("path", route.dependant.path_params),
        ("query", route.dependant.query_params),
    ):
        for param in params:
            if any(True for _ in _strings(param.field_info.annotation)):
                found.append((where, param.alias))
    return found


PROBES = [
    (method, path, where, name)
    for path, route in ROUTES
    for method in sorted(route.methods - {"HEAD"})
    for where, name in _string_params(route)
]


def _url(path: str, where: str, name: str) -> tuple[str, dict[str, str]]:
    """`path` with a NUL in parameter `name` (a path's, or a query's), 1 in every other."""

    def value(match: re.Match) -> str:
        return "a%00b" if where == "path" and match[1] == name else "1"

    return re.sub(r"{(\w+)}", value, path), ({name: NUL} if where == "query" else {})


@pytest.mark.parametrize(
    ("method", "path", "where", "name"), PROBES, ids=[f"{m} {p} {n}" for m, p, _, n in PROBES]
)
def test_a_nul_in_a_url_is_refused_at_the_door(client, factory, method, path, where, name):
    headers = factory.api(factory.user(admin=True))
    url, params = _url(path, where, name)
    answer = client.request(method, url, params=params, headers=headers, follow_redirects=False)
    assert answer.status_code == 422, (method, url, params, answer.text[:300])
    if path.startswith(API):
        expected = ["path"] if where == "path" else ["query", name]
        assert answer.json()["detail"][0]["loc"] == expected
        assert answer.json()["detail"][0]["type"] == "text_nul"


def test_a_nul_in_a_form_field_is_refused_and_nobody_is_signed_in(client, factory):
    user = factory.user()
    form = {
        "email": f"{user.email}\x00",
        "password": "x",
        "csrf_token": form_token(client, "/login"),
    }
    answer = client.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 422
    assert "Deze tekst bevat een teken dat niet kan." in answer.text
    assert "bord_session" not in client.cookies
    assert factory.all(LoginFailure) == []


def test_a_nul_in_a_json_field_is_refused_naming_it_and_changes_nothing(client, factory):
    w = factory.world()
    headers = factory.api(w.admin)
    made = client.post(f"{API}/networks", json={"name": "Rekenen"}, headers=headers)
    assert made.status_code == 201, made.text
    url = f"{API}/networks/{made.json()['id']}/members"
    answer = client.post(url, json={"email": f"{w.teacher.email}\x00"}, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "email"]
    assert answer.json()["detail"][0]["type"] == "text_nul"
    assert [m.user_id for m in factory.all(NetworkMember)] == [w.admin.id]


def test_a_nul_a_form_hands_on_unread_is_refused_and_changes_nothing(client, factory):
    # Some forms pass a field on as it came (an address to look up): PostgreSQL's driver
    # refuses its NUL, and that refusal is the client's 422, never a 500.
    user = factory.user()
    form = {"email": f"{user.email}\x00", "csrf_token": form_token(client, "/password/forgot")}
    answer = client.post("/password/forgot", data=form, follow_redirects=False)
    assert answer.status_code in (200, 422), answer.status_code
    assert factory.all(PasswordReset) == []

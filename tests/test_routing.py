"""The app's routers: fixed once the app is built, and still right when a router gains a route."""

from fastapi import FastAPI
from starlette.testclient import TestClient

from app.routing import APIRouter, fix_routes


def test_fixed_routes_still_find_a_route_added_later():
    inner = APIRouter()
    outer = APIRouter(prefix="/api")

    @inner.get("/one")
    def one() -> dict:
        return {"route": "one"}

    outer.include_router(inner)
    app = FastAPI()
    app.include_router(outer)
    fix_routes(app.router)
    client = TestClient(app)
    assert client.get("/api/one").json() == {"route": "one"}
    assert client.get("/api/two").status_code == 404

    @inner.get("/two")
    def two() -> dict:
        return {"route": "two"}

    assert client.get("/api/two").json() == {"route": "two"}
    assert client.get("/elsewhere").status_code == 404


def test_fastapi_asks_the_fixed_routers_for_their_version(monkeypatch):
    """The fixing is only worth it while FastAPI asks the routers for it on every request."""
    inner = APIRouter()

    @inner.get("/one")
    def one() -> dict:
        return {"route": "one"}

    app = FastAPI()
    app.include_router(inner, prefix="/api")
    fix_routes(app.router)
    asked: list[int] = []
    fixed = APIRouter._get_routes_version

    def counted(self, seen=None):
        asked.append(1)
        return fixed(self, seen)

    monkeypatch.setattr(APIRouter, "_get_routes_version", counted)
    assert TestClient(app).get("/api/one").status_code == 200
    assert asked and inner._fixed_version is not None

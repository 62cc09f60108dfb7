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

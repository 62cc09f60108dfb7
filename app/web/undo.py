""" "Verwijderd · Ongedaan maken": what the toast after a delete offers, on a team board and a
care board alike (templates/components/toasts.html renders it; routers/web/trash.py restores)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Undo:
    """The deleted item (its prullenbak kind, id and the version it was deleted at) and the
    element of the page that the restore's answer replaces."""

    kind: str
    id: int
    version: int
    target: str

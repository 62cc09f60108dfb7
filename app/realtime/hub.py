"""The hub: live screens per board. Realtime fan-out builds on `deliver`."""

import logging

from app.realtime.changes import BoardChange

log = logging.getLogger(__name__)


class Hub:
    def __init__(self) -> None:
        self.latest: dict[int, int] = {}

    def deliver(self, change: BoardChange) -> None:
        if change.version > self.latest.get(change.board_id, 0):
            self.latest[change.board_id] = change.version

    def resync_all(self) -> None:
        self.latest.clear()

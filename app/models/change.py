from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class BoardChange:
    """What the bus carries after a commit: which board, its new version, which sections moved."""

    board_id: int
    version: int
    sections: tuple[str, ...]
    entity: str = ""
    entity_id: int | None = None
    kind: str = ""
    # The cards this commit changed alone, as it wrote them: section name → board_cards.PushedCard
    # (read in its transaction, services/item_kinds.cards_as_written). In-process only: the
    # Redis bus does not carry them (item text stays off the wire), and a hub without them
    # reads the cards itself.
    cards: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_json(self) -> dict:
        return {
            "board_id": self.board_id,
            "version": self.version,
            "sections": list(self.sections),
            "entity": self.entity,
            "entity_id": self.entity_id,
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, data: dict) -> "BoardChange":
        return cls(
            board_id=int(data["board_id"]),
            version=int(data["version"]),
            sections=tuple(data["sections"]),
            entity=data.get("entity", ""),
            entity_id=data.get("entity_id"),
            kind=data.get("kind", ""),
        )

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class BoardChange:
    """What the bus carries after a commit: which board, its new version, which sections moved."""

    board_id: int
    version: int
    sections: tuple[str, ...]
    entity: str = ""
    entity_id: int | None = None
    kind: str = ""
    extra: dict = field(default_factory=dict, compare=False)

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

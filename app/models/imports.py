"""The answer to an import of another tool's board (services/trello_import.py)."""

from sqlmodel import SQLModel


class SkippedCard(SQLModel):
    card: str  # the card's id in the export
    name: str
    reason: str  # already_imported, list_skipped, unknown_list, no_archive


class ImportReport(SQLModel):
    imported: dict[str, int]  # actions, successes, ideas; of them archived
    skipped: list[SkippedCard]

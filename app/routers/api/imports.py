"""Bringing a board over from Trello (services/trello_import.py)."""

from typing import Annotated

from fastapi import File, Form, UploadFile

from app.deps import CurrentUser, IdPath, SessionDep
from app.models.imports import ImportReport, SkippedCard
from app.routing import APIRouter
from app.services import trello_export, trello_import

router = APIRouter(tags=["import"])


@router.post(
    "/boards/{board_id}/import/trello",
    status_code=201,
    response_model=ImportReport,
    responses={413: {"description": "The file is larger than 10 MB"}},
)
def import_trello(
    board_id: IdPath,
    file: Annotated[UploadFile, File(description="A Trello board's JSON export")],
    user: CurrentUser,
    session: SessionDep,
    mapping: Annotated[
        str | None,
        Form(
            max_length=100_000,
            description='JSON {list id: "todo"|"doing"|"done"|"successes"|"ideas"|"skip"}; '
            "lists left out follow the proposal from their names",
        ),
    ] = None,
) -> ImportReport:
    """Lists become action columns, successes or ideas; cards become items; archived cards go
    to the archive. Importing the same file again adds nothing. Not for care boards (404)."""
    export = trello_export.parse(file.file.read(trello_export.MAX_BYTES + 1))
    chosen = trello_export.parse_mapping(mapping, export)
    report = trello_import.import_board(session, user, board_id, export, chosen)
    return answer(report)


def answer(report: trello_import.Report) -> ImportReport:
    skipped = [SkippedCard(card=s.card, name=s.name, reason=s.reason) for s in report.skipped]
    return ImportReport(imported=report.imported, skipped=skipped)

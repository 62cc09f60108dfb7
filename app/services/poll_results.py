"""A poll's results, counted from its responses: what the teacher's page, the class screen and
`GET /api/v1/polls/{id}/results` show. The class screen (`teacher=False`) gets only the open
answers the teacher has shown; the teacher sees every one with its status."""

from sqlmodel import Session, col, select

from app.models.poll import (
    SCALE,
    SMILEYS,
    OpenAnswerPublic,
    Poll,
    PollResponse,
    PollResults,
    PollText,
    QuestionKind,
    QuestionResult,
    TextStatus,
)
from app.models.rows import require_id


def _choices(session: Session, poll: Poll) -> list[list[int | None]]:
    return [
        list(choices)
        for choices in session.exec(
            select(PollResponse.choices).where(PollResponse.poll_id == poll.id)
        ).all()
    ]


def _tally(kind: QuestionKind, options: list[str] | None, picked: list[int]) -> QuestionResult:
    size = {QuestionKind.smiley: SMILEYS, QuestionKind.scale: SCALE}.get(kind, len(options or []))
    base = 0 if kind == QuestionKind.choice else 1
    counts = [0] * size
    for value in picked:
        if 0 <= value - base < size:
            counts[value - base] += 1
    answered = sum(counts)
    result = QuestionResult(kind=kind, text="", options=options, answered=answered, counts=counts)
    if answered and kind == QuestionKind.scale:
        result.mean = round(sum(score * n for score, n in enumerate(counts, 1)) / answered, 2)
    if answered and kind == QuestionKind.smiley:
        result.positive = round(100 * counts[-1] / answered, 1)
    return result


def results(session: Session, poll: Poll, *, open_: bool, teacher: bool) -> PollResults:
    rows = _choices(session, poll)
    texts = session.exec(
        select(PollText).where(PollText.poll_id == poll.id).order_by(col(PollText.id))
    ).all()
    questions = []
    for index, question in enumerate(poll.questions):
        kind = QuestionKind(question["kind"])
        if kind == QuestionKind.open:
            wanted = [t for t in texts if t.question == index]
            shown = [
                OpenAnswerPublic(
                    id=require_id(t), text=t.text, status=t.status, created_at=t.created_at
                )
                for t in wanted
                if teacher or t.status == TextStatus.shown
            ]
            result = QuestionResult(
                kind=kind, text="", answered=len(wanted), counts=[], open_answers=shown
            )
        else:
            picked = [row[index] for row in rows if index < len(row) and row[index] is not None]
            result = _tally(
                kind, question.get("options"), [int(v) for v in picked if v is not None]
            )
        result.text = question["text"]
        questions.append(result)
    return PollResults(
        id=require_id(poll),
        title=poll.title,
        open=open_,
        closes_at=poll.closes_at,
        closed_at=poll.closed_at,
        responses=len(rows),
        questions=questions,
    )


def measurable_value(session: Session, poll: Poll, index: int) -> float | None:
    """A smiley question's % happy, a scale's mean score; None for other kinds or no answers."""
    question = poll.questions[index]
    kind = QuestionKind(question["kind"])
    if kind not in (QuestionKind.smiley, QuestionKind.scale):
        return None
    picked = [row[index] for row in _choices(session, poll) if index < len(row)]
    result = _tally(kind, None, [int(v) for v in picked if v is not None])
    return result.positive if kind == QuestionKind.smiley else result.mean

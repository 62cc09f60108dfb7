"""Every board mutation bumps the version, appends one event and queues one push, atomically."""

import pytest
from sqlmodel import select

from app.errors import Conflict, Invalid, NotFound
from app.models import Action, ActionStatus, Board, BoardEvent, Idea
from app.models.action import ActionCreate, ActionUpdate
from app.models.notes import IdeaCreate
from app.services import actions, item_kinds, items
from app.services.item_kinds import ACTION


def run(factory, fn, *args):
    """Call a service in one unit of work, as a request would; returns (result, published)."""
    db = factory.app.state.db
    with db.session() as session:
        result = fn(session, *args)
        outbox = list(session.info.get("outbox", []))
    return result, outbox


def test_teacher_of_another_school_cannot_add_an_action(factory):
    w = factory.world()
    with pytest.raises(NotFound):
        run(
            factory,
            items.create_item,
            w.other_teacher,
            item_kinds.ACTION,
            w.board.id,
            ActionCreate(title="x"),
        )
    assert factory.get(Board, w.board.id).version == 0
    assert factory.all(BoardEvent) == []


def test_an_edit_out_of_reach_leaves_the_board_as_it_was(factory):
    # an edit takes the board's lock (its version bump) before it reads the item: a refusal
    # after that must leave neither a version nor an event behind
    w = factory.world()
    action, _ = run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.ACTION,
        w.board.id,
        ActionCreate(title="a"),
    )
    run(factory, items.delete_item, w.teacher, ACTION, action.id, None)
    kept, _ = run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.ACTION,
        w.board.id,
        ActionCreate(title="b"),
    )
    refusals = [
        (w.other_teacher, kept.id),  # another school's teacher
        (w.teacher, action.id),  # in the prullenbak
        (w.teacher, 10**6),  # no such action
    ]
    for user, action_id in refusals:
        with pytest.raises(NotFound):
            run(
                factory,
                items.update_item,
                user,
                item_kinds.ACTION,
                action_id,
                ActionUpdate(title="x", version=1),
            )
    assert factory.get(Board, w.board.id).version == 3
    assert len(factory.all(BoardEvent)) == 3
    assert factory.get(Action, kept.id).title == "b"


def test_create_bumps_version_records_event_and_queues_push(factory):
    w = factory.world()
    action, outbox = run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.ACTION,
        w.board.id,
        ActionCreate(title="Rekenles samen ontwerpen", owner="Ans"),
    )
    assert factory.get(Board, w.board.id).version == 1
    [event] = factory.all(BoardEvent)
    assert (event.version, event.kind, event.entity, event.entity_id) == (
        1,
        "created",
        "action",
        action.id,
    )
    assert [(c.board_id, c.version, c.sections) for c in outbox] == [(w.board.id, 1, ("actions",))]


def test_stale_edit_is_refused_and_changes_nothing(factory):
    w = factory.world()
    action, _ = run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.ACTION,
        w.board.id,
        ActionCreate(title="a"),
    )
    run(
        factory,
        items.update_item,
        w.teacher,
        item_kinds.ACTION,
        action.id,
        ActionUpdate(title="b", version=1),
    )
    with pytest.raises(Conflict) as caught:
        run(
            factory,
            items.update_item,
            w.teacher,
            item_kinds.ACTION,
            action.id,
            ActionUpdate(title="c", version=1),
        )
    assert caught.value.current.title == "b"
    assert factory.get(Action, action.id).title == "b"
    assert factory.get(Board, w.board.id).version == 2
    assert len(factory.all(BoardEvent)) == 2


def test_moves_order_cards_within_and_between_columns(factory):
    w = factory.world()
    ids = [
        run(
            factory,
            items.create_item,
            w.teacher,
            item_kinds.ACTION,
            w.board.id,
            ActionCreate(title=t),
        )[0].id
        for t in "abc"
    ]
    # c to the top of Te doen, then a to Mee bezig
    run(
        factory,
        items.update_item,
        w.teacher,
        item_kinds.ACTION,
        ids[2],
        ActionUpdate(position=0, version=1),
    )
    run(
        factory,
        items.update_item,
        w.teacher,
        item_kinds.ACTION,
        ids[0],
        ActionUpdate(status=ActionStatus.doing, position=0, version=1),
    )
    with factory.session() as s:
        todo = s.exec(
            select(Action.title).where(Action.status == "todo").order_by(Action.rank)
        ).all()
        doing = s.exec(select(Action.title).where(Action.status == "doing")).all()
    assert todo == ["c", "b"]
    assert doing == ["a"]


def test_goal_of_another_board_is_refused_by_field(factory):
    w = factory.world()
    from app.models.goal import GoalCreate

    goal, _ = run(
        factory,
        items.create_item,
        w.other_teacher,
        item_kinds.GOAL,
        w.other_board.id,
        GoalCreate(title="Lezen"),
    )
    with pytest.raises(Invalid) as caught:
        run(
            factory,
            items.create_item,
            w.teacher,
            item_kinds.ACTION,
            w.board.id,
            ActionCreate(title="x", goal_id=goal.id),
        )
    assert caught.value.field == "goal_id"
    assert factory.get(Board, w.board.id).version == 0


def test_idea_becomes_an_action_in_one_change(factory):
    w = factory.world()
    idea, _ = run(
        factory,
        items.create_item,
        w.teacher,
        item_kinds.IDEA,
        w.board.id,
        IdeaCreate(text="Leesmaatjes met groep 3"),
    )
    action, outbox = run(factory, actions.promote_idea, w.teacher, idea.id)
    assert action.title == "Leesmaatjes met groep 3"
    assert factory.all(Idea) == []
    assert outbox[0].sections == ("ideas", "actions")

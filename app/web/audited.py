"""A write transaction for reads that leave a trace: opening a case writes its audit entry.

GET requests normally read on the read engine; a read of a case must also record who read it,
in the same unit of work, so these routes take this session instead.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session


async def get_audited_session(request: Request) -> AsyncIterator[Session]:
    state = request.app.state
    async with state.db.transaction(write=True, publish=state.bus.publish) as session:
        yield session


AuditedSessionDep = Annotated[Session, Depends(get_audited_session, scope="function")]

"""Batch jobs of the service: their status and counts, readable by any process."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine, select

from newsaudit.store.schema import batches, utc_now


def create_batch(engine: Engine, total: int = 0) -> str:
    batch_id = uuid.uuid4().hex
    now = utc_now()
    with engine.begin() as conn:
        conn.execute(
            batches.insert().values(
                id=batch_id,
                status="queued",
                total=total,
                done=0,
                stored=0,
                skipped=0,
                failed=0,
                created_at=now,
                updated_at=now,
            )
        )
    return batch_id


def update_batch(engine: Engine, batch_id: str, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(
            batches.update().where(batches.c.id == batch_id).values(updated_at=utc_now(), **values)
        )


def get_batch(engine: Engine, batch_id: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(batches).where(batches.c.id == batch_id)).first()
    if row is None:
        return None
    batch = dict(row._mapping)
    for key in ("created_at", "updated_at", "started_at"):
        batch[key] = batch[key].isoformat() if batch[key] else None
    return batch

"""routing: when an agent closed a conversation they took on (measured handling times); recent claims

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import samenspel.db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("routing_load_events", schema=None) as batch_op:
        # Contacts from before this revision have no known end; the wait estimate skips them.
        batch_op.add_column(sa.Column("closed_at", samenspel.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_routing_load_events_closed_at", ["closed_at"], unique=False)
    with op.batch_alter_table("routing_tickets", schema=None) as batch_op:
        batch_op.create_index("ix_routing_tickets_assigned_at", ["assigned_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("routing_tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_routing_tickets_assigned_at")
    with op.batch_alter_table("routing_load_events", schema=None) as batch_op:
        batch_op.drop_index("ix_routing_load_events_closed_at")
        batch_op.drop_column("closed_at")

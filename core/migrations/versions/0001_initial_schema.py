"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22

Also installs the append-only triggers: the decision log and the sales-floor events (registrations
are the basis of pay) refuse UPDATE and DELETE at the database itself, not only in the application.

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from decimal import Decimal

from sqlalchemy.types import TypeDecorator

# Frozen copies of what this revision's models were: migrations never import live model code.
APPEND_ONLY_TABLES = ("decision_log", "floor_events")


class ExactDecimal(TypeDecorator):
    """Decimal stored exactly: NUMERIC on PostgreSQL, canonical text on SQLite (schema 0001)."""

    impl = sa.String(40)
    cache_ok = True

    def __init__(self, precision: int = 18, scale: int = 4) -> None:
        super().__init__()
        self.precision, self.scale = precision, scale

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.Numeric(self.precision, self.scale, asdecimal=True))
        return dialect.type_descriptor(sa.String(40))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return Decimal(value) if dialect.name == "postgresql" else format(Decimal(value), "f")

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('archive_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('archive_code', sa.String(length=64), nullable=False),
    sa.Column('stage', sa.String(length=64), nullable=False),
    sa.Column('approver', sa.String(length=100), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('archive_code', 'stage', name='uq_archive_approval')
    )
    with op.batch_alter_table('archive_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_approvals_archive_code'), ['archive_code'], unique=False)

    op.create_table('archive_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('archive_code', sa.String(length=64), nullable=False),
    sa.Column('doc_type', sa.String(length=64), nullable=False),
    sa.Column('doc_number', sa.String(length=100), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('archive_code', 'doc_type', name='uq_archive_document')
    )
    with op.batch_alter_table('archive_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archive_documents_archive_code'), ['archive_code'], unique=False)

    op.create_table('archives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('customer_code', sa.String(length=64), nullable=False),
    sa.Column('segment', sa.String(length=32), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('keeper', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('archives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_archives_customer_code'), ['customer_code'], unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('customer_code', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('special_approval', sa.Boolean(), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('handler', sa.String(length=100), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_customer_code'), ['customer_code'], unique=False)

    op.create_table('conduct_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('staff_code', sa.String(length=64), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('incident_type', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('conduct_incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conduct_incidents_staff_code'), ['staff_code'], unique=False)

    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('segment', sa.String(length=32), nullable=True),
    sa.Column('sales_form', sa.String(length=32), nullable=True),
    sa.Column('product_line', sa.String(length=32), nullable=True),
    sa.Column('level', sa.String(length=32), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=True),
    sa.Column('monthly_volume', ExactDecimal(18, 3), nullable=True),
    sa.Column('pickup_completion_rate', ExactDecimal(8, 4), nullable=True),
    sa.Column('developed_on', sa.Date(), nullable=True),
    sa.Column('qualification_expires', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('deals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('customer_code', sa.String(length=64), nullable=False),
    sa.Column('staff_code', sa.String(length=64), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('commission', ExactDecimal(18, 2), nullable=False),
    sa.Column('price', ExactDecimal(18, 2), nullable=True),
    sa.Column('unit', sa.String(length=64), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deals_customer_code'), ['customer_code'], unique=False)

    op.create_table('decision_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.String(length=36), nullable=False),
    sa.Column('command', sa.String(length=32), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('subject_kind', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('rule_id', sa.String(length=100), nullable=False),
    sa.Column('citation_document', sa.String(length=200), nullable=False),
    sa.Column('citation_clause', sa.String(length=100), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('plugin', sa.String(length=64), nullable=False),
    sa.Column('plugin_version', sa.String(length=32), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('decision_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_log_fingerprint'), ['fingerprint'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_log_run_id'), ['run_id'], unique=False)
        batch_op.create_index('ix_decision_rule', ['rule_id'], unique=False)
        batch_op.create_index('ix_decision_subject', ['subject_kind', 'subject_id'], unique=False)

    op.create_table('floor_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('event_type', sa.String(length=64), nullable=False),
    sa.Column('staff_code', sa.String(length=64), nullable=True),
    sa.Column('customer_code', sa.String(length=64), nullable=True),
    sa.Column('other_staff_code', sa.String(length=64), nullable=True),
    sa.Column('related_customer_code', sa.String(length=64), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    with op.batch_alter_table('floor_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_floor_events_customer_code'), ['customer_code'], unique=False)
        batch_op.create_index('ix_floor_events_time', ['occurred_at', 'id'], unique=False)

    op.create_table('monthly_volumes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_code', sa.String(length=64), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('volume', ExactDecimal(18, 3), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('customer_code', 'month', name='uq_monthly_volume')
    )
    with op.batch_alter_table('monthly_volumes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monthly_volumes_customer_code'), ['customer_code'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=64), nullable=True),
    sa.Column('team', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    _create_append_only_triggers()


def _create_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION zhidu_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for table in APPEND_ONLY_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION zhidu_refuse_change()"
            )
    elif dialect == "sqlite":
        for table in APPEND_ONLY_TABLES:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
                )


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS zhidu_refuse_change()")
    op.drop_table('staff')
    with op.batch_alter_table('monthly_volumes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monthly_volumes_customer_code'))

    op.drop_table('monthly_volumes')
    with op.batch_alter_table('floor_events', schema=None) as batch_op:
        batch_op.drop_index('ix_floor_events_time')
        batch_op.drop_index(batch_op.f('ix_floor_events_customer_code'))

    op.drop_table('floor_events')
    with op.batch_alter_table('decision_log', schema=None) as batch_op:
        batch_op.drop_index('ix_decision_subject')
        batch_op.drop_index('ix_decision_rule')
        batch_op.drop_index(batch_op.f('ix_decision_log_run_id'))
        batch_op.drop_index(batch_op.f('ix_decision_log_fingerprint'))

    op.drop_table('decision_log')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deals_customer_code'))

    op.drop_table('deals')
    op.drop_table('customers')
    with op.batch_alter_table('conduct_incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conduct_incidents_staff_code'))

    op.drop_table('conduct_incidents')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_customer_code'))

    op.drop_table('complaints')
    with op.batch_alter_table('archives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archives_customer_code'))

    op.drop_table('archives')
    with op.batch_alter_table('archive_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_documents_archive_code'))

    op.drop_table('archive_documents')
    with op.batch_alter_table('archive_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_archive_approvals_archive_code'))

    op.drop_table('archive_approvals')

"""Attempt kinds: failed logins and password reset requests in login_attempts.

Revision ID: bca3b51f0fc3
Revises: c9dbd35ebc66
Create Date: 2026-11-30 11:43:29.558236

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bca3b51f0fc3'
down_revision = 'c9dbd35ebc66'
branch_labels = None
depends_on = None


def upgrade():
    # Every stored row so far is a failed login.
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='login', nullable=False))


def downgrade():
    # Without the column, reset requests would count as failed logins.
    op.execute(sa.text("DELETE FROM login_attempts WHERE kind <> 'login'"))
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_column('kind')

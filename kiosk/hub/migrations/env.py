"""Alembic environment: runs on the connection handed over by kiosk.hub.db."""

from alembic import context

from kiosk.hub.db import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    version_table=VERSION_TABLE,
)
with context.begin_transaction():
    context.run_migrations()

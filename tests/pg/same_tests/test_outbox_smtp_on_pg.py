"""tests/data/test_outbox_smtp.py on PostgreSQL (see this folder's conftest): the outbox
queued, delivered through a real SMTP server, refused and retried on the server engine."""

from tests.data.test_outbox_smtp import *  # noqa: F403

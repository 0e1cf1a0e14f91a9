"""Events and webhooks: a transactional outbox, a change feed and signed webhook deliveries.

- `outbox.record()` writes one Event row in the transaction of the change it describes (called by
  `commitments.services`), so a rolled-back change has no event and a committed one always has.
- `selectors.visible_events()` serves the events in commit order (see its docstring).
- `delivery` sends them to registered endpoints, one worker per endpoint at a time, in order;
  `tasks` are the thin Celery wrappers (a beat job and an on-commit kick both dispatch).
"""

"""The closing part of RESULTS.md: what was changed in the application for these figures, and
what the goals that are still missed would need (changes outside the benchmark's reach)."""

FINDINGS = """
## Changes made to the application

Each keeps the behaviour identical; the suites `tests/workflows tests/api tests/notifications`
pass on SQLite, and the reminder, live-websocket and worker-dispatch tests on PostgreSQL.

- `workflows/selectors.py`, `task_list`: the open dependencies of each task are counted by a
  correlated subquery instead of a join on the dependencies with `COUNT(DISTINCT)` and a
  `GROUP BY` of every column. The page query no longer groups all of the user's tasks before
  sorting and cutting them, and the paginator's count becomes a plain `COUNT(*)`. Same
  annotation (`open_dependency_count`), same values.
- `workflows/api/serializers.py`, `TaskSerializer.to_representation`: builds the same dict
  directly instead of DRF's generic loop over 21 fields per row (dates and times still go
  through the declared fields' formatting); `get_depends_on` reads the prefetched rows without
  building a related manager per task. `tests/api/test_task_representation.py` (new) checks
  that the result equals DRF's generic output, key order included, for four kinds of users
  and tasks with every optional field empty.
  Measured once, A/B in one process on the full data set (minimum of 40 requests, so that
  the other helpers' load counts least): 23.4 ms for the page before, 20.6 ms with the
  selector change, 19.8 ms with both.
- `notifications/reminders.py`, `_insert`: `INSERT ... ON CONFLICT DO NOTHING RETURNING` now
  returns the key columns and the Reminder rows are built from the specs, instead of being read
  back: one query and 500 model loads fewer per chunk of 500 (the first sweep went from 561 to
  506 queries). The exactly-once rule is unchanged (only the sweep whose insert returned the id
  notifies); when two specs share object and kind, it reads the rows back as before.
- Tried and withdrawn: sending a sweep's live notifications 32 groups at a time
  (`notifications/live.py`). A `group_send` to a group with nobody connected costs about
  0.13 ms of CPU, not of waiting, so concurrency bought nothing.

## What the missed goals would need (outside the files this work could change)

- **Task list, p95 ≤ 2x the hand-written baseline.** Django and DRF cost a floor of their own:
  the empty-page row (the same request with no row to show: token and user, roles, filters,
  count, throttle counters in Redis, rendering) already costs several times the baseline's whole
  page, and each request opens a new PostgreSQL connection (`CONN_MAX_AGE=0`, and under ASGI
  each request runs in a thread of its own). With 10 clients on 2 cores the servers are
  saturated, so the p95 is the CPU cost per request times the queue. The "what if" row uses
  Django 5.1+'s connection pool (`DATABASES[...]["OPTIONS"]["pool"]`, package `psycopg-pool`,
  compatible with ASGI), the one setting that removes per-request work: in the run recorded
  here it took about 10 ms off a lone request, but with 10 clients the CPU is the limit and
  the p95 hardly moved. The rest is the price
  of the ORM, DRF and the middleware stack; reaching 2x would mean serving this list with
  hand-written SQL, as the baseline does.
- **`?ordering=due_at` has no tie-breaker.** DRF's `OrderingFilter` replaces the view's default
  `due_at, id` with `due_at` alone, and many tasks share a due time: pages come in an
  unspecified order and a task can appear on two pages or on none. Fix: an ordering filter
  that appends `id` to whatever the client asks (in `congress/api/filters.py`).
- **First reminder sweep under 5 s.** The steady state meets it; the backlog (every reminder a
  never-swept data set owes at once, about 27,000 at full scale) costs about 1 ms per
  reminder: building and rendering the notification, `bulk_create` of the notification and of
  its email delivery, the DRF serialization of the live message and one `group_send` per
  recipient, all batched (about one query per 50 reminders). Under 5 s would mean bounding
  what one sweep sends (today `MAX_PASSED` = 20,000 passed deadlines, escalations apart) to a
  few thousand, so that a backlog is spread over successive sweeps 5 minutes apart, or writing
  notifications and deliveries with COPY. Not changed here: it changes when reminders leave.
- **Websocket fan-out, median 100 ms / p95 250 ms.** Met since the application switched to
  `channels_redis.pubsub.RedisPubSubChannelLayer` (one PUBLISH per event, received once per
  server process); the list-based `RedisChannelLayer` (`CHANNEL_LAYER=core`, the "what if"
  row) writes one message per subscribed channel and measured a 106 ms median in an earlier
  run. The event reaches the first client only after the worker has dispatched it
  (recipients, notifications, email deliveries, commit, then the push); pushing first would
  shorten that further.
- **Outbox recovery within 10 s.** Nothing is lost or doubled. Recovery relies on the
  redispatch sweep (now every 10 s for events older than 10 s; it was every 60 s for events
  older than a minute, which measured 115 s) and on the worker reconnecting to the broker,
  which Celery retries at growing intervals (2, 4, 6... s), so after a 60 s outage the first
  sweep after the return can be 10-20 s away. The Celery worker can also exit on a lost broker
  connection (kombu), so it must run under a process manager that restarts it. The API keeps
  answering while Redis is down (rate limits and the login limit fail open).
"""

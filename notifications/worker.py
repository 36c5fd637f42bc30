"""The Celery worker's consumer, reconnecting to a lost broker within a second.

Celery's consumer retries the broker at 2, 4, 6... seconds apart (kombu's defaults, up to 30 s
between two tries; no setting changes them), so after a one-minute outage the worker could
stay away for another 10-20 s while the web processes have queued the kept dispatches again.
This consumer tries every RECONNECT_EVERY seconds instead; a try against a broker that is
down costs a refused connection. Named by CELERY_WORKER_CONSUMER in config/settings.py.
"""

from celery.worker.consumer import Consumer as CeleryConsumer

RECONNECT_EVERY = 1.0
RECONNECT = {
    "interval_start": RECONNECT_EVERY / 2,
    "interval_step": RECONNECT_EVERY / 2,
    "interval_max": RECONNECT_EVERY,
}


class Consumer(CeleryConsumer):
    def ensure_connected(self, conn):
        ensure = conn.ensure_connection

        def ensure_soon(*args, **kwargs):
            return ensure(*args, **{**RECONNECT, **kwargs})

        conn.ensure_connection = ensure_soon
        return super().ensure_connected(conn)

"""Queue this app's Celery tasks by name.

The tasks (notifications.tasks) call the services that queue more work (a dispatch queues
its emails), so the services cannot import the task module without an import cycle. Celery
resolves a signature by its registered name (the app imports notifications.tasks when it is
ready), and a registered task keeps its own behaviour, eager mode included.
"""

from celery import current_app


def enqueue(task: str, *args) -> None:
    current_app.signature(f"notifications.tasks.{task}", args=args).delay()

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("congress")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # notifications.tasks
# workflows.jobs: in workflows, "tasks" are the plan's Task model.
app.autodiscover_tasks(related_name="jobs")
# The apps reach this app as celery.current_app, in every thread, without importing config.
app.set_default()

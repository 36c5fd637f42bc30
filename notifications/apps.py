from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Register the Celery tasks that notifications.jobs queues by name.
        from notifications import tasks  # noqa: F401

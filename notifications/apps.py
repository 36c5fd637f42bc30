from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from congress.signals import rights_changed
        from notifications import (
            live,
            tasks,  # noqa: F401  (the Celery tasks jobs queues by name)
        )

        # Open websockets learn at once that their users' rights changed.
        rights_changed.connect(live.on_rights_changed, dispatch_uid="notifications.live.rights")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from congress import events as congress_events
        from congress.signals import rights_changed
        from notifications import (
            live,
            registry,
            tasks,  # noqa: F401  (the Celery tasks jobs queues by name)
        )

        # congress may not import notifications: its kinds are declared here, on its behalf.
        for name in congress_events.KINDS:
            registry.register(name)

        # Open websockets learn at once that their users' rights changed.
        rights_changed.connect(live.on_rights_changed, dispatch_uid="notifications.live.rights")

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models import Body, Congress


class Event(models.Model):
    """The outbox: one row per domain change, written in the change's own transaction.

    Its id is the live-update sequence number. It carries everything its dispatch needs
    (kind, id, owning body, confidential flag, the users it concerns) so that notifications
    never need to look back into workflows.
    """

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(_("type"), max_length=64)
    object_kind = models.CharField(_("object kind"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("object id"))
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = models.JSONField(_("users concerned"), default=list, blank=True)
    payload = models.JSONField(_("data"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["congress", "id"]),
            models.Index(
                fields=["created_at"],
                name="event_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.type}"

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


class Category(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assignments")
    MENTION = "mention", _("Mentions")
    REVIEW = "review", _("Waiting for my review")
    STATUS = "status", _("Status changes")
    COMMENT = "comment", _("Comments")
    REMINDER = "reminder", _("Deadline reminders")
    ESCALATION = "escalation", _("Escalations")
    DIGEST = "digest", _("Daily digest")


# Sent at once; the other categories are batched over a short window.
IMMEDIATE_CATEGORIES = {Category.ASSIGNMENT, Category.MENTION}


class Reminder(models.Model):
    """A reminder that was sent: unique per object, kind and deadline, so a sweep that runs
    twice (or two sweeps at once) never sends it twice."""

    object_kind = models.CharField(_("object kind"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("object id"))
    kind = models.CharField(_("kind"), max_length=32)
    deadline = models.DateTimeField(_("deadline"))
    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["object_kind", "object_id", "kind", "deadline"],
                name="reminder_once_per_deadline",
            )
        ]

    def __str__(self):
        return f"{self.object_kind}#{self.object_id} {self.kind}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    reminder = models.ForeignKey(
        Reminder,
        verbose_name=_("reminder"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("congress"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The body whose work it is about: the inbox judges it by that body's confidentiality now.
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    confidential = models.BooleanField(_("confidential"), default=False)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event"],
                condition=models.Q(event__isnull=False),
                name="notification_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["recipient", "reminder"],
                condition=models.Q(reminder__isnull=False),
                name="notification_once_per_reminder",
            ),
        ]

    def __str__(self):
        return self.title


# The template of the notification emails (one email for one or several notifications of a
# recipient); every other template renders one email of its own from the delivery's context.
NOTIFICATIONS_TEMPLATE = "notifications"


class EmailDelivery(models.Model):
    """One email to send, and how sending it went: a notification's (batched with the
    recipient's others) or one rendered from a template of `emails/` (notifications.email)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Canceled")

    notification = models.OneToOneField(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="email",
    )
    template = models.CharField(_("template"), max_length=64, default=NOTIFICATIONS_TEMPLATE)
    to = models.EmailField(_("to"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # What a template's email says, until it is sent: a link it carries is not kept after.
    context = models.JSONField(_("data"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    send_after = models.DateTimeField(_("send after"), db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "send_after"])]

    def __str__(self):
        return f"{self.to} · {self.get_status_display()}"


class Preference(models.Model):
    """A user's notification settings: email per category, digest hour, quiet hours, and the
    secret token of their calendar feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_off = models.JSONField(_("categories without email"), default=list, blank=True)
    digest_hour = models.PositiveSmallIntegerField(_("daily digest hour"), null=True, blank=True)
    quiet_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    calendar_token = models.CharField(_("calendar token"), max_length=64, unique=True)
    last_digest_on = models.DateField(_("last digest on"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

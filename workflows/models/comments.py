"""Comments on a task or on a document version, and their dispositions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.models.tasks import Task


class Comment(models.Model):
    """A comment on a task, or on a version of a document (then with a disposition: taken in,
    partly taken in or not, and the drafters' response, *tiếp thu, giải trình*)."""

    class Disposition(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("document version"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    source = models.CharField(_("source organization"), max_length=255, blank=True)
    section = models.CharField(_("section"), max_length=255, blank=True)
    text = models.TextField(_("text"), max_length=20000)
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices, default=Disposition.PENDING
    )
    response = models.TextField(_("response"), blank=True, max_length=20000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(task__isnull=True, version__isnull=False)
                | models.Q(task__isnull=False, version__isnull=True),
                name="comment_on_task_or_version",
            )
        ]

    def __str__(self):
        return self.text[:60]

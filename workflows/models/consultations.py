"""Invitations of outside organizations to comment on a draft put out for comment, through a
personal link of their own (`/consult/{token}/`), and the reminders they were sent."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models import Organization
from notifications.models import EmailDelivery
from workflows import rules
from workflows.models.comments import Comment
from workflows.models.documents import Document


def token_hash(token: str) -> str:
    """Only this is stored: a leaked table gives no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


class ConsultationInvitation(models.Model):
    """One organization asked for its comments on one round of a draft. The link is valid
    while that round's consultation is open; a resent link replaces the old one."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Not sent yet")
        SENT = "sent", _("Sent")
        OPENED = "opened", _("Opened")
        ANSWERED = "answered", _("Answered")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="invitations"
    )
    round = models.PositiveSmallIntegerField(_("draft round"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("organization's name"), max_length=255)
    email = models.EmailField(_("email"), max_length=254)
    contact = models.CharField(_("contact person"), max_length=255, blank=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, null=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Its latest email (notifications.email records how sending it goes).
    delivery = models.ForeignKey(
        EmailDelivery,
        verbose_name=_("email"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    comments = models.ManyToManyField(
        Comment, verbose_name=_("comments sent"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consultation invitation")
        verbose_name_plural = _("consultation invitations")
        ordering = ["document_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "round", "email"],
                condition=models.Q(revoked_at__isnull=True),
                name="invitation_unique_email_per_round",
            )
        ]

    def __str__(self):
        return f"{self.name} · {self.document}"

    def is_expired(self, now) -> bool:
        """The round it was for is over, or never went out, or its closing date passed."""
        document = self.document
        if document.round != self.round or not rules.consultation_allowed(document):
            return True
        if document.status == Document.Status.CONSULTATION:
            closes_at = document.consultation_closes_at
            return closes_at is not None and closes_at <= now
        return document.status not in rules.CONSULTATION_STEPS

    @property
    def send_attempts(self) -> int:
        """How many times its latest email was tried."""
        return self.delivery.attempts if self.delivery_id else 0

    @property
    def last_error(self) -> str:
        """Why its latest email has not gone out, while it has not."""
        if self.delivery_id is None or self.delivery.status == EmailDelivery.Status.SENT:
            return ""
        return self.delivery.last_error

    def status_at(self, now) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.is_expired(now):
            return self.Status.EXPIRED
        if self.answered_at is not None:
            return self.Status.ANSWERED
        if self.opened_at is not None:
            return self.Status.OPENED
        if self.sent_at is not None and not self.last_error:
            return self.Status.SENT
        return self.Status.WAITING


class WrittenOpinion(models.Model):
    """The signed written opinion (*văn bản góp ý*) an invited organization uploaded through
    its link: a .pdf or .docx checked as versions are. An organization may send more than
    one (a corrected letter); each is kept."""

    class FileType(models.TextChoices):
        DOCX = "docx", _("Word (.docx)")
        PDF = "pdf", _("PDF (.pdf)")

    invitation = models.ForeignKey(
        ConsultationInvitation,
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="opinions",
    )
    file = models.FileField(_("file"), upload_to="opinions/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=8, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("written opinion")
        verbose_name_plural = _("written opinions")
        ordering = ["invitation_id", "id"]

    def __str__(self):
        return f"{self.invitation.name} · {self.original_name}"


class OutsideBody(models.Model):
    """An organization outside the party's tree that a congress consults (the Fatherland
    Front, veterans' association, a business...): chosen from when inviting."""

    congress = models.ForeignKey(
        "congress.Congress",
        verbose_name=_("congress"),
        on_delete=models.CASCADE,
        related_name="outside_bodies",
    )
    name = models.CharField(_("name"), max_length=255)
    email = models.EmailField(_("email"), max_length=254)
    contact = models.CharField(_("contact person"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outside body")
        verbose_name_plural = _("outside bodies")
        ordering = ["congress_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "email"], name="outside_body_unique_email")
        ]

    def __str__(self):
        return self.name

"""Rights proposals: a change of who sees confidential work or leads the congress, entered by
someone who may set the congress up but not decide it (the office, as a rule). It takes
effect when the standing committee's head or deputy confirms it (workflows.rules,
may_decide_proposal)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from congress.models import Body, Congress, Membership
from workflows import rules


class RightsProposal(FSMModelMixin, models.Model):
    class Action(models.TextChoices):
        MEMBERSHIP_SET = "membership_set", _("Add a member or change a role")
        MEMBERSHIP_REMOVE = "membership_remove", _("Remove a member")
        BODY_CREATE = "body_create", _("Create a body")
        BODY_UPDATE = "body_update", _("Change a body")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the standing committee")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="proposals"
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    # The body changed, or the one created once the proposal is confirmed.
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rights_proposals",
    )
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices, blank=True)
    # body_create: kind, name, parent, confidential; body_update: the fields and their new values.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    status = FSMField(_("status"), default=Status.PENDING, choices=Status.choices, protected=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("rights proposal")
        verbose_name_plural = _("rights proposals")
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["congress", "status"])]

    def __str__(self):
        return self.summary

    @property
    def title(self) -> str:
        """What the transition pages and messages call it."""
        return self.summary

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.CONFIRMED,
        permission=rules.may_decide_proposal,
    )
    def confirm(self):
        pass

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.REJECTED,
        permission=rules.may_decide_proposal,
        custom={"requires": "reason"},
    )
    def reject(self, reason=""):
        self.reason = reason

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.WITHDRAWN,
        permission=rules.made_proposal,
    )
    def withdraw(self, note=""):
        pass

"""The consultation part of the one reminder sweep (workflows.reminders): the invitations
waiting for their consultation to open go out, and the organizations that have not answered are
reminded 3 and 1 working days before the closing date. The invited organizations have no
account, so their reminders are emails of their own; each is recorded, exactly once, in the
same `notifications.Reminder` table as every other reminder (object "invitation", the kind, the
closing date as its deadline: a moved closing date reminds again)."""

import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from congress.workdays import WorkingCalendar
from notifications.models import Reminder
from workflows.models import ConsultationInvitation, Document
from workflows.models.consultations import token_hash
from workflows.services.consultation_emails import invitation_email, reminder_email

# Reminders to organizations that have not answered: working days before the closing date.
REMINDER_WORKING_DAYS = (3, 1)


def _open_invitations(now: datetime):
    return ConsultationInvitation.objects.filter(
        revoked_at=None,
        document__status=Document.Status.CONSULTATION,
        document__consultation_closes_at__gt=now,
        document__body__confidential=False,
        round=F("document__round"),
    ).select_related("document__congress__organization", "document__body", "created_by", "delivery")


@transaction.atomic
def _send_waiting(invitation: ConsultationInvitation) -> bool:
    """Send an invitation made before the consultation opened, with a new link. Of two
    sweeps at once one sends it: the new token replaces the old one only where the old one
    is still there."""
    token = secrets.token_urlsafe(32)
    claimed = ConsultationInvitation.objects.filter(
        pk=invitation.pk, sent_at=None, token_hash=invitation.token_hash
    ).update(token_hash=token_hash(token), sent_at=timezone.now())
    if claimed:
        invitation_email(invitation, token)
    return bool(claimed)


def reminder_due(closes_at: datetime, now: datetime, calendar: WorkingCalendar) -> str | None:
    """The reminder due now before this closing date: the tightest of 3 and 1 working days
    the day is in ("consult_1wd"), or None. An invitation first reminded 1 working day
    before gets only that one."""
    if closes_at <= now:
        return None
    closing_day = timezone.localtime(closes_at).date()
    today = timezone.localtime(now).date()
    for days in sorted(REMINDER_WORKING_DAYS):
        if today >= calendar.shift(closing_day, -days):
            return f"consult_{days}wd"
    return None


INVITATION = "invitation"  # the Reminder rows' object kind


def _remind(invitation: ConsultationInvitation, kind: str) -> bool:
    """Exactly once per invitation, kind and closing date, whatever the retries: the unique
    row, inserted with the email's delivery in one transaction."""
    document = invitation.document
    assert document.consultation_closes_at is not None  # an open consultation has one
    try:
        with transaction.atomic():
            Reminder.objects.create(
                object_kind=INVITATION,
                object_id=invitation.pk,
                kind=kind,
                deadline=document.consultation_closes_at,
                congress_id=document.congress_id,
            )
            reminder_email(invitation)
    except IntegrityError:
        return False
    return True


def consultation_sweep(now: datetime | None = None) -> dict[str, int]:
    """What the reminder sweep does for consultations, in one query when there is nothing to
    do: send the invitations waiting for their consultation to open, and remind the invited
    organizations that have not answered, 3 and 1 working days before the closing date.
    A reminder carries no link (only its hash is kept): it points to the invitation email,
    and replies go to the drafter who sent it."""
    now = now or timezone.now()
    reminded = {
        f"reminded_{days}": Exists(
            Reminder.objects.filter(
                object_kind=INVITATION,
                object_id=OuterRef("pk"),
                kind=f"consult_{days}wd",
                deadline=OuterRef("document__consultation_closes_at"),
            )
        )
        for days in REMINDER_WORKING_DAYS
    }
    candidates = (
        _open_invitations(now)
        .filter(Q(sent_at=None) | Q(answered_at=None))
        .annotate(**reminded)
        .order_by("id")
    )
    counts = {"invitations_sent": 0, "consultation_reminders": 0}
    calendar = None
    for invitation in candidates[:5000]:
        if invitation.sent_at is None:
            counts["invitations_sent"] += _send_waiting(invitation)
            continue
        if invitation.last_error:
            continue  # its invitation has not gone out yet: nothing to remind of
        calendar = calendar or WorkingCalendar()
        kind = reminder_due(invitation.document.consultation_closes_at, now, calendar)
        if kind and not getattr(invitation, f"reminded_{kind[8:-2]}"):
            counts["consultation_reminders"] += _remind(invitation, kind)
    return counts

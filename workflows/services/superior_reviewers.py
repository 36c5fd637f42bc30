"""Naming who reviews a subordinate congress's documents for the superior organization
(congress.models.SuperiorReviewer): the superior's office names them, by the account's
username or email, for every kind but the personnel plan or for one kind; each naming and
removal is audited on the congress and drops the person's cached roles at once (through the
auth cache's signals: the row is one their roles are built from)."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from congress.errors import Conflict, Forbidden, Invalid, NotFound
from congress.models import Congress, SuperiorReviewer, User
from congress.roles import ALL_KINDS
from congress.selectors import congresses_visible_to
from workflows import rules
from workflows.models import Document
from workflows.services.transitions import audit_record

KINDS = (ALL_KINDS, *Document.Kind.values)


def reviewers_of(congress: Congress) -> QuerySet[SuperiorReviewer]:
    return congress.superior_reviewers.select_related("user", "named_by").order_by("id")


def congress_for_naming(actor: User, congress_id: int) -> Congress:
    """The congress, if the actor may name its superior reviewers (404 / 403 otherwise)."""
    congress = (
        congresses_visible_to(actor)
        .select_related("organization__parent")
        .filter(pk=congress_id)
        .first()
    )
    if congress is None:
        raise NotFound(_("Not found."))
    if not rules.runs_superior_office(congress, actor):
        raise Forbidden(
            str(rules.runs_superior_office.description),
            code="superior_reviewers_forbidden",
        )
    return congress


def _account(who: str) -> User:
    who = (who or "").strip()
    found = (
        get_user_model()
        .objects.filter(Q(username__iexact=who) | Q(email__iexact=who), is_active=True)
        .first()
        if who
        else None
    )
    if found is None:
        raise Invalid({"user": [_("No active account has this username or email.")]})
    return found


@transaction.atomic
def superior_reviewer_name(
    *, actor: User, congress_id: int, user: str, document_kind: str = ALL_KINDS
) -> SuperiorReviewer:
    congress = congress_for_naming(actor, congress_id)
    if document_kind not in KINDS:
        raise Invalid({"document_kind": [_("Choose a kind of document, or every kind.")]})
    account = _account(user)
    try:
        with transaction.atomic():
            reviewer = SuperiorReviewer.objects.create(
                congress=congress, user=account, document_kind=document_kind, named_by=actor
            )
    except IntegrityError as error:
        raise Conflict(
            _("%(name)s already reviews these documents.") % {"name": account.get_full_name()},
            code="superior_reviewer_exists",
        ) from error
    audit_record(
        congress,
        transition="superior_reviewer_name",
        actor=actor,
        note=f"{account.username} {document_kind or '*'}",
    )
    return reviewer


@transaction.atomic
def superior_reviewer_remove(*, actor: User, congress_id: int, reviewer_id: int) -> None:
    congress = congress_for_naming(actor, congress_id)
    reviewer = congress.superior_reviewers.select_related("user").filter(pk=reviewer_id).first()
    if reviewer is None:
        raise NotFound(_("Not found."))
    audit_record(
        congress,
        transition="superior_reviewer_remove",
        actor=actor,
        note=f"{reviewer.user.username} {reviewer.document_kind or '*'}",
    )
    reviewer.delete()

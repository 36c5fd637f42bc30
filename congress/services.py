"""Writes on the core domain: users, organizations, congresses, bodies and memberships."""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from congress import events, offices, roles, usernames
from congress.errors import Conflict, Forbidden, Invalid, NotFound
from congress.models import Body, Congress, Membership, Organization
from congress.signals import rights_changed
from congress.validation import validate_date
from notifications.services import event_record

CONGRESS_EDITABLE = (
    "opens_on",
    "closes_on",
    "venue",
    "superior_review_working_days",
    "term_start",
    "term_end",
    "number",
)
BODY_EDITABLE = ("name", "kind", "parent", "confidential")


def _require_staff(actor, message) -> None:
    if not actor.is_staff:
        raise Forbidden(message, code="staff_only")


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str | None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "vi",
    phone: str = "",
):
    """Create an account. Without a password (None) it gets an unusable one: its owner sets
    one from the link of congress.accounts.password_set_url (the member import emails it)."""
    if not roles.may_create_accounts(actor):
        # The code stays "staff_only" for the clients that read it.
        raise Forbidden(roles.may_create_accounts.description, code="staff_only")
    User = get_user_model()
    username = User.normalize_username(username)
    try:
        usernames.validate_single_script(username)
    except ValidationError as error:
        raise Invalid({"username": list(error.messages)}) from error
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid({"username": [_("A user with that username already exists.")]})
    if email and User.objects.filter(email__iexact=email.strip()).exists():
        # One email is one person: the member import matches accounts by it.
        raise Invalid(
            {"email": [_("Another account already uses this email.")]}, code="email_taken"
        )
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
        phone=phone,
    )
    if password is None:
        user.set_unusable_password()
        user.save()
        return user
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise Invalid({"password": list(error.messages)}) from error
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def organization_create(*, actor, name: str, level: str, parent=None, successor=None):
    _require_staff(actor, _("Only staff may create organizations."))
    return Organization.objects.create(name=name, level=level, parent=parent, successor=successor)


def _check_dates(opens_on, closes_on) -> None:
    for name, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        try:
            validate_date(day)  # the working-day arithmetic walks from these dates
        except ValidationError as error:
            raise Invalid({name: list(error.messages)}) from error
    if closes_on is not None and opens_on is not None and closes_on < opens_on:
        raise Invalid({"closes_on": [_("The congress cannot close before it opens.")]})


def _check_term(term_start, term_end) -> None:
    if term_end <= term_start:
        raise Invalid({"term_end": [_("The term must end after it starts.")]})


@transaction.atomic
def congress_create(
    *,
    actor,
    organization: Organization,
    number: int,
    term_start: int,
    term_end: int,
    opens_on,
    closes_on=None,
    venue: str = "",
    superior_review_working_days: int = 45,
) -> Congress:
    if not roles.may_create_congress(actor, organization):
        raise Forbidden(roles.may_create_congress.description, code="staff_only")
    _check_term(term_start, term_end)
    _check_dates(opens_on, closes_on)
    if Congress.objects.filter(organization=organization, number=number).exists():
        raise Invalid({"number": [_("This organization already has a congress with that number.")]})
    congress = Congress.objects.create(
        organization=organization,
        number=number,
        term_start=term_start,
        term_end=term_end,
        opens_on=opens_on,
        closes_on=closes_on,
        venue=venue,
        superior_review_working_days=superior_review_working_days,
    )
    roles.forget(actor)  # the office sees the new congress from now on
    _rights_changed(offices.office_user_ids_for(organization), "congress_created")
    return congress


@transaction.atomic
def congress_update(*, actor, congress_id: int, **changes) -> Congress:
    congress = Congress.objects.select_for_update().filter(pk=congress_id).first()
    if congress is None or not (actor.is_staff or roles.roles_of(actor).in_congress(congress_id)):
        raise NotFound(_("Not found."))
    if not roles.sets_up_congress(actor, congress.pk):
        raise Forbidden(roles.sets_up_congress.description, code="congress_edit_forbidden")
    changed = [f for f in CONGRESS_EDITABLE if f in changes and changes[f] != getattr(congress, f)]
    for name in changed:
        setattr(congress, name, changes[name])
    _check_term(congress.term_start, congress.term_end)
    _check_dates(congress.opens_on, congress.closes_on)
    if not changed:
        return congress
    congress.version += 1
    try:
        with transaction.atomic():
            congress.save()
    except IntegrityError as error:
        raise Invalid(
            {"number": [_("This organization already has a congress with that number.")]}
        ) from error
    event_record(
        congress_id=congress.pk,
        type=events.CONGRESS_UPDATED,
        object_kind="congress",
        object_id=congress.pk,
        actor=actor,
        data={"status": congress.status, "version": congress.version, "changed": changed},
    )
    return congress


@transaction.atomic
def body_insert(
    *,
    actor,
    congress: Congress,
    kind: str,
    name: str,
    parent: Body | None = None,
    confidential: bool | None = None,
) -> Body:
    """Create a body. Who may, and whether it waits for the standing committee, is decided by
    workflows.services.bodies (workflows.rules): call it through there."""
    body_create_check(congress=congress, kind=kind, parent=parent)
    if confidential is None:
        confidential = kind in Body.CONFIDENTIAL_BY_DEFAULT or bool(parent and parent.confidential)
    body = Body.objects.create(
        congress=congress, kind=kind, name=name, parent=parent, confidential=confidential
    )
    if kind == Body.Kind.STEERING_BOARD:  # the office is a secretary of every steering board
        roles.forget(actor)
        _rights_changed(offices.office_user_ids_for(congress.organization), "body_created")
    return body


def body_create_check(
    *, congress: Congress, kind: str, parent: Body | None = None, other_than: int | None = None
) -> None:
    """Whether a body of this kind may be placed there: under a body of the same congress,
    and one standing committee, steering board and personnel subcommittee per congress (the
    database says so too: body_unique_rights_kind)."""
    if parent is not None and parent.congress_id != congress.pk:
        raise Invalid({"parent": [_("The parent body must belong to the same congress.")]})
    if kind not in Body.UNIQUE_KINDS:
        return
    same = Body.objects.filter(congress_id=congress.pk, kind=kind).exclude(pk=other_than)
    if same.exists():
        raise Invalid(
            {"kind": [_("This congress already has a body of this kind.")]},
            code="body_kind_taken",
        )


def _ancestor_ids(body: Body) -> set[int]:
    """The body and every body above it (bodies of one congress are few: one query)."""
    parents = dict(Body.objects.filter(congress_id=body.congress_id).values_list("pk", "parent_id"))
    seen, current = set(), body.pk
    while current is not None and current not in seen:
        seen.add(current)
        current = parents.get(current)
    return seen


@transaction.atomic
def body_apply(*, actor, body: Body, **changes) -> Body:
    """Change a body's name, kind, parent or confidentiality and record the `body.updated`
    event. workflows.services.bodies.body_update is the entry point: it decides who may (and
    what waits for the standing committee) and writes the audit entry."""
    changed = [n for n in BODY_EDITABLE if n in changes and changes[n] != getattr(body, n)]
    if "kind" in changed:
        body_create_check(congress=body.congress, kind=changes["kind"], other_than=body.pk)
    parent = changes.get("parent", body.parent)
    if parent is not None and (parent.congress_id != body.congress_id or parent.pk == body.pk):
        raise Invalid({"parent": [_("The parent body must be another body of the same congress.")]})
    if parent is not None and body.pk in _ancestor_ids(parent):
        raise Invalid({"parent": [_("A body cannot be placed under one of its own sub-bodies.")]})
    if not changed:
        return body
    for name in changed:
        setattr(body, name, changes[name])
    body.save()
    # Bodies are not secret: the event goes to the whole congress (no body of its own).
    event_record(
        congress_id=body.congress_id,
        type=events.BODY_UPDATED,
        object_kind="body",
        object_id=body.pk,
        actor=actor,
        data={
            "status": "active",
            "version": 1,
            "name": body.name,
            "body_kind": body.kind,
            "parent": body.parent_id,
            "confidential": body.confidential,
            "changed": changed,
        },
    )
    # Who sees the work of the congress's bodies depends on their kind and confidentiality.
    if {"kind", "confidential"} & set(changed):
        _rights_changed(_congress_member_ids(body.congress_id), "body_changed")
    return body


@transaction.atomic
def membership_put(*, actor, body: Body, user, role: str) -> Membership:
    """Add a member, or change the role of one already in the body. Who may (and what waits
    for the standing committee) is decided by workflows.services.memberships: call it
    through there."""
    membership, created = Membership.objects.update_or_create(
        body=body, user=user, defaults={"role": role}
    )
    roles.forget(user)
    _rights_changed([user.pk], "membership_changed")
    event_record(
        congress_id=body.congress_id,
        type=events.BODY_MEMBER_ADDED if created else events.BODY_MEMBER_UPDATED,
        object_kind="body",
        object_id=body.pk,
        actor=actor,
        audience=[user.pk],
        data={"status": "active", "version": 1, "user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def membership_delete(*, actor, body: Body, user_id: int) -> None:
    """Remove a member (workflows.services.memberships decides who may)."""
    membership = (
        Membership.objects.filter(body=body, user_id=user_id).select_related("user").first()
    )
    if membership is None:
        raise NotFound(_("This user is not a member of this body."))
    membership_remove_check(body=body, user_id=user_id)
    membership.delete()
    roles.forget(membership.user)
    _rights_changed([user_id], "membership_changed")
    event_record(
        congress_id=body.congress_id,
        type=events.BODY_MEMBER_REMOVED,
        object_kind="body",
        object_id=body.pk,
        actor=actor,
        audience=[user_id],
        data={"status": "removed", "version": 1, "user": user_id},
    )


def membership_remove_check(*, body: Body, user_id: int) -> None:
    """A member with open tasks in the body stays until they are handed to someone else."""
    if body.tasks.filter(assignee_id=user_id).exclude(status__in=("done", "cancelled")).exists():
        raise Conflict(
            _("This member still has open tasks in this body; reassign them first."),
            code="member_has_open_tasks",
        )


def _congress_member_ids(congress_id: int) -> list[int]:
    return list(
        Membership.objects.filter(body__congress_id=congress_id)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _rights_changed(user_ids, reason: str) -> None:
    """Tell the layers above, once the change is committed, whose rights changed (open
    websockets re-read them at once)."""
    user_ids = sorted(set(user_ids))
    transaction.on_commit(
        lambda: rights_changed.send(sender=Body, user_ids=user_ids, reason=reason)
    )

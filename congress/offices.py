"""Naming the office of an organization (*Văn phòng cấp ủy*): the users who set up its
congresses and those of the organizations under it (congress.roles, OFFICE)."""

from django.db import transaction

from congress import roles
from congress.models import OrganizationOffice
from congress.signals import rights_changed


@transaction.atomic
def office_grant(*, user, organization, granted_by=None) -> tuple[OrganizationOffice, bool]:
    """Name the user as the organization's office; naming them again changes nothing.
    Returns the office and whether it is new. Staff decide it (the admin, `manage.py
    grant_office`): the caller checks who asks."""
    office, created = OrganizationOffice.objects.get_or_create(
        user=user, organization=organization, defaults={"granted_by": granted_by}
    )
    if created:
        _rights_changed(user)
    return office, created


@transaction.atomic
def office_revoke(*, user, organization) -> bool:
    deleted, _kinds = OrganizationOffice.objects.filter(
        user=user, organization=organization
    ).delete()
    if deleted:
        _rights_changed(user)
    return bool(deleted)


def office_user_ids_for(organization) -> set[int]:
    """The users who are the office of the organization or of one above it (within
    roles.OFFICE_REACH): whose rights a new congress of it changes."""
    chain, current = [], organization
    for _level in range(roles.OFFICE_REACH + 1):
        if current is None:
            break
        chain.append(current.pk)
        current = current.parent
    rows = OrganizationOffice.objects.filter(organization_id__in=chain)
    return set(rows.values_list("user_id", flat=True))


def _rights_changed(user) -> None:
    roles.forget(user)
    user_ids = [user.pk]
    transaction.on_commit(
        lambda: rights_changed.send(sender=OrganizationOffice, user_ids=user_ids, reason="office")
    )

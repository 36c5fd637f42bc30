"""Members from a spreadsheet (congress.member_import reads and plans the rows): each row is
judged by the same rules as a change on the bodies page (workflows.services.memberships):
nobody's own row changes their membership (an error), and a row that grants rights waits for
the standing committee ("cần Thường trực xác nhận" on the dry run, a proposal when imported).
The real run does every row in one transaction, or nothing while a row is in error. New
accounts get no password: an email queued with them, sent after the commit, carries a link to
set one."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from congress.accounts import password_set_url
from congress.errors import Forbidden, NotFound
from congress.member_import import (
    ADD,
    CHANGE_ROLE,
    COLUMNS,
    MAX_ROWS,
    NEW,
    ImportPlan,
    RowsInvalid,
    account_create,
    may_import,
    members_plan,
    usernames_for,
)
from congress.models import Congress
from congress.roles import roles_of
from congress.spreadsheets import Row, read_rows
from notifications.email import Outgoing, send_templated
from workflows import rules
from workflows.models import RightsProposal
from workflows.services.memberships import membership_set, membership_waits


def members_import(*, actor, congress: Congress, uploaded, dry_run: bool) -> ImportPlan:
    """Read the file and answer each row with what it will do; unless `dry_run`, do it, in
    one transaction, or refuse the whole file (RowsInvalid) while a row is in error."""
    if not (actor.is_staff or roles_of(actor).in_congress(congress.pk)):
        raise NotFound(_("Not found."))
    if not may_import(actor, congress):
        raise Forbidden(may_import.description, code="import_forbidden")
    sheet = read_rows(uploaded, columns=COLUMNS, max_rows=MAX_ROWS)
    if dry_run:
        return _judged(actor, members_plan(actor, congress, sheet.rows))
    return _apply(actor, congress, sheet.rows)


def _judged(actor, plan: ImportPlan) -> ImportPlan:
    for row in plan.rows:
        if row.errors or row.membership not in (ADD, CHANGE_ROLE):
            continue
        if row.user is not None and rules.changes_own_membership(actor, row.user.pk):
            row.errors.append(str(rules.changes_own_membership.description))
        else:
            assert row.body is not None  # a row to add or change has its body
            row.waits = membership_waits(
                actor=actor, body=row.body, old_role=row.old_role, new_role=row.role
            )
    return plan


@transaction.atomic
def _apply(actor, congress: Congress, rows: list[Row]) -> ImportPlan:
    plan = _judged(actor, members_plan(actor, congress, rows, lock=True))
    if plan.error_rows:
        raise RowsInvalid(plan)
    created = {}
    usernames = usernames_for(sorted({r.email.lower() for r in plan.rows if r.account == NEW}))
    for row in plan.rows:
        email = row.email.lower()
        if row.account == NEW and email not in created:
            created[email] = account_create(actor, row, usernames[email])
        if row.account == NEW:
            row.user = created[email]
        if row.membership in (ADD, CHANGE_ROLE):
            assert row.body is not None and row.role is not None
            made = membership_set(actor=actor, body=row.body, user=row.user, role=row.role)
            row.waits = isinstance(made, RightsProposal)
    if created:
        account_invitations_send(
            users=list(created.values()), sender=actor, congress_title=congress.title
        )
    plan.applied = True
    return plan


def account_invitations_send(*, users, sender, congress_title: str) -> int:
    """Email each new account the link to set its password, in the account's language, sent
    just after the commit that creates the accounts (a failed email is recorded and tried
    again; it never undoes them). Quiet hours do not hold it: its reader waits for it.
    Returns how many were queued."""
    days = max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1)
    emails = [
        Outgoing(
            to=user.email,
            language=user.language or settings.LANGUAGE_CODE,
            context={
                "name": user.get_full_name() or user.username,
                "sender": sender.get_full_name() or sender.username,
                "congress": congress_title,
                "username": user.username,
                "link": password_set_url(user),
                "days": days,
            },
        )
        for user in users
        if user.is_active and user.email
    ]
    return len(send_templated("account_invitation", emails))

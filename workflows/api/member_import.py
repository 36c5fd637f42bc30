"""POST /api/v1/congresses/{id}/members/import/: members from an .xlsx or .csv (multipart
`file`, `dry_run=true|false`), answered row by row (workflows.services.member_import)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.errors import NotFound
from congress.member_import import (
    ADD,
    CHANGE_ROLE,
    EXISTING,
    NEW,
    REPEATED,
    UNCHANGED,
    RowsInvalid,
)
from congress.models import Membership
from congress.selectors import congresses_visible_to
from workflows.services.member_import import members_import


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    dry_run = serializers.BooleanField(default=True)


def row_action(row) -> str:
    """What the row will do (or did), in words."""
    if row.errors:
        return _("Error")
    account = {
        NEW: _("New account (a link to set the password is emailed)"),
        EXISTING: _("Existing account %(username)s")
        % {"username": getattr(row.user, "username", "")},
    }.get(row.account, "")
    membership = {
        ADD: _("membership added"),
        CHANGE_ROLE: _("role changed from %(old)s")
        % {"old": Membership.Role(row.old_role).label if row.old_role else ""},
        UNCHANGED: _("already a member: nothing to do"),
        REPEATED: _("repeats an earlier row: nothing to do"),
    }.get(row.membership, "")
    waits = _("needs the standing committee's confirmation") if row.waits else ""
    return " · ".join(part for part in (account, membership, waits) if part)


def row_data(row) -> dict:
    return {
        "row": row.number,
        "full_name": row.full_name,
        "email": row.email,
        "phone": row.phone,
        "body": row.body.pk if row.body else None,
        "body_name": row.body.name if row.body else row.body_name,
        "role": row.role,
        "account": row.account,
        "user": getattr(row.user, "pk", None),
        "membership": row.membership,
        "old_role": row.old_role,
        "needs_confirmation": row.waits,
        "action": row_action(row),
        "errors": row.errors,
    }


def plan_data(plan, *, dry_run: bool) -> dict:
    return {
        "congress": plan.congress.pk,
        "dry_run": dry_run,
        "applied": plan.applied,
        "summary": plan.summary(),
        "rows": [row_data(r) for r in plan.rows],
    }


class MembersImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ImportInputSerializer},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        description="An .xlsx or .csv with the columns full name, email, phone (optional), "
        "body (by name) and role (Vietnamese or the role code). The dry run (default) "
        "answers each row with what will happen; the real run does it in one transaction "
        "and refuses the whole file while any row is in error (400 `rows_invalid`).",
    )
    def post(self, request, pk):
        congress = congresses_visible_to(request.user).filter(pk=pk).first()
        if congress is None:
            raise NotFound(_("Not found."))
        serializer = ImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dry_run = serializer.validated_data["dry_run"]
        try:
            plan = members_import(
                actor=request.user,
                congress=congress,
                uploaded=serializer.validated_data["file"],
                dry_run=dry_run,
            )
        except RowsInvalid as refused:
            body = {**refused.as_dict(), **plan_data(refused.plan, dry_run=False)}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(plan_data(plan, dry_run=dry_run))

"""The outside bodies a congress consults (*cơ quan, tổ chức bên ngoài*: the Fatherland Front,
the veterans' association, a business...): a per-congress list of name, email and contact
person that the drafters choose from when they invite organizations to comment on a draft.
Each change is audited on the congress; the list can be imported from an .xlsx or .csv."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from congress.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from congress.models import Congress
from congress.selectors import congresses_visible_to
from congress.spreadsheets import Column, read_rows
from workflows import rules
from workflows.models import OutsideBody
from workflows.services.transitions import audit_record

MAX_OUTSIDE_BODIES = 2000


def outside_bodies_of(user, congress_id: int):
    """The list, for anyone who sees the congress; 404 otherwise."""
    congress = _congress(user, congress_id)
    return congress, OutsideBody.objects.filter(congress=congress).order_by("name", "id")


def _congress(user, congress_id: int) -> Congress:
    congress = congresses_visible_to(user).filter(pk=congress_id).first()
    if congress is None:
        raise NotFound(_("Not found."))
    return congress


def _check_may_keep(user, congress: Congress) -> None:
    if not rules.may_keep_outside_bodies(congress.pk, user):
        raise Forbidden(
            _(
                "Only those who set up the congress, the documents subcommittee and the "
                "steering board's secretaries keep the list of outside bodies."
            ),
            code="outside_bodies_forbidden",
        )


def organization_contact(name: str, email: str) -> tuple[str, str, dict[str, list]]:
    """An outside organization's name and email as typed (stripped, the email lowercased),
    and what is wrong with them: the one check of an outside body and of an invitation."""
    name, email = (name or "").strip(), (email or "").strip().lower()
    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [_("Give the name of the organization to invite.")]
    elif len(name) > 255:
        errors["name"] = [_("At most 255 characters.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Give a valid email address.")]
    return name, email, errors


def _clean(name: str, email: str, contact: str) -> tuple[str, str, str]:
    name, email, errors = organization_contact(name, email)
    contact = contact or ""
    if len(contact.strip()) > 255:
        errors["contact"] = [_("At most 255 characters.")]
    if errors:
        raise Invalid(errors)
    return name, email, contact.strip()


@transaction.atomic
def outside_body_create(
    *, actor, congress_id: int, name: str, email: str, contact: str = ""
) -> OutsideBody:
    congress = _congress(actor, congress_id)
    _check_may_keep(actor, congress)
    name, email, contact = _clean(name, email, contact)
    if OutsideBody.objects.filter(congress=congress).count() >= MAX_OUTSIDE_BODIES:
        raise Conflict(
            _("This congress already has %(count)s outside bodies.")
            % {"count": MAX_OUTSIDE_BODIES},
            code="too_many_outside_bodies",
        )
    try:
        with transaction.atomic():
            body = OutsideBody.objects.create(
                congress=congress, name=name, email=email, contact=contact
            )
    except IntegrityError as error:
        raise Conflict(
            _("%(email)s is already on the list.") % {"email": email},
            code="outside_body_exists",
        ) from error
    audit_record(congress, transition="outside_body_add", actor=actor, note=f"{name} <{email}>")
    return body


@transaction.atomic
def outside_body_delete(*, actor, congress_id: int, outside_body_id: int) -> None:
    """Off the list; the invitations already made with it stay."""
    congress = _congress(actor, congress_id)
    _check_may_keep(actor, congress)
    body = OutsideBody.objects.filter(congress=congress, pk=outside_body_id).first()
    if body is None:
        raise NotFound(_("Not found."))
    body.delete()
    audit_record(
        congress, transition="outside_body_remove", actor=actor, note=f"{body.name} <{body.email}>"
    )


# --- import from a spreadsheet ---------------------------------------------------------------

COLUMNS = (
    Column(
        "name",
        (
            "Tên cơ quan, tổ chức",
            "Tên cơ quan",
            "Tên tổ chức",
            "Tên đơn vị",
            "Cơ quan, tổ chức",
            "Cơ quan",
            "Tổ chức",
            "Đơn vị",
            "Name",
            "Organization",
        ),
        label="Tên cơ quan, tổ chức",
    ),
    Column("email", ("Email", "E-mail", "Thư điện tử", "Địa chỉ email"), label="Email"),
    Column(
        "contact",
        ("Người liên hệ", "Đầu mối liên hệ", "Đầu mối", "Contact person", "Contact"),
        required=False,
        label="Người liên hệ",
    ),
)
MAX_IMPORT_ROWS = 500


@dataclass
class ImportRow:
    number: int
    name: str
    email: str
    outcome: str  # "added", "already", "refused"
    message: str = ""


def outside_bodies_import(*, actor, congress_id: int, file) -> list[ImportRow]:
    """Add the outside bodies of an .xlsx or .csv (name, email, contact person; headers in
    Vietnamese or English, congress.spreadsheets), each row on its own: a row already on the
    list (by email) is left as it is, a wrong one is refused with its reason, the others
    added. The file is read before the transaction."""
    congress = _congress(actor, congress_id)
    _check_may_keep(actor, congress)
    sheet = read_rows(file, columns=COLUMNS, max_rows=MAX_IMPORT_ROWS)
    return _import_rows(actor, congress, sheet.rows)


@transaction.atomic
def _import_rows(actor, congress: Congress, rows) -> list[ImportRow]:
    known = set(OutsideBody.objects.filter(congress=congress).values_list("email", flat=True))
    results = []
    for row in rows:
        email = row["email"].strip().lower()
        result = ImportRow(row.number, row["name"], email, "added")
        if email in known:
            result.outcome = "already"
        else:
            try:
                outside_body_create(
                    actor=actor,
                    congress_id=congress.pk,
                    name=row["name"],
                    email=email,
                    contact=row["contact"],
                )
            except DomainError as error:
                result.outcome, result.message = "refused", _message(error)
            else:
                known.add(email)
        results.append(result)
    return results


def _message(error: DomainError) -> str:
    if isinstance(error, Invalid):
        return " ".join(str(m) for msgs in error.details["fields"].values() for m in msgs)
    return str(error.message)

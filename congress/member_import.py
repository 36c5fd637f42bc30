"""Members from a spreadsheet: full name, email, phone, body and role per row.

`members_plan` works out what each row of a file read by congress.spreadsheets will do (a
new account or an existing one matched by email; the membership added, its role changed, or
nothing to do). workflows.services.member_import judges each row by the rights rules (a row
that grants rights waits for the standing committee) and, unless it is a dry run, does
exactly that in one transaction, refusing the whole file while any row is in error.
Importing the same file twice changes nothing the second time.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import exports, roles
from congress.collation import sort_key
from congress.errors import DomainError
from congress.models import Body, Congress, Membership, User
from congress.services import user_create
from congress.spreadsheets import Column, Row, fold
from congress.validation import CONTROL_CHARACTERS

MAX_ROWS = 2000
NAME_MAX = 150
EMAIL_MAX = 254  # User.email
COLUMNS = (
    Column("full_name", ("Họ và tên", "Họ tên", "Full name", "Name"), label="Họ và tên"),
    Column("email", ("Email", "E-mail", "Thư điện tử", "Địa chỉ email"), label="Email"),
    Column(
        "phone",
        ("Số điện thoại", "Điện thoại", "SĐT", "Phone", "Phone number"),
        required=False,
        label="Số điện thoại",
    ),
    Column("body", ("Tiểu ban", "Ban", "Tiểu ban/Ban", "Body"), label="Tiểu ban"),
    Column("role", ("Vai trò", "Chức danh", "Role"), label="Vai trò"),
)
# A role as people write it, by the start of its folded text ("Phó Trưởng tiểu ban" is a
# deputy, "Trưởng Ban Chỉ đạo" a head, "Uỷ viên" and "Ủy viên" a member).
ROLE_PREFIXES = (
    ("pho", Membership.Role.DEPUTY),
    ("truong", Membership.Role.HEAD),
    ("thu ky", Membership.Role.SECRETARY),
    ("thanh vien", Membership.Role.MEMBER),
    ("uy vien", Membership.Role.MEMBER),
)
ROLE_WORDS = {
    "head": Membership.Role.HEAD,
    "deputy": Membership.Role.DEPUTY,
    "member": Membership.Role.MEMBER,
    "secretary": Membership.Role.SECRETARY,
}
PHONE = re.compile(r"^\+?[0-9 .()\-]{8,20}$")

# What a row does, as the API names it.
NEW, EXISTING = "new", "existing"
ADD, CHANGE_ROLE, UNCHANGED, REPEATED = "add", "change_role", "unchanged", "repeated"


@dataclass
class RowPlan:
    number: int
    full_name: str
    email: str
    phone: str
    body_name: str
    role_text: str
    body: Body | None = None
    role: str | None = None
    user: User | None = None  # the existing account, or the new one after the import
    account: str | None = None  # NEW or EXISTING
    membership: str | None = None  # ADD, CHANGE_ROLE, UNCHANGED or REPEATED
    old_role: str | None = None
    email_ok: bool = True
    # The membership grants rights: the import makes it a proposal for the standing committee.
    waits: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return self.account == NEW or self.membership in (ADD, CHANGE_ROLE)


@dataclass
class ImportPlan:
    congress: Congress
    rows: list[RowPlan]
    applied: bool = False

    @property
    def error_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.errors]

    def count(self, **wanted) -> int:
        return sum(all(getattr(r, k) == v for k, v in wanted.items()) for r in self.rows)

    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "errors": len(self.error_rows),
            "new_accounts": self.count(account=NEW, errors=[]),
            "existing_accounts": self.count(account=EXISTING, errors=[]),
            "memberships_added": self.count(membership=ADD, errors=[]),
            "roles_changed": self.count(membership=CHANGE_ROLE, errors=[]),
            "unchanged": self.count(membership=UNCHANGED, errors=[])
            + self.count(membership=REPEATED, errors=[]),
            "waiting_confirmation": self.count(waits=True, errors=[]),
        }


class RowsInvalid(DomainError):
    """The real run refuses a file while any row is in error; `plan` says which and why."""

    status = 400
    code = "rows_invalid"

    def __init__(self, plan: ImportPlan):
        numbers = ", ".join(str(r.number) for r in plan.error_rows[:20])
        super().__init__(
            _("Nothing was imported: fix the rows in error first (rows %(rows)s).")
            % {"rows": numbers}
        )
        self.plan = plan


@roles.described(
    gettext_lazy(
        "Only the congress's leaders, the office of its organization and staff may import members."
    ),
)
def may_import(user, congress) -> bool:
    """Who imports members: who sets the congress up (its leaders, the office, staff)."""
    return roles.sets_up_congress(user, congress.pk)


def account_create(actor, row: RowPlan, username: str):
    family_middle, _space, given = row.full_name.rpartition(" ")
    return user_create(
        actor=actor,
        username=username,
        password=None,
        email=row.email,
        first_name=family_middle,
        last_name=given,
        phone=row.phone,
    )


def _username_base(email: str) -> str:
    local = unicodedata.normalize("NFKC", email.split("@")[0])
    return re.sub(r"[^\w.@+-]", "", local)[:140].lower() or "user"


def usernames_for(emails: list[str]) -> dict[str, str]:
    """A free username per email: its local part ("mai.ht"), with a number after it when
    that is taken or two emails of the file share it. One query, and one more per clash."""
    bases = {email: _username_base(email) for email in emails}
    users = get_user_model().objects.annotate(low=Lower("username"))
    taken = set(users.filter(low__in=set(bases.values())).values_list("low", flat=True))
    chosen: dict[str, str] = {}
    for email, base in bases.items():
        candidate, n = base, 1
        if base in taken:  # the numbered ones too, once per clash
            taken |= set(users.filter(low__startswith=base).values_list("low", flat=True))
        while candidate in taken:
            n += 1
            candidate = f"{base}{n}"
        taken.add(candidate)
        chosen[email] = candidate
    return chosen


# The plan


def members_plan(actor, congress: Congress, rows: list[Row], *, lock: bool = False):
    """What each row will do, in a fixed number of queries whatever the number of rows."""
    bodies = _bodies_by_name(congress, lock=lock)
    plans = [_parse(row, bodies) for row in rows]
    accounts = _accounts_by_email({p.email.lower() for p in plans if p.email and p.email_ok})
    memberships = _memberships(congress, [u.pk for users in accounts.values() for u in users])
    creates = roles.may_create_accounts(actor)
    first_of: dict[str, RowPlan] = {}
    seen: dict[tuple[str, int], RowPlan] = {}
    for plan in plans:
        if plan.email and plan.email_ok:
            _check_repeats(plan, first_of, seen)
            _match_account(plan, accounts.get(plan.email.lower(), []), creates)
        if not plan.errors and plan.membership is None:
            _plan_membership(plan, memberships)
    return ImportPlan(congress=congress, rows=plans)


def _norm(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _bodies_by_name(congress, *, lock: bool) -> dict[str, list[Body]]:
    qs = Body.objects.filter(congress=congress).order_by("id")
    if lock:  # a body renamed while the file is imported waits for the import
        qs = qs.select_for_update()
    bodies: dict[str, list[Body]] = {}
    for body in qs:
        bodies.setdefault(_norm(body.name), []).append(body)
    return bodies


def _accounts_by_email(emails: set[str]) -> dict[str, list]:
    found: dict[str, list] = {}
    if not emails:
        return found
    users = get_user_model().objects.annotate(low=Lower("email")).filter(low__in=emails)
    for user in users.order_by("id"):
        found.setdefault(user.low, []).append(user)
    return found


def _memberships(congress, user_ids) -> dict[tuple[int, int], str]:
    rows = Membership.objects.filter(body__congress=congress, user_id__in=user_ids)
    return {(b, u): role for b, u, role in rows.values_list("body_id", "user_id", "role")}


def _parse(row: Row, bodies: dict[str, list[Body]]) -> RowPlan:
    plan = RowPlan(
        number=row.number,
        full_name=" ".join(row["full_name"].split()),
        email=row["email"].strip(),
        phone=_phone(row["phone"]),
        body_name=row["body"],
        role_text=row["role"],
    )
    _check_name(plan)
    _check_email(plan)
    _check_phone(plan)
    _check_body(plan, bodies)
    _check_role(plan)
    return plan


def _check_name(plan: RowPlan) -> None:
    if not plan.full_name:
        plan.errors.append(_("The full name is empty."))
    elif len(plan.full_name) > NAME_MAX or CONTROL_CHARACTERS.search(plan.full_name):
        plan.errors.append(
            _("The full name must be one line of at most %(max)s characters.") % {"max": NAME_MAX}
        )


def _check_email(plan: RowPlan) -> None:
    if not plan.email:
        plan.errors.append(_("The email is empty."))
        return
    try:
        if len(plan.email) > EMAIL_MAX:
            raise ValidationError("too long")
        validate_email(plan.email)
    except ValidationError:
        plan.errors.append(_("“%(email)s” is not an email address.") % {"email": plan.email})
        plan.email_ok = False


def _phone(text: str) -> str:
    digits = text.strip()
    # A number typed into Excel loses its leading 0: 912345678 is 0912345678.
    if digits.isdecimal() and len(digits) == 9:
        return "0" + digits
    return digits


def _check_phone(plan: RowPlan) -> None:
    if plan.phone and not PHONE.match(plan.phone):
        plan.errors.append(
            _("“%(phone)s” is not a phone number (digits, spaces, + . - only).")
            % {"phone": plan.phone}
        )


def _check_body(plan: RowPlan, bodies: dict[str, list[Body]]) -> None:
    if not plan.body_name:
        plan.errors.append(_("The body is empty."))
        return
    found = bodies.get(_norm(plan.body_name), [])
    if not found:
        names = sorted({b.name for group in bodies.values() for b in group}, key=sort_key)
        plan.errors.append(
            _("No body of this congress is called “%(name)s”. The bodies are: %(names)s.")
            % {"name": plan.body_name, "names": ", ".join(names[:30]) or "—"}
        )
    elif len(found) > 1:
        plan.errors.append(
            _("Several bodies are called “%(name)s”: rename one of them first.")
            % {"name": plan.body_name}
        )
    else:
        plan.body = found[0]


def role_from_text(text: str) -> str | None:
    """The role code from what was typed: the code, the English or Vietnamese name; an empty
    cell is a member."""
    folded = fold(text)
    if not folded:
        return Membership.Role.MEMBER
    if folded in ROLE_WORDS:
        return ROLE_WORDS[folded]
    return next((role for prefix, role in ROLE_PREFIXES if folded.startswith(prefix)), None)


def _check_role(plan: RowPlan) -> None:
    plan.role = role_from_text(plan.role_text)
    if plan.role is None:
        plan.errors.append(
            _("Unknown role “%(role)s”: write Trưởng ban, Phó trưởng ban, Thành viên or Thư ký.")
            % {"role": plan.role_text}
        )


def _check_repeats(plan: RowPlan, first_of: dict, seen: dict) -> None:
    """One email is one person: a second row with another name is an error; the same person
    twice in one body is nothing more to do, or an error if the roles differ."""
    email = plan.email.lower()
    first = first_of.setdefault(email, plan)
    if first is not plan and _norm(first.full_name) != _norm(plan.full_name):
        plan.errors.append(
            _("Row %(row)s has the same email with another name (“%(name)s”).")
            % {"row": first.number, "name": first.full_name}
        )
        return
    if plan.body is None or plan.errors:
        return
    earlier = seen.setdefault((email, plan.body.pk), plan)
    if earlier is plan:
        return
    if earlier.role != plan.role:
        plan.errors.append(
            _("Row %(row)s puts this person in the same body with another role.")
            % {"row": earlier.number}
        )
    else:
        plan.membership = REPEATED


def _match_account(plan: RowPlan, users: list, creates: bool) -> None:
    if len(users) > 1:
        plan.errors.append(
            _("Several accounts have the email %(email)s: add this person on the bodies page.")
            % {"email": plan.email}
        )
    elif users and not users[0].is_active:
        plan.errors.append(
            _("The account %(username)s with this email is deactivated.")
            % {"username": users[0].username}
        )
    elif users:
        plan.account, plan.user = EXISTING, users[0]
    elif creates:
        plan.account = NEW
    else:
        plan.errors.append(
            _(
                "No account has this email, and only the office of the organization or staff may "
                "create accounts."
            )
        )


def _plan_membership(plan: RowPlan, memberships: dict) -> None:
    current = memberships.get((plan.body.pk, plan.user.pk)) if plan.user else None
    if current is None:
        plan.membership = ADD
    elif current == plan.role:
        plan.membership = UNCHANGED
    else:
        plan.membership, plan.old_role = CHANGE_ROLE, current


# The template to fill in


def template_xlsx(congress: Congress) -> bytes:
    """An .xlsx with the Vietnamese header, two example rows naming the congress's own bodies,
    and a second sheet listing its bodies and the roles."""
    from openpyxl import Workbook  # heavy: loaded when a template is asked for
    from openpyxl.styles import Font

    bodies = list(
        Body.objects.filter(congress=congress).order_by("id").values_list("name", flat=True)
    )
    first = bodies[0] if bodies else "Tiểu ban Văn kiện"
    second = bodies[1] if len(bodies) > 1 else first
    book = Workbook()
    sheet = book.active
    sheet.title = "Thành viên"
    sheet.append([c.heading() for c in COLUMNS])
    sheet.append(["Nguyễn Văn An", "an.nv@example.vn", "0912 345 678", first, "Thành viên"])
    sheet.append(["Trần Thị Bình", "binh.tt@example.vn", "", second, "Phó trưởng ban"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (28, 30, 16, 34, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet["C2"].number_format = "@"  # a phone number stays text, its leading 0 kept
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Tiểu ban (viết đúng tên)", "Vai trò"])
    roles_text = ["Trưởng ban", "Phó trưởng ban", "Thành viên", "Thư ký"]
    for index in range(max(len(bodies), len(roles_text))):
        guide.append(
            [
                bodies[index] if index < len(bodies) else "",
                roles_text[index] if index < len(roles_text) else "",
            ]
        )
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["B"].width = 20
    return exports.xlsx_bytes(book)

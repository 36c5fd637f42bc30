"""`manage.py load_demo [--if-empty]`: the Lê Chân XXV demo congress and its logins.

The table is Vietnamese, like the demo data it describes.
"""

import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils.formats import date_format

from congress.models import Body, Congress, Membership, OrganizationOffice
from workflows.demo.congress import ADMIN_USERNAME, DEMO_PASSWORD, DemoDataExists, load_demo
from workflows.demo.superior import logins as superior_logins

BOARD_ROLE_TITLES = {"head": "Trưởng ban", "deputy": "Phó Trưởng ban"}
ROLE_TITLES = {
    Body.Kind.STANDING_COMMITTEE: {"head": "Bí thư", "deputy": "Phó Bí thư", "member": "Ủy viên"},
    Body.Kind.STEERING_BOARD: BOARD_ROLE_TITLES,
    Body.Kind.OTHER: BOARD_ROLE_TITLES,
    Body.Kind.TEAM: {"head": "Tổ trưởng", "deputy": "Tổ phó", "member": "Thành viên"},
}
DEFAULT_ROLE_TITLES = {
    "head": "Trưởng Tiểu ban",
    "deputy": "Phó Trưởng Tiểu ban",
    "member": "Thành viên",
    "secretary": "Thư ký",
}
STATUS_LABELS = {
    "todo": "Chưa bắt đầu",
    "in_progress": "Đang thực hiện",
    "in_review": "Chờ duyệt",
    "blocked": "Vướng mắc",
    "done": "Hoàn thành",
    "cancelled": "Đã hủy",
}


class Command(BaseCommand):
    help = "Load the demo congress (Lê Chân XXV, 2025-2030) with its people, bodies and plan."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when a congress exists already (for start-up scripts).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Congress.objects.exists():
            self.stdout.write("Đã có dữ liệu Đại hội, bỏ qua việc nạp dữ liệu mẫu.")
            self.stdout.write(
                f"Đăng nhập mẫu (nếu chưa đổi): admin, huong.tt, nam.nv, mai.ht, ha.nt... "
                f"mật khẩu {DEMO_PASSWORD}"
            )
            return
        try:
            # The demo's assignment emails would flood the console: keep them in memory.
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                transaction.atomic(),
            ):
                demo = load_demo()
        except DemoDataExists as error:
            message = f"Tên đăng nhập của dữ liệu mẫu đã có người dùng: {error}."
            if if_empty:
                self.stderr.write(self.style.WARNING(f"{message} Bỏ qua việc nạp dữ liệu mẫu."))
                return
            raise CommandError(message) from error
        self._summary(demo)
        self._logins(demo)
        self._superior_logins(demo)

    def _summary(self, demo):
        congress = demo["congress"]
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu: {congress.title}"))
        self.stdout.write(
            f"Khai mạc {date_format(congress.opens_on)}, bế mạc {date_format(congress.closes_on)}, "
            f"tại {congress.venue}; hạn cấp trên cho ý kiến "
            f"{date_format(congress.superior_review_due)}."
        )
        counts = dict(
            congress.tasks.values_list("status").annotate(n=Count("id")).order_by("status")
        )
        parts = [f"{STATUS_LABELS[s]} {counts[s]}" for s in STATUS_LABELS if s in counts]
        self.stdout.write(f"Nhiệm vụ: {sum(counts.values())} ({', '.join(parts)}).\n")

    def _logins(self, demo):
        password, users = demo["password"], demo["users"]
        admin = users[ADMIN_USERNAME]
        rows = [("Tên đăng nhập", "Mật khẩu", "Họ và tên", "Vai trò", "Ban / Tiểu ban")]
        admin_password = password if admin.check_password(password) else "(giữ nguyên)"
        rows.append((admin.username, admin_password, str(admin), "Quản trị hệ thống", "Tất cả"))
        memberships = (
            Membership.objects.filter(body__congress=demo["congress"])
            .select_related("body")
            .order_by("body_id", "id")
        )
        by_user = {}
        for membership in memberships:
            by_user.setdefault(membership.user_id, []).append(membership)
        for username, user in users.items():
            for i, membership in enumerate(by_user.get(user.pk, ())):
                first = i == 0
                rows.append(
                    (
                        username if first else "",
                        password if first else "",
                        str(user) if first else "",
                        _role_title(membership),
                        membership.body.name,
                    )
                )
        offices = OrganizationOffice.objects.filter(user__in=users.values()).select_related(
            "user", "organization"
        )
        for office in offices.order_by("id"):
            user = office.user
            rows.append((user.username, password, str(user), "Văn phòng", office.organization.name))
        self.stdout.write(_table(rows))

    def _superior_logins(self, demo):
        superior = demo["superior"]
        self.stdout.write(
            self.style.SUCCESS(
                f"\nCấp trên: {superior['congress'].organization.name} theo dõi "
                f"{len(superior['districts']) + 1} Đại hội cấp quận (trang /oversight/)."
            )
        )
        rows = [("Tên đăng nhập", "Mật khẩu", "Họ và tên", "Chức vụ")]
        for username, position in superior_logins():
            user = superior["users"][username]
            rows.append((username, demo["password"], str(user), position))
        self.stdout.write(_table(rows))


def _role_title(membership: Membership) -> str:
    titles = ROLE_TITLES.get(membership.body.kind, DEFAULT_ROLE_TITLES)
    return titles.get(membership.role, DEFAULT_ROLE_TITLES[membership.role])


def _width(text: str) -> int:
    # Precomposed (NFC) Vietnamese letters take one column each; combining marks take none.
    return sum(not unicodedata.combining(c) for c in unicodedata.normalize("NFC", text))


def _table(rows) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row):
        cells = (cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True))
        return "| " + " | ".join(cells) + " |"

    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    body = [line(row) for row in rows[1:]]
    return "\n".join([rule, line(rows[0]), rule, *body, rule])

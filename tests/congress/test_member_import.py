"""Members from a spreadsheet: POST /api/v1/congresses/{id}/members/import/ (dry run and real
run), every kind of error with its row, NFC/NFD, idempotence, 500 rows, who may, and the email
whose link sets the new account's password."""

import io
import re
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from congress.member_import import template_xlsx
from congress.models import Membership, OrganizationOffice
from notifications.models import Event
from tests.factories import UserFactory
from workflows.services.member_import import members_import

User = get_user_model()
HEADER = ["Họ và tên", "Email", "Số điện thoại", "Tiểu ban", "Vai trò"]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content: bytes, name="members.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def office(world):
    user = UserFactory(username="van.phong", first_name="Lê Thị", last_name="Thảo")
    OrganizationOffice.objects.create(user=user, organization=world.org)
    return user


@pytest.fixture
def post(api, django_capture_on_commit_callbacks):
    def send(user, content: bytes, *, dry_run=True, congress=None, name="members.xlsx"):
        congress_id = congress.pk if congress else pk_of_world[0]
        with django_capture_on_commit_callbacks(execute=True):  # the emails, as after a commit
            return api(user).post(
                f"/api/v1/congresses/{congress_id}/members/import/",
                {"file": upload(content, name), "dry_run": "true" if dry_run else "false"},
                format="multipart",
            )

    pk_of_world = []
    send.world = pk_of_world
    return send


@pytest.fixture
def send(post, world):
    post.world.append(world.congress.pk)
    return post


def sample(world) -> bytes:
    return xlsx(
        [
            ["Phạm Văn Đức", "duc.pv@example.vn", 912345678, "Tiểu ban Văn kiện", "Thành viên"],
            ["Phạm Văn Đức", "DUC.PV@example.vn", "", "Ban Chỉ đạo", "Thư ký"],
            [
                world.docs_member.get_full_name(),
                world.docs_member.email,
                "",
                "Tiểu ban Văn kiện",
                "member",
            ],
            [
                world.docs_member2.get_full_name(),
                world.docs_member2.email.upper(),
                "",
                "tiểu ban tổ chức phục vụ",
                "Phó Trưởng tiểu ban",
            ],
        ]
    )


def test_the_dry_run_says_what_each_row_will_do_and_writes_nothing(world, office, send):
    users, events = User.objects.count(), Event.objects.count()

    response = send(office, sample(world))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["dry_run"] is True and body["applied"] is False
    rows = [(r["row"], r["account"], r["membership"], r["role"], r["errors"]) for r in body["rows"]]
    assert rows == [
        (2, "new", "add", "member", []),
        (3, "new", "add", "secretary", []),
        (4, "existing", "unchanged", "member", []),
        (5, "existing", "add", "deputy", []),
    ]
    assert body["rows"][0]["phone"] == "0912345678"
    assert body["rows"][3]["user"] == world.docs_member2.pk
    assert body["rows"][3]["body_name"] == "Tiểu ban Tổ chức phục vụ"
    assert body["summary"] == {
        "rows": 4,
        "errors": 0,
        "new_accounts": 2,
        "existing_accounts": 2,
        "memberships_added": 3,
        "roles_changed": 0,
        "unchanged": 1,
        "waiting_confirmation": 0,
    }
    assert (User.objects.count(), Event.objects.count(), len(mail.outbox)) == (users, events, 0)


def test_the_real_run_does_it_once_and_a_second_run_changes_nothing(world, office, send):
    response = send(office, sample(world), dry_run=False)

    assert response.status_code == 200, response.json()
    assert response.json()["applied"] is True
    duc = User.objects.get(email="duc.pv@example.vn")
    assert (duc.username, duc.first_name, duc.last_name, duc.phone) == (
        "duc.pv",
        "Phạm Văn",
        "Đức",
        "0912345678",
    )
    assert not duc.has_usable_password()
    assert set(duc.memberships.values_list("body__name", "role")) == {
        ("Tiểu ban Văn kiện", "member"),
        ("Ban Chỉ đạo", "secretary"),
    }
    assert Membership.objects.get(user=world.docs_member2, body=world.orgbody).role == "deputy"
    assert [m.to for m in mail.outbox] == [["duc.pv@example.vn"]]
    state = (User.objects.count(), Membership.objects.count(), Event.objects.count())

    again = send(office, sample(world), dry_run=False)

    assert again.status_code == 200
    assert {r["membership"] for r in again.json()["rows"]} == {"unchanged"}
    assert {r["account"] for r in again.json()["rows"]} == {"existing"}
    assert (User.objects.count(), Membership.objects.count(), Event.objects.count()) == state
    assert len(mail.outbox) == 1


def test_a_changed_role_is_said_and_applied(world, office, send):
    content = xlsx(
        [
            [
                world.docs_member.get_full_name(),
                world.docs_member.email,
                "",
                "Tiểu ban Văn kiện",
                "Thư ký",
            ]
        ]
    )
    row = send(office, content).json()["rows"][0]
    assert (row["membership"], row["old_role"]) == ("change_role", "member")
    assert "role changed from Member" in row["action"]

    send(office, content, dry_run=False)

    assert Membership.objects.get(user=world.docs_member, body=world.docs).role == "secretary"


@pytest.mark.parametrize(
    "cells, message",
    [
        (["", "a@example.vn", "", "Tiểu ban Văn kiện", "Thành viên"], "The full name is empty."),
        (
            ["Lê An", "a@example.vn", "", "Tiểu ban Không có", "Thành viên"],
            "No body of this congress is called “Tiểu ban Không có”. The bodies are: Ban Chỉ đạo,",
        ),
        (["Lê An", "a@example.vn", "", "Tiểu ban Văn kiện", "Chủ tịch"], "Unknown role “Chủ tịch”"),
        (["Lê An", "a@example", "", "Tiểu ban Văn kiện", ""], "“a@example” is not an email"),
        (["Lê An", "", "", "Tiểu ban Văn kiện", ""], "The email is empty."),
        (["Lê An", "a" * 250 + "@x.vn", "", "Tiểu ban Văn kiện", ""], "“aaaa"),
        (["Lê An", "a@example.vn", "12ab", "Tiểu ban Văn kiện", ""], "“12ab” is not a phone"),
        (["Lê An", "a@example.vn", "", "", "member"], "The body is empty."),
    ],
)
def test_each_row_error_is_named_on_its_row(world, office, send, cells, message):
    content = xlsx([["Hoàng Mai", "mai@example.vn", "", "Tiểu ban Văn kiện", "head"], cells])

    rows = send(office, content).json()["rows"]

    assert rows[0]["errors"] == []
    assert rows[1]["row"] == 3 and rows[1]["action"] == "Error"
    assert len(rows[1]["errors"]) == 1 and rows[1]["errors"][0].startswith(message)


def test_one_email_with_two_names_is_an_error_on_the_later_row(world, office, send):
    content = xlsx(
        [
            ["Lê Văn An", "an@example.vn", "", "Tiểu ban Văn kiện", ""],
            ["Lê Văn Ân", "AN@example.vn", "", "Ban Chỉ đạo", ""],
            ["LÊ VĂN AN", "an@example.vn", "", "Ban Chỉ đạo", "Thư ký"],
        ]
    )

    rows = send(office, content).json()["rows"]

    assert rows[0]["errors"] == [] and rows[2]["errors"] == []
    assert rows[1]["errors"] == ["Row 2 has the same email with another name (“Lê Văn An”)."]


def test_the_real_run_refuses_the_whole_file_while_a_row_is_in_error(world, office, send):
    content = xlsx(
        [
            ["Lê Văn An", "an@example.vn", "", "Tiểu ban Văn kiện", ""],
            ["Lê Văn Bình", "binh@example.vn", "", "Tiểu ban Ma", ""],
        ]
    )
    state = (User.objects.count(), Membership.objects.count(), Event.objects.count())

    response = send(office, content, dry_run=False)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rows_invalid"
    assert body["detail"] == "Nothing was imported: fix the rows in error first (rows 3)."
    assert [r["row"] for r in body["rows"] if r["errors"]] == [3]
    assert (User.objects.count(), Membership.objects.count(), Event.objects.count()) == state
    assert mail.outbox == []


@pytest.mark.parametrize(
    "content, name, code",
    [
        (xlsx([["A", "a@x.vn"]], header=["Họ và tên", "Email"]), "m.xlsx", "missing_columns"),
        (b"%PDF-1.4 not a sheet", "m.xlsx", "file_type"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "m.csv", "file_type"),
        (b"", "m.csv", "file_empty"),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_400_that_says_why(
    world, office, send, content, name, code
):
    response = send(office, content, name=name)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["file"]


def test_a_missing_column_is_named(world, office, send):
    content = xlsx([["A", "a@x.vn", "Tiểu ban Văn kiện"]], header=["Họ và tên", "Email", "Ban"])
    body = send(office, content).json()
    assert body["file"] == [
        "The column “Vai trò” is missing. The header row names these columns: “Họ và tên”, "
        "“Email”, “Số điện thoại”, “Tiểu ban”, “Vai trò”."
    ]


def test_more_than_2000_rows_is_refused(world, office, send):
    text = "Họ và tên;Email;Tiểu ban;Vai trò\n" + "".join(
        f"Người {i};p{i}@example.vn;Tiểu ban Văn kiện;Thành viên\n" for i in range(2001)
    )
    response = send(office, text.encode(), name="m.csv")
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_rows"
    assert "more than 2000 rows" in response.json()["file"][0]


def test_a_missing_file_or_a_bad_dry_run_flag_is_a_400(world, office, api):
    client = api(office)
    url = f"/api/v1/congresses/{world.congress.pk}/members/import/"
    assert client.post(url, {}, format="multipart").json()["file"]
    bad = client.post(url, {"file": upload(b"x"), "dry_run": "perhaps"}, format="multipart")
    assert bad.status_code == 400 and bad.json()["dry_run"]


def test_nfd_names_are_stored_nfc_and_bodies_match_nfd_and_case(world, office, send):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    body = unicodedata.normalize("NFD", "TIỂU BAN VĂN KIỆN")
    csv = f"\ufeffHọ và tên;Email;Tiểu ban;Vai trò\n\n{nfd};anh@example.vn;{body};Thành viên\n"

    response = send(office, csv.encode(), dry_run=False, name="m.csv")

    assert response.status_code == 200, response.json()
    user = User.objects.get(email="anh@example.vn")
    assert user.get_full_name() == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", user.first_name + user.last_name)
    assert user.memberships.get().body == world.docs


def test_500_rows_in_one_transaction_in_a_bounded_number_of_queries(
    world, office, django_capture_on_commit_callbacks
):
    rows = [
        [f"Nguyễn Văn Số{i}", f"so{i}@example.vn", "", "Tiểu ban Văn kiện", "Thành viên"]
        for i in range(500)
    ]
    content = xlsx(rows)

    with CaptureQueriesContext(connection) as dry:
        plan = members_import(
            actor=office, congress=world.congress, uploaded=upload(content), dry_run=True
        )
    assert plan.summary()["new_accounts"] == 500
    assert len(dry.captured_queries) <= 8

    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as real,
    ):
        members_import(
            actor=office, congress=world.congress, uploaded=upload(content), dry_run=False
        )
    assert Membership.objects.filter(body=world.docs, user__email__startswith="so").count() == 500
    # Per row the services own queries: 10 savepoints, the account (office check, username
    # and email checks, insert), the membership (its role read, select, insert), its event
    # (and its advisory lock on PostgreSQL), its audit entry; nothing grows with the number
    # of rows already imported.
    assert len(real.captured_queries) <= 20 + 20 * 500
    assert len(mail.outbox) == 500


def test_a_plain_member_is_refused_and_nothing_happens(world, send):
    state = (User.objects.count(), Membership.objects.count(), Event.objects.count())
    response = send(world.docs_member, sample(world), dry_run=False)
    assert response.status_code == 403
    assert response.json()["code"] == "import_forbidden"
    assert (User.objects.count(), Membership.objects.count(), Event.objects.count()) == state


def test_another_organizations_office_gets_a_404(world, send):
    other = UserFactory(username="vp.ngoquyen")
    OrganizationOffice.objects.create(user=other, organization=world.other_org)
    assert send(other, sample(world)).status_code == 404
    assert send(world.outsider, sample(world)).status_code == 404


def test_a_steering_head_imports_existing_accounts_but_may_not_create_ones(world, send):
    rows = send(world.steering_head, sample(world)).json()["rows"]
    assert rows[0]["errors"] == [
        "No account has this email, and only the office of the organization or staff may "
        "create accounts."
    ]
    assert rows[3]["errors"] == [] and rows[3]["membership"] == "add"


def test_staff_may_import(world, send):
    response = send(world.staff, sample(world), dry_run=False)
    assert response.status_code == 200
    assert User.objects.filter(email="duc.pv@example.vn").exists()


def test_the_emailed_link_sets_the_password(world, office, send):
    send(office, sample(world), dry_run=False)
    message = mail.outbox[0]
    # In the account's language: Vietnamese for a new account.
    assert User.objects.get(username="duc.pv").language == "vi"
    assert message.subject == "Tài khoản của đồng chí để tham gia chuẩn bị Đại hội"
    assert "Kính gửi đồng chí Phạm Văn Đức," in message.body
    assert "Đồng chí Lê Thị Thảo đã tạo tài khoản để đồng chí tham gia" in " ".join(
        message.body.split()
    )
    assert "Tên đăng nhập của đồng chí: duc.pv" in message.body
    link = re.search(r"http://\S+/account/password/set/\S+/", message.body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else link
    browser = Client()

    form = browser.get(path, follow=True)
    assert form.status_code == 200
    assert "Your username is <strong>duc.pv</strong>" in form.content.decode()
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Hoi-nghi-2025-x", "new_password2": "Hoi-nghi-2025-x"},
        follow=True,
    )

    assert done.status_code == 200
    assert Client().login(username="duc.pv", password="Hoi-nghi-2025-x")
    assert browser.get(path, follow=True).context["validlink"] is False


def test_the_template_imports_cleanly(world, office):
    content = template_xlsx(world.congress)
    plan = members_import(
        actor=office, congress=world.congress, uploaded=upload(content), dry_run=True
    )
    assert [(r.full_name, r.body.name, r.role, r.errors) for r in plan.rows] == [
        ("Nguyễn Văn An", "Ban Thường vụ", "member", []),
        ("Trần Thị Bình", "Ban Chỉ đạo", "deputy", []),
    ]


def test_an_anonymous_caller_is_refused(world, api):
    response = api().post(
        f"/api/v1/congresses/{world.congress.pk}/members/import/",
        {"file": upload(b"x")},
        format="multipart",
    )
    assert response.status_code == 401


def test_a_failed_email_does_not_undo_the_import(world, office, send, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_email.DisconnectingBackend"

    response = send(office, sample(world), dry_run=False)

    assert response.status_code == 200
    assert User.objects.filter(email="duc.pv@example.vn").exists()

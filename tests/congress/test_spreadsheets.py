"""Reading hand-made spreadsheets (congress.spreadsheets): .xlsx and .csv, Vietnamese or
English headers in any order, NFC/NFD, BOM, ';' or ',', blank lines, bounds."""

import io
import unicodedata
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from congress.errors import Invalid
from congress.spreadsheets import Column, read_rows

COLUMNS = (
    Column("full_name", ("Họ và tên", "Full name", "Họ tên")),
    Column("email", ("Email", "E-mail")),
    Column("phone", ("Số điện thoại", "Phone"), required=False),
)


def xlsx(rows, name="members.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(text: str, encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("members.csv", text.encode(encoding))


def test_xlsx_rows_by_vietnamese_header_in_any_order_with_file_row_numbers():
    upload = xlsx(
        [
            ["DANH SÁCH THÀNH VIÊN CÁC TIỂU BAN"],
            [],
            ["Email", "STT", "Họ và tên", "Số điện thoại (không bắt buộc)"],
            ["mai.ht@example.vn", 1, "Hoàng Thị Mai", 912345678],
            [None, None, None, None],
            ["nam.nv@example.vn", 2, "Nguyễn Văn Nam", None],
        ]
    )

    sheet = read_rows(upload, columns=COLUMNS)

    assert sheet.header_row == 3
    assert [(r.number, r.values) for r in sheet.rows] == [
        (4, {"email": "mai.ht@example.vn", "full_name": "Hoàng Thị Mai", "phone": "912345678"}),
        (6, {"email": "nam.nv@example.vn", "full_name": "Nguyễn Văn Nam", "phone": ""}),
    ]


def test_csv_with_bom_semicolons_nfd_names_and_english_headers():
    name = unicodedata.normalize("NFD", "Trần Thị Hương")
    assert name != "Trần Thị Hương"
    upload = csv_file(f"\ufeffFULL NAME;e-mail\n\n{name};huong@example.vn\n;\n")

    sheet = read_rows(upload, columns=COLUMNS)

    assert [(r.number, r["full_name"], r["email"]) for r in sheet.rows] == [
        (3, "Trần Thị Hương", "huong@example.vn")
    ]
    assert sheet.columns == ("full_name", "email")


def test_csv_headers_without_diacritics_and_commas():
    sheet = read_rows(csv_file("Ho va ten,Email\nLê Văn Bình,binh@example.vn\n"), columns=COLUMNS)
    assert sheet.rows[0].values == {"full_name": "Lê Văn Bình", "email": "binh@example.vn"}


def cp1258(text: str) -> bytes:
    """As Windows writes Vietnamese: precomposed where the code page has it, else a base
    letter and a combining tone mark."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            out += unicodedata.normalize("NFD", char).encode("cp1258")
    return out


def test_csv_in_the_windows_vietnamese_code_page_is_read():
    upload = SimpleUploadedFile("m.csv", cp1258("Họ và tên,Email\nLê Thị Hà,ha@example.vn\n"))
    assert read_rows(upload, columns=COLUMNS).rows[0]["full_name"] == "Lê Thị Hà"


def test_a_missing_required_column_is_named():
    with pytest.raises(Invalid) as raised:
        read_rows(csv_file("Họ và tên,Số điện thoại\nA,1\n"), columns=COLUMNS)
    assert raised.value.code == "missing_columns"
    assert "“Email”" in raised.value.details["fields"]["file"][0]


def test_a_column_named_twice_is_refused():
    with pytest.raises(Invalid) as raised:
        read_rows(csv_file("Họ và tên,Email,E-mail\nA,a@x.vn,b@x.vn\n"), columns=COLUMNS)
    assert raised.value.code == "duplicate_column"


def test_more_rows_than_allowed_is_refused():
    text = "Họ và tên,Email\n" + "".join(f"A {i},a{i}@x.vn\n" for i in range(11))
    assert len(read_rows(csv_file(text), columns=COLUMNS, max_rows=11).rows) == 11
    with pytest.raises(Invalid) as raised:
        read_rows(csv_file(text), columns=COLUMNS, max_rows=10)
    assert raised.value.code == "too_many_rows"


@pytest.mark.parametrize(
    "content, code",
    [
        (b"%PDF-1.7 something", "file_type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "file_type"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "file_type"),
        (b"PK\x03\x04broken", "file_type"),
        (b"   \n", "file_empty"),
    ],
)
def test_what_is_not_a_spreadsheet_is_a_clear_refusal(content, code):
    with pytest.raises(Invalid) as raised:
        read_rows(SimpleUploadedFile("members.xlsx", content), columns=COLUMNS)
    assert raised.value.code == code


def test_a_word_document_is_not_a_spreadsheet():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(Invalid) as raised:
        read_rows(SimpleUploadedFile("a.xlsx", out.getvalue()), columns=COLUMNS)
    assert raised.value.code == "file_type"


def test_a_file_over_the_upload_limit_is_refused(settings):
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 100
    with pytest.raises(Invalid) as raised:
        read_rows(csv_file("Họ và tên,Email\n" + "A,a@x.vn\n" * 20), columns=COLUMNS)
    assert raised.value.code == "file_too_large"


def test_an_archive_that_unpacks_too_large_is_refused_before_reading():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b"\x00" * (60 * 1024 * 1024))
    with pytest.raises(Invalid) as raised:
        read_rows(SimpleUploadedFile("a.xlsx", out.getvalue()), columns=COLUMNS)
    assert raised.value.code == "file_too_large"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(
        [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan;Email\n"]
    ),
    body=st.binary(max_size=2000),
)
def test_any_bytes_are_rows_or_a_clear_refusal(prefix, body):
    try:
        sheet = read_rows(SimpleUploadedFile("f.xlsx", prefix + body), columns=COLUMNS)
    except Invalid as error:
        assert error.details["fields"]["file"]
    else:
        assert all(isinstance(v, str) for row in sheet.rows for v in row.values.values())


def test_a_broken_workbook_inside_a_valid_zip_is_a_clear_refusal():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='x' r:id='1'")
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(Invalid) as raised:
        read_rows(SimpleUploadedFile("a.xlsx", out.getvalue()), columns=COLUMNS)
    assert raised.value.code == "file_unreadable"

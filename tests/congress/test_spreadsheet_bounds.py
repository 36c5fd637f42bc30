"""What reading a spreadsheet may cost is bounded before openpyxl parses it (issue 20, item 6):
a small .xlsx whose shared strings unpack to tens of megabytes (1.85 million strings held a
worker 17 s) is refused from its zip directory or from a streamed count of its strings, with a
message and a code; the rows are read against a clock. The counting itself (congress/files.py)
is exact across the chunks it reads."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from congress import files, spreadsheets
from congress.errors import Invalid
from congress.spreadsheets import Column, read_rows

COLUMNS = (Column("full_name", ("Họ và tên",)), Column("email", ("Email",)))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook(strings: list[str], rows: list[list[int]], *, level: int = 6) -> bytes:
    """An .xlsx as Excel writes it: its cells point into the shared strings."""
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    sheet = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{chr(65 + c)}{r}" t="s"><v>{v}</v></c>' for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
            '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats'
            '-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Thành viên" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN}"><sheetData>{sheet}</sheetData></worksheet>'
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{shared}</sst>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("thanh-vien.xlsx", data)


@pytest.fixture
def openpyxl_untouched(monkeypatch):
    """Fails the test if openpyxl is asked to load the workbook."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl loaded a workbook the guard should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_workbook_within_the_bounds_is_read():
    data = workbook(["Họ và tên", "Email", "Nguyễn Văn An", "an@example.vn"], [[0, 1], [2, 3]])
    sheet = read_rows(upload(data), columns=COLUMNS)
    assert [(r.number, r["full_name"], r["email"]) for r in sheet.rows] == [
        (2, "Nguyễn Văn An", "an@example.vn")
    ]


def test_more_shared_strings_than_a_list_can_hold_are_refused_before_openpyxl(
    openpyxl_untouched,
):
    # 130,000 short strings: 2.7 MB of XML in a 0.4 MB file, under every size bound.
    strings = ["Họ và tên", "Email", *(f"s{i}" for i in range(130_000))]
    data = workbook(strings, [[0, 1], [2, 3]])
    assert len(data) < spreadsheets.max_upload_bytes()

    with pytest.raises(Invalid) as raised:
        read_rows(upload(data), columns=COLUMNS)

    assert raised.value.code == "file_too_large"
    assert "more than 120,000 different texts" in raised.value.message
    assert raised.value.details["fields"] == {"file": [raised.value.message]}


def test_shared_strings_that_unpack_past_their_bound_are_refused_from_the_zip_directory(
    openpyxl_untouched,
):
    # The reported file's shape: millions of distinct strings at a low ratio (about 10 to 1),
    # a few MB packed; here 11 MB of shared strings.
    strings = [f"{i:07d}x" for i in range(600_000)]
    data = workbook(strings, [[0, 1]], level=1)
    assert len(data) < spreadsheets.max_upload_bytes()

    with pytest.raises(Invalid) as raised:
        read_rows(upload(data), columns=COLUMNS)

    assert raised.value.code == "file_too_large"
    assert raised.value.message == "The spreadsheet is too large once unpacked."


def test_rows_are_read_against_a_clock(monkeypatch):
    monkeypatch.setattr(spreadsheets, "READ_SECONDS", 0)
    data = workbook(["Họ và tên", "Email", "An", "an@example.vn"], [[0, 1], [2, 3]])

    with pytest.raises(Invalid) as raised:
        read_rows(upload(data), columns=COLUMNS)

    assert raised.value.code == "file_too_large"
    assert raised.value.message == "Reading this file took too long (over 0 seconds)."


def test_the_member_import_api_answers_400_with_the_code(world, api):
    strings = ["Họ và tên", "Email", *(f"s{i}" for i in range(130_000))]
    response = api(world.sc_head).post(
        f"/api/v1/congresses/{world.congress.pk}/members/import/",
        {"file": upload(workbook(strings, [[0, 1]]))},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"
    assert "different texts" in str(response.json())


def _archive(part: bytes) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("p.xml", part)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


@settings(max_examples=100, deadline=None)
@given(
    gaps=st.lists(st.integers(0, 70_000), min_size=0, max_size=12),
    prefix=st.sampled_from([b"", b"x:", b"ns_1.a-b:"]),
    closing=st.sampled_from([b">", b"/>", b" a='1'>"]),
)
def test_counting_a_tag_is_exact_across_the_chunks_it_reads(gaps, prefix, closing):
    part = b"<sst>" + b"".join(b" " * gap + b"<" + prefix + b"si" + closing for gap in gaps)
    part += b"<sis><s><sx/></sst>"  # look-alikes that are not <si>
    assert files.count_in_part(_archive(part), "p.xml", b"si", 10**6) == len(gaps)
    if gaps:
        with pytest.raises(files.Refused) as raised:
            files.count_in_part(_archive(part), "p.xml", b"si", len(gaps) - 1)
        assert raised.value.code == "count"


def test_a_workbook_with_a_broken_compressed_stream_is_refused_with_a_message():
    data = workbook([f"s{i}" for i in range(3000)], [[0, 1]])
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    broken = bytearray(data)
    broken[start : start + 3] = b"\xff\xff\xff"

    with pytest.raises(Invalid) as raised:
        read_rows(upload(bytes(broken)), columns=COLUMNS)

    assert raised.value.code == "file_type"

"""What an upload may cost to read is bounded: a zip bomb, a document of a million paragraphs,
an oversized text, an XML entity trick or a file that takes too long to read is refused with a
400 that says why, before the database transaction opens, and nothing is stored."""

import io
import zipfile

import pytest
from django.db import connection
from django.test import Client

from tests.documents.conftest import docx_bytes, upload
from workflows import uploads
from workflows.models import DocumentVersion

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _post(api, user, document, **data):
    return api(user).post(f"/api/v1/documents/{document.pk}/versions/", data, format="multipart")


def _with_body(body: bytes, *, level: int = 9) -> bytes:
    """A real .docx whose document part holds `body` (raw WordprocessingML)."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes("Dự thảo")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = (
                    (
                        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}" '
                        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                        "<w:body>"
                    ).encode()
                    + body
                    + b"</w:body></w:document>"
                )
            archive.writestr(name, data)
    return buffer.getvalue()


def _paragraphs(count: int) -> bytes:
    # Different words in each paragraph, so that the file compresses like a real one.
    return b"".join(b"<w:p><w:r><w:t>%d %x</w:t></w:r></w:p>" % (i, i * 7919) for i in range(count))


def _refused(response, trail_before, trail_now) -> str:
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "file_refused"
    assert DocumentVersion.objects.count() == 0
    assert trail_now == trail_before
    return response.json()["file"][0]


def test_the_300_000_paragraph_zip_bomb_is_refused_before_it_is_inflated(
    people, make_document, api, trail, media_root, monkeypatch
):
    bomb = _with_body(b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 300_000)
    assert len(bomb) < 70_000
    opened = []
    original_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda self, name, *a, **k: (
            opened.append(getattr(name, "filename", name)) or original_open(self, name, *a, **k)
        ),
    )
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("bom.docx", bomb))

    message = _refused(response, before, trail())
    assert "packed far more tightly than a document can be (341 to 1)" in message
    assert "word/document.xml" not in opened
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_an_archive_that_unpacks_past_the_limit_is_refused(
    people, make_document, api, trail, settings
):
    settings.DOCUMENT_MAX_UNPACKED_BYTES = 20_000
    data = docx_bytes("Dự thảo")
    unpacked = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert unpacked > 20_000
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("a.docx", data))

    message = _refused(response, before, trail())
    assert "unpacks to" in message and "at most 19.5\xa0KB" in message


def test_a_document_of_more_paragraphs_than_the_limit_is_refused(
    people, make_document, api, trail, settings
):
    settings.DOCUMENT_MAX_PARAGRAPHS = 100
    document = make_document()
    before = trail()

    response = _post(
        api, people.docs_member, document, file=upload("a.docx", _with_body(_paragraphs(101)))
    )

    assert "more than 100 paragraphs or lines" in _refused(response, before, trail())


def test_a_document_at_the_paragraph_limit_is_accepted(people, make_document, api, settings):
    settings.DOCUMENT_MAX_PARAGRAPHS = 100
    document = make_document()

    response = _post(
        api, people.docs_member, document, file=upload("a.docx", _with_body(_paragraphs(100)))
    )

    assert response.status_code == 201, response.json()
    text = response.json()["text"].split("\n")
    assert (len(text), text[0], text[-1]) == (100, "0 0", "99 bf66d")


def test_a_document_of_too_many_elements_is_refused(people, make_document, api, trail, settings):
    settings.DOCUMENT_MAX_XML_ELEMENTS = 1_000
    # One paragraph of 2,000 empty runs: few paragraphs, little text, many elements.
    body = b"<w:p>" + b"".join(b'<w:r w:rsidR="%04d"/>' % i for i in range(2_000)) + b"</w:p>"
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("a.docx", _with_body(body)))

    assert "far more complex than a draft (over 1,000 elements)" in _refused(
        response, before, trail()
    )


def test_a_document_that_takes_too_long_to_read_is_refused(
    people, make_document, api, trail, settings
):
    settings.DOCUMENT_MAX_READ_SECONDS = 0
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("a.docx", docx_bytes("Một")))

    assert "took too long (over 0 seconds)" in _refused(response, before, trail())


def test_a_text_longer_than_the_limit_is_refused_as_a_file_and_as_json(
    people, make_document, api, trail, settings
):
    settings.DOCUMENT_MAX_TEXT_CHARS = 50
    document = make_document()
    before = trail()

    as_file = _post(api, people.docs_member, document, file=upload("a.txt", b"a" * 51))
    as_json = api(people.docs_member).post(
        f"/api/v1/documents/{document.pk}/versions/", {"text": "a" * 51}, format="json"
    )

    assert "longer than 50 characters" in _refused(as_file, before, trail())
    assert as_json.status_code == 400
    assert "longer than 50 characters" in as_json.json()["text"][0]
    assert DocumentVersion.objects.count() == 0


def test_a_text_file_of_too_many_lines_is_refused(people, make_document, api, trail, settings):
    settings.DOCUMENT_MAX_PARAGRAPHS = 10
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("a.md", b"a\n" * 11))

    assert "more than 10 paragraphs or lines" in _refused(response, before, trail())


def test_an_external_entity_is_refused_and_never_read(people, make_document, api, trail):
    source = zipfile.ZipFile(io.BytesIO(_with_body(b"<w:p><w:r><w:t>&x;</w:t></w:r></w:p>")))
    part = source.read("word/document.xml").replace(
        b"<w:document", b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document', 1
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, part if name == "word/document.xml" else source.read(name))
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("x.docx", buffer.getvalue()))

    message = _refused(response, before, trail())
    assert "damaged" in message and "root:" not in message


@pytest.mark.django_db(transaction=True)
def test_the_file_is_read_before_the_transaction_opens(people, make_document, api, monkeypatch):
    """On SQLite the transaction holds the write lock that every other user's write waits
    for: reading a file must not happen inside it."""
    seen = []
    check = uploads.check_upload

    def spy(file):
        seen.append(connection.in_atomic_block)
        return check(file)

    monkeypatch.setattr(uploads, "check_upload", spy)
    document = make_document()

    response = _post(api, people.docs_member, document, file=upload("a.docx", docx_bytes("Một")))

    assert response.status_code == 201, response.json()
    assert seen == [False]


def test_a_refused_drafter_is_answered_before_the_file_is_read(
    people, make_document, api, trail, monkeypatch
):
    read = []
    monkeypatch.setattr(uploads, "check_upload", lambda file: read.append(file))
    document = make_document()
    before = trail()

    response = _post(api, people.steering_member, document, file=upload("a.txt", "Một".encode()))

    assert (response.status_code, response.json()["code"]) == (403, "version_add_forbidden")
    assert read == []
    assert trail() == before


def test_the_web_upload_shows_why_the_file_is_refused(people, make_document, trail, settings):
    people.docs_member.language = "en"
    people.docs_member.save()
    settings.DOCUMENT_MAX_PARAGRAPHS = 100
    document = make_document()
    before = trail()
    client = Client()
    client.force_login(people.docs_member)

    response = client.post(
        f"/documents/{document.pk}/versions/",
        {"file": upload("a.docx", _with_body(_paragraphs(101)))},
    )

    # Beside the upload form (the page shown again), not at the top of another page.
    assert response.status_code == 400
    [shown] = response.context["upload_form"].errors["file"]
    assert "more than 100 paragraphs or lines" in shown
    assert DocumentVersion.objects.count() == 0
    assert trail() == before


def _text(body: str) -> str:
    part = zipfile.ZipFile(io.BytesIO(_with_body(body.encode()))).read("word/document.xml")
    return uploads.extract_docx_text(io.BytesIO(part))


def test_the_reader_keeps_links_and_insertions_and_drops_deleted_and_fallback_text():
    body = (
        "<w:p><w:r><w:t>Xem </w:t></w:r><w:hyperlink><w:r><w:t>trang</w:t></w:r></w:hyperlink>"
        "<w:del><w:r><w:delText>xoá</w:delText></w:r></w:del>"
        "<w:moveFrom><w:r><w:t>chuyển</w:t></w:r></w:moveFrom>"
        "<w:ins><w:r><w:t> thêm</w:t></w:r></w:ins></w:p>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>Khung</w:t>"
        "</w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r>"
        "<w:t>Khung</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent>"
        "</w:r></w:p>"
        "<w:p><w:r><w:t>A</w:t><w:tab/><w:t>B</w:t><w:br/><w:t>C</w:t></w:r></w:p>"
    )

    assert _text(body) == "Xem trang thêm\nKhung\nA B C"


def test_the_reader_gives_table_rows_and_one_cell_frames():
    cells = "".join
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>".format
    body = (
        f"<w:tbl><w:tr>{cells([cell('Chỉ tiêu'), cell('Kết quả')])}</w:tr>"
        f"<w:tr>{cells([cell('GRDP'), cell('11,2%')])}</w:tr></w:tbl>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Một</w:t></w:r></w:p><w:p><w:r><w:t>Hai</w:t>"
        "</w:r></w:p></w:tc></w:tr></w:tbl>"
    )

    assert _text(body) == "Chỉ tiêu | Kết quả\nGRDP | 11,2%\nMột\nHai"


def _corrupt_deflate(data: bytes, member: str) -> bytes:
    """The archive with the first bytes of `member`'s compressed stream broken: reading it
    raises zlib.error, which is none of zipfile's own errors."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    broken = bytearray(data)
    broken[start : start + 3] = b"\xff\xff\xff"
    return bytes(broken)


def test_a_word_file_with_a_broken_compressed_stream_is_a_400(people, make_document, api, trail):
    data = _corrupt_deflate(_with_body(_paragraphs(500)), "word/document.xml")
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("a.docx", data))

    assert "damaged" in _refused(response, before, trail())

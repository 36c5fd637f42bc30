"""Uploads are checked by content, not by name: a renamed executable, an oversized, empty or
broken file gets a 400 that says what is accepted, and nothing is stored."""

import hashlib
import io
import zipfile

import pytest

from tests.documents.conftest import docx_bytes, upload
from workflows.models import Document, DocumentVersion

S = Document.Status
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 4
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def _post(api, user, document, **data):
    return api(user).post(f"/api/v1/documents/{document.pk}/versions/", data, format="multipart")


def _refused(response, trail_before, trail_now, media_root):
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "file_refused"
    message = (
        response.json()["file"][0] if "file" in response.json() else response.json()["text"][0]
    )
    assert "Accepted: Word (.docx), PDF (.pdf), Markdown (.md) or plain text (.txt)" in message
    assert DocumentVersion.objects.count() == 0
    assert trail_now == trail_before
    assert not any(p.is_file() for p in media_root.rglob("*")) if media_root.exists() else True
    return message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("Bao cao chinh tri.docx", EXE),
        ("du-thao.pdf", ELF),
        ("du-thao.txt", EXE),
        ("du-thao.md", b"\x00\x01\x02\x03binary\x00stuff" * 10),
    ],
)
def test_a_renamed_executable_is_refused(people, make_document, api, trail, media_root, name, data):
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload(name, data))

    message = _refused(response, before, trail(), media_root)
    assert "not an accepted type" in message


def test_an_oversized_file_is_refused(people, make_document, api, trail, media_root, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("big.txt", b"a" * 1025))

    message = _refused(response, before, trail(), media_root)
    assert "too large" in message
    assert "1.0\xa0KB" in message or "1,0\xa0KB" in message


def test_the_size_limit_defaults_to_20_mb(settings):
    from workflows.uploads import max_upload_bytes

    assert settings.DOCUMENT_MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    del settings.DOCUMENT_MAX_UPLOAD_BYTES
    assert max_upload_bytes() == 20 * 1024 * 1024


def test_an_empty_file_is_refused(people, make_document, api, trail, media_root):
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("du-thao.docx", b""))

    assert "empty" in _refused(response, before, trail(), media_root)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with_part(name: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx_bytes("Dự thảo lần 1")))
    files = {n: source.read(n) for n in source.namelist()}
    files[name] = data
    return _zip(files)


BROKEN_DOCX = {
    "truncated": lambda: docx_bytes("Dự thảo lần 1")[:600],
    "no document part": lambda: _zip({"[Content_Types].xml": b"<Types/>", "a.txt": b"x"}),
    "broken xml": lambda: _zip(
        {
            "[Content_Types].xml": (
                b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
                b'wordprocessingml.document.main+xml"/></Types>'
            ),
            "word/document.xml": b"<w:document><w:body><w:p>unclosed",
        }
    ),
    "cut document part": lambda: _with_part(
        "word/document.xml",
        docx_part("word/document.xml")[:300],
    ),
    "entity expansion": lambda: _with_part(
        "word/document.xml",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>',
    ),
}


def docx_part(name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx_bytes("Dự thảo lần 1"))).read(name)


@pytest.mark.parametrize("how", list(BROKEN_DOCX))
def test_a_broken_docx_is_refused(people, make_document, api, trail, media_root, how):
    document = make_document()
    before = trail()

    response = _post(
        api, people.docs_member, document, file=upload("du-thao.docx", BROKEN_DOCX[how]())
    )

    _refused(response, before, trail(), media_root)


def test_a_macro_enabled_word_file_is_refused(people, make_document, api, trail, media_root):
    data = docx_bytes("Dự thảo")
    source = zipfile.ZipFile(io.BytesIO(data))
    files = {n: source.read(n) for n in source.namelist()}
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("du-thao.docx", _zip(files)))

    assert "macros" in _refused(response, before, trail(), media_root)


def test_an_old_word_file_is_refused_with_advice(people, make_document, api, trail, media_root):
    document = make_document()
    before = trail()
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512

    response = _post(api, people.docs_member, document, file=upload("du-thao.doc", ole))

    assert ".docx" in _refused(response, before, trail(), media_root)


def test_a_word_draft_is_kept_with_its_text_and_sha256(people, make_document, api, media_root):
    data = docx_bytes(
        "BÁO CÁO CHÍNH TRỊ",
        "Tăng trưởng bình quân 10,5%/năm.",
        table=[["Chỉ tiêu", "Kết quả"], ["GRDP", "Vượt"]],
    )
    document = make_document()

    response = _post(
        api,
        people.docs_member,
        document,
        file=upload("../../etc/Báo cáo <chính trị>.docx", data),
        note="Dự thảo lần 1",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["file_type"] == "docx"
    assert body["size"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["original_name"] == "Báo cáo _chính trị.docx"
    assert body["text"] == (
        "BÁO CÁO CHÍNH TRỊ\nTăng trưởng bình quân 10,5%/năm.\nChỉ tiêu | Kết quả\nGRDP | Vượt"
    )
    version = DocumentVersion.objects.get()
    stored = media_root / version.file.name
    assert stored.read_bytes() == data
    assert ".." not in version.file.name and "chính" not in version.file.name


def test_the_type_comes_from_the_content_not_the_name(people, make_document, api):
    document = make_document()

    response = _post(api, people.docs_member, document, file=upload("du-thao.docx", PDF))

    assert response.status_code == 201, response.json()
    assert (response.json()["file_type"], response.json()["original_name"]) == (
        "pdf",
        "du-thao.pdf",
    )
    assert response.json()["has_text"] is False


def test_a_damaged_pdf_is_refused(people, make_document, api, trail, media_root):
    document = make_document()
    before = trail()

    response = _post(api, people.docs_member, document, file=upload("x.pdf", PDF[:40]))

    assert "PDF" in _refused(response, before, trail(), media_root)


@pytest.mark.parametrize(
    ("name", "data", "file_type", "text"),
    [
        ("ghi-chu.md", "# Mục I\nNội dung".encode(), "md", "# Mục I\nNội dung"),
        ("ghi-chu.txt", "\ufeffDòng 1\r\nDòng 2\r\n".encode(), "txt", "Dòng 1\nDòng 2"),
        ("ghi-chu", "Dòng 1".encode("utf-16"), "txt", "Dòng 1"),
        # Decomposed Vietnamese (as some Mac editors save it) is stored composed.
        ("nfd.txt", "Tie\u0302\u0301p thu".encode(), "txt", "Tiếp thu"),
    ],
)
def test_text_files_are_accepted_and_normalized(
    people, make_document, api, name, data, file_type, text
):
    document = make_document()

    response = _post(api, people.docs_member, document, file=upload(name, data))

    assert response.status_code == 201, response.json()
    assert (response.json()["file_type"], response.json()["text"]) == (file_type, text)


def test_a_text_file_in_a_legacy_encoding_is_refused(people, make_document, api, trail, media_root):
    document = make_document()
    before = trail()

    response = _post(
        api, people.docs_member, document, file=upload("cu.txt", b"Ti\xeap thu \xf0\xe3")
    )

    _refused(response, before, trail(), media_root)


def test_a_version_can_be_sent_as_json_text(people, make_document, api):
    document = make_document()

    response = api(people.docs_member).post(
        f"/api/v1/documents/{document.pk}/versions/",
        {"text": "Dự thảo lần 1\nNội dung", "note": "Gõ trực tiếp"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["file_type"], response.json()["text"]) == (
        "md",
        "Dự thảo lần 1\nNội dung",
    )
    assert response.json()["note"] == "Gõ trực tiếp"


def test_empty_text_is_refused(people, make_document, api):
    document = make_document()

    response = api(people.docs_member).post(
        f"/api/v1/documents/{document.pk}/versions/", {"text": "  \n "}, format="json"
    )

    assert response.status_code == 400
    assert "Accepted" in response.json()["text"][0]


def test_neither_file_nor_text_is_refused(people, make_document, api):
    document = make_document()

    response = api(people.docs_member).post(
        f"/api/v1/documents/{document.pk}/versions/", {"note": "x"}, format="json"
    )

    assert response.status_code == 400
    assert "file" in response.json()


def test_the_download_is_the_same_file(people, make_document, api):
    data = docx_bytes("Dự thảo lần 1")
    document = make_document()
    _post(api, people.docs_member, document, file=upload("Dự thảo 1.docx", data))

    response = api(people.docs_member2).get(f"/api/v1/documents/{document.pk}/versions/1/file/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "attachment" in response["Content-Disposition"]
    assert "D%E1%BB%B1%20th%E1%BA%A3o%201.docx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_the_download_answers_any_accept_header(people, make_document, api):
    document = make_document()
    _post(api, people.docs_member, document, file=upload("a.txt", b"abc"))

    response = api(people.docs_member).get(
        f"/api/v1/documents/{document.pk}/versions/1/file/", HTTP_ACCEPT="application/octet-stream"
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"abc"


def test_versions_are_listed_without_their_text(people, make_document, api):
    document = make_document()
    for text in ("Một", "Hai"):
        api(people.docs_member).post(
            f"/api/v1/documents/{document.pk}/versions/", {"text": text}, format="json"
        )

    listed = api(people.docs_member).get(f"/api/v1/documents/{document.pk}/versions/").json()
    detail = api(people.docs_member).get(f"/api/v1/documents/{document.pk}/versions/2/").json()

    assert [v["number"] for v in listed["results"]] == [1, 2]
    assert "text" not in listed["results"][0]
    assert (
        listed["results"][1]["download_url"] == f"/api/v1/documents/{document.pk}/versions/2/file/"
    )
    assert detail["text"] == "Hai"
    missing = api(people.docs_member).get(f"/api/v1/documents/{document.pk}/versions/3/")
    assert missing.status_code == 404


def test_drafts_are_added_only_while_drafting(people, make_document, api, trail):
    document = make_document(status=S.SUBCOMMITTEE_REVIEW)
    before = trail()

    response = api(people.docs_member).post(
        f"/api/v1/documents/{document.pk}/versions/", {"text": "Sửa"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (409, "not_drafting")
    assert trail() == before


def test_only_drafters_add_versions(people, make_document, api, trail):
    document = make_document()
    before = trail()

    response = api(people.steering_member).post(
        f"/api/v1/documents/{document.pk}/versions/", {"text": "Sửa"}, format="json"
    )

    assert response.status_code == 403
    assert trail() == before
    for drafter in (people.docs_member2, people.docs_secretary, people.docs_head):
        ok = api(drafter).post(
            f"/api/v1/documents/{document.pk}/versions/", {"text": "Sửa"}, format="json"
        )
        assert ok.status_code == 201


def test_adding_a_version_bumps_the_document_and_records_an_event(people, make_document, api):
    from notifications.models import Event

    document = make_document()

    api(people.docs_member).post(
        f"/api/v1/documents/{document.pk}/versions/", {"text": "Một"}, format="json"
    )

    document.refresh_from_db()
    assert document.version == 2
    event = Event.objects.get(type="document.version_added")
    assert (event.payload["kind"], event.payload["id"]) == ("document", document.pk)
    assert (event.payload["status"], event.payload["version"]) == ("drafting", 2)
    assert event.payload["version_number"] == 1


def test_a_text_too_large_for_json_says_to_upload_a_file(people, make_document, api, trail):
    document = make_document()
    before = trail()

    response = api(people.docs_member).post(
        f"/api/v1/documents/{document.pk}/versions/", {"text": "a" * 3_000_000}, format="json"
    )

    assert response.status_code == 400
    assert "upload it as a file" in response.json()["text"][0]
    assert trail() == before

"""Checking an uploaded draft by what it is, not by what it is called.

Accepted: Word (.docx), PDF, Markdown and plain text in UTF-8, up to
`settings.DOCUMENT_MAX_UPLOAD_BYTES`. The type is read from the content (a renamed executable is
refused), the name is made safe and given the extension of the real type, the SHA-256 is
computed, and the text of .docx, .md and .txt files is extracted (NFC-normalized, so that the
same Vietnamese text typed on two machines compares equal).
"""

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from congress.errors import Invalid

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
# Zip bombs: a real draft unpacks to a few megabytes.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_NAME_LENGTH = 120
_PLACEHOLDER = re.compile(r"-{4}(?:media/[^\s-]+|(?:footnote|endnote|comment)\d+)-{4}")


@dataclass(frozen=True)
class CheckedFile:
    name: str
    file_type: str
    data: bytes
    sha256: str
    text: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def content_type(self) -> str:
        return MIME[self.file_type]


def max_upload_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def accepted_message() -> str:
    return _(
        "Accepted: Word (.docx), PDF (.pdf), Markdown (.md) or plain text (.txt) in UTF-8, "
        "up to %(size)s."
    ) % {"size": filesizeformat(max_upload_bytes())}


def refused(message: str, field: str = "file") -> Invalid:
    return Invalid({field: [f"{message} {accepted_message()}"]}, message, code="file_refused")


def refuse(message: str, field: str = "file"):
    raise refused(message, field)


def check_upload(uploaded) -> CheckedFile:
    """Read and check an uploaded file (a Django UploadedFile or any file-like object with a
    name); raise Invalid (400) saying what is accepted."""
    limit = max_upload_bytes()
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        refuse(_("The file is too large (%(size)s).") % {"size": filesizeformat(size)})
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        refuse(_("The file is too large."))
    if not data:
        refuse(_("The file is empty."))
    name = getattr(uploaded, "name", "") or ""
    file_type, text = _identify(data)
    file_type = file_type_of(name, file_type)
    return CheckedFile(
        name=safe_name(name, file_type),
        file_type=file_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
    )


def check_text(text: str, *, name: str = "") -> CheckedFile:
    """A version given as text in JSON: stored as a Markdown file."""
    text = normalize_text(text)
    if not text.strip():
        refuse(_("The text is empty."), field="text")
    data = text.encode("utf-8")
    if len(data) > max_upload_bytes():
        refuse(_("The text is too large."), field="text")
    return CheckedFile(
        name=safe_name(name or "du-thao", "md"),
        file_type="md",
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
    )


def _identify(data: bytes) -> tuple[str, str]:
    if data.startswith(b"PK\x03\x04"):
        return "docx", _docx_text(data)
    if data[:1024].lstrip().startswith(b"%PDF-"):
        _check_pdf(data)
        return "pdf", ""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        refuse(_("This is an old Word (.doc) or Excel file: save it as .docx first."))
    text = _decode_text(data)
    if text is None:
        refuse(_("The file's content is not an accepted type, whatever its name says."))
    if not text.strip():
        refuse(_("The file is empty."))
    return "txt", text


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        refuse(_("This PDF file is damaged or incomplete."))


def _docx_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        names = {m.filename for m in members}
        if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            refuse(_("This archive unpacks to far more than a document would."))
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                refuse(_("This is an OpenDocument (.odt) file: save it as .docx first."))
            refuse(_("This is a zip archive, not a Word document."))
        content_types = _xml_part(archive, "[Content_Types].xml")
        _xml_part(archive, "word/document.xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError):
        refuse(_("This Word file is damaged and cannot be read."))
    if DOCM_MAIN.encode() in content_types:
        refuse(_("Word files with macros (.docm) are not accepted."))
    if DOCX_MAIN.encode() not in content_types:
        refuse(_("This zip file is not a Word document."))
    return extract_docx_text(data)


def _xml_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part of the package, which must be well-formed XML without a DTD (Word never writes
    one; entity tricks would need one)."""
    from lxml import etree

    data = archive.read(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError("DTD in an Office part")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(str(error)) from error
    return data


def extract_docx_text(data: bytes) -> str:
    """The body's paragraphs, one a line; a table's rows as cells joined by " | "."""
    from docx2python import docx2python

    try:
        with docx2python(io.BytesIO(data)) as content:
            body = content.body
    except Exception as error:  # docx2python raises many kinds on a damaged file
        raise refused(_("This Word file is damaged and cannot be read.")) from error
    lines = []
    for table in body:
        single = len(table) == 1 and len(table[0]) == 1
        for row in table:
            cells = [_clean(" ".join(p for p in cell if p.strip())) for cell in row]
            if single:
                lines.extend(_clean(p) for p in row[0] if _clean(p))
            elif any(cells):
                lines.append(" | ".join(cells))
    return normalize_text("\n".join(lines))


def _clean(paragraph: str) -> str:
    return " ".join(_PLACEHOLDER.sub("", paragraph).split())


def _decode_text(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        if b"\x00" in data:
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 1000):
        return None
    return normalize_text(text)


def normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def safe_name(name: str, file_type: str) -> str:
    """A file name to show and to download under: no folders, no control or shell characters,
    the extension of the real type; Vietnamese letters are kept."""
    stem = PurePath(name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = unicodedata.normalize("NFC", stem)
    stem = "".join(ch if ch.isalnum() or ch in " -_()" else "_" for ch in stem)
    stem = re.sub(r"_+", "_", " ".join(stem.split())).strip(" ._-")
    return f"{(stem or 'du-thao')[:MAX_NAME_LENGTH]}.{file_type}"


def file_type_of(name: str, detected: str) -> str:
    """Markdown and plain text look the same: the name decides between those two only."""
    if detected == "txt" and name.lower().endswith((".md", ".markdown")):
        return "md"
    return detected

"""Checking an uploaded draft by what it is, not by what it is called.

Accepted: Word (.docx), PDF, Markdown and plain text in UTF-8, up to
`settings.DOCUMENT_MAX_UPLOAD_BYTES`. The type is read from the content (a renamed executable is
refused), the name is made safe and given the extension of the real type, the SHA-256 is
computed, and the text of .docx, .md and .txt files is extracted (NFC-normalized, so that the
same Vietnamese text typed on two machines compares equal).

What reading a file may cost is bounded (`Limits`, from settings, through congress/files.py,
the one file guard): a small .docx can unpack to gigabytes or hold millions of paragraphs, so
the archive's declared sizes and compression ratio are checked before anything is decompressed,
and the document part is read as a stream, counting
elements, paragraphs and characters and watching the clock, so that an over-limit file is
refused as soon as it passes a limit, never after it has been read whole. PDF text is not
extracted. The caller checks the file before opening its database transaction.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from congress import files
from congress.errors import Invalid, NotFound

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
MAX_ZIP_MEMBERS = 5000
MAX_NAME_LENGTH = 120
# [Content_Types].xml lists a few dozen types; it is read whole.
MAX_CONTENT_TYPES_BYTES = 256 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Text that is not the document's: deleted or moved-away runs, and the old-Word copy of a
# drawing that Word writes next to the modern one (a text box would be read twice).
_SKIPPED = {
    W + "del",
    W + "moveFrom",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Limits:
    """What reading one upload may cost. The defaults come from a 60-page political report
    written the way Word writes it (benchmarks/bench_upload_diff.py): 0.27 MB packed, 2.8 MB
    unpacked, 44,000 XML elements, 851 paragraphs, 108,000 characters."""

    unpacked_bytes: int
    compression_ratio: int
    xml_elements: int
    paragraphs: int
    text_chars: int
    seconds: float

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            unpacked_bytes=getattr(settings, "DOCUMENT_MAX_UNPACKED_BYTES", 24 * 1024 * 1024),
            compression_ratio=getattr(settings, "DOCUMENT_MAX_COMPRESSION_RATIO", 200),
            xml_elements=getattr(settings, "DOCUMENT_MAX_XML_ELEMENTS", 300_000),
            paragraphs=getattr(settings, "DOCUMENT_MAX_PARAGRAPHS", 20_000),
            text_chars=getattr(settings, "DOCUMENT_MAX_TEXT_CHARS", 2_000_000),
            seconds=getattr(settings, "DOCUMENT_MAX_READ_SECONDS", 3.0),
        )


class _Budget:
    """The limits being spent while one file is read."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.clock = files.Clock(limits.seconds)
        self.elements = 0
        self.paragraphs = 0
        self.chars = 0

    def element(self) -> None:
        self.elements += 1
        if self.elements > self.limits.xml_elements:
            refuse(
                _("This Word file is far more complex than a draft (over %(count)s elements).")
                % {"count": number_format(self.limits.xml_elements, force_grouping=True)}
            )
        if self.elements % 4096 == 0:
            self.check_clock()

    def paragraph(self, count: int = 1) -> None:
        self.paragraphs += count
        if self.paragraphs > self.limits.paragraphs:
            refuse(
                _("The draft has more than %(count)s paragraphs or lines.")
                % {"count": number_format(self.limits.paragraphs, force_grouping=True)}
            )

    def text(self, length: int) -> None:
        self.chars += length
        if self.chars > self.limits.text_chars:
            refuse(
                _("The draft's text is longer than %(count)s characters.")
                % {"count": number_format(self.limits.text_chars, force_grouping=True)}
            )

    def check_clock(self) -> None:
        if self.clock.expired():
            refuse(
                _("Reading this file took too long (over %(seconds)s seconds).")
                % {"seconds": number_format(self.limits.seconds)}
            )


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
    try:
        data = files.read_bounded(uploaded, max_upload_bytes())
    except files.Refused as refused:
        if refused.code == "empty":
            refuse(_("The file is empty."))
        if refused.params["size"]:
            refuse(
                _("The file is too large (%(size)s).")
                % {"size": filesizeformat(refused.params["size"])}
            )
        refuse(_("The file is too large."))
    name = getattr(uploaded, "name", "") or ""
    file_type, text = _identify(data, _Budget(Limits.from_settings()))
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
    try:
        _check_text_size(text, _Budget(Limits.from_settings()))
    except Invalid as error:
        raise refused(error.message, field="text") from error
    return CheckedFile(
        name=safe_name(name or "du-thao", "md"),
        file_type="md",
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
    )


def _identify(data: bytes, budget: _Budget) -> tuple[str, str]:
    found = files.kind(data)
    if found == files.ZIP:
        return "docx", _docx_text(data, budget)
    if found == files.PDF:
        _check_pdf(data)
        return "pdf", ""
    if found == files.OLE:
        refuse(_("This is an old Word (.doc) or Excel file: save it as .docx first."))
    text = _decode_text(data)
    if text is None:
        refuse(_("The file's content is not an accepted type, whatever its name says."))
    if not text.strip():
        refuse(_("The file is empty."))
    _check_text_size(text, budget)
    return "txt", text


def _check_text_size(text: str, budget: _Budget) -> None:
    budget.text(len(text))
    budget.paragraph(text.count("\n") + 1)


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        refuse(_("This PDF file is damaged or incomplete."))


def _docx_text(data: bytes, budget: _Budget) -> str:
    try:
        archive = _open_archive(data, budget.limits)
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:200]:
                refuse(_("This is an OpenDocument (.odt) file: save it as .docx first."))
            refuse(_("This is a zip archive, not a Word document."))
        content_types = _content_types(archive)
        if DOCM_MAIN.encode() in content_types:
            refuse(_("Word files with macros (.docm) are not accepted."))
        if DOCX_MAIN.encode() not in content_types:
            refuse(_("This zip file is not a Word document."))
        with archive.open("word/document.xml") as part:
            return extract_docx_text(part, budget)
    except (*files.INFLATE_ERRORS, KeyError):
        refuse(_("This Word file is damaged and cannot be read."))


def _open_archive(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """Zip bombs, judged on the sizes the archive declares, before anything is decompressed."""
    try:
        return files.open_archive(
            data,
            files.ArchiveLimits(
                members=MAX_ZIP_MEMBERS,
                unpacked_bytes=limits.unpacked_bytes,
                compression_ratio=limits.compression_ratio,
            ),
        )
    except files.Refused as refused:
        if refused.code == "damaged":
            raise ValueError("damaged archive") from refused
        if refused.code == "members":
            refuse(_("This archive unpacks to far more than a document would."))
        if refused.code == "unpacked":
            refuse(
                _(
                    "This Word file unpacks to %(size)s, more than a draft would "
                    "(at most %(limit)s)."
                )
                % {
                    "size": filesizeformat(refused.params["size"]),
                    "limit": filesizeformat(refused.params["limit"]),
                }
            )
        refuse(
            _(
                "This Word file is packed far more tightly than a document can be "
                "(%(ratio)s to 1): it is refused as unsafe."
            )
            % {"ratio": number_format(refused.params["ratio"], force_grouping=True)}
        )


def _content_types(archive: zipfile.ZipFile) -> bytes:
    """[Content_Types].xml, which must be small, well-formed XML without a DTD."""
    from lxml import etree

    if archive.getinfo("[Content_Types].xml").file_size > MAX_CONTENT_TYPES_BYTES:
        raise ValueError("oversized content types")
    data = archive.read("[Content_Types].xml")
    parser = etree.XMLParser(**files.SAFE_XML)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(str(error)) from error
    if root.getroottree().docinfo.doctype:
        raise ValueError("DTD in an Office part")
    return data


def extract_docx_text(stream, budget: _Budget | None = None) -> str:
    """The body's paragraphs, one a line; a table's rows as cells joined by " | " (a one-cell
    table, a frame, gives its paragraphs as lines). `stream` is word/document.xml, read as it
    is inflated, within `budget`."""
    from lxml import etree

    budget = budget or _Budget(Limits.from_settings())
    reader = _BodyReader(budget)
    events = etree.iterparse(
        stream,
        events=("start", "end"),
        **files.SAFE_XML,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, element in events:
            if event == "start":
                if budget.elements == 0 and element.getroottree().docinfo.doctype:
                    raise ValueError("DTD in an Office part")
                budget.element()
                reader.start(element)
            else:
                reader.end(element)
    except etree.XMLSyntaxError as error:
        raise ValueError(str(error)) from error
    budget.check_clock()
    return normalize_text("\n".join(reader.lines))


class _BodyReader:
    """Collects paragraphs and tables from iterparse events, and drops each finished block
    from the tree so that memory stays flat whatever the length."""

    def __init__(self, budget: _Budget):
        self.budget = budget
        self.lines: list[str] = []
        self.paragraphs: list[list[str]] = []  # open paragraphs (a text box nests one)
        self.tables = 0  # table nesting depth
        self.rows: list[list[list[str]]] = []  # the outermost table's rows, cells, paragraphs
        self.skipping = 0

    def start(self, element) -> None:
        tag = element.tag
        if tag in _SKIPPED:
            self.skipping += 1
        if self.skipping:
            return
        if tag == W + "p":
            self.paragraphs.append([])
        elif tag == W + "tbl":
            self.tables += 1
        elif self.tables == 1 and tag == W + "tr":
            self.rows.append([])
        elif self.tables == 1 and tag == W + "tc" and self.rows:
            self.rows[-1].append([])

    def end(self, element) -> None:
        tag = element.tag
        if self.skipping:
            self.skipping -= tag in _SKIPPED
            return
        if tag == W + "t" and self.paragraphs and element.text:
            self.budget.text(len(element.text))
            self.paragraphs[-1].append(element.text)
        elif tag in (W + "tab", W + "br", W + "cr") and self.paragraphs:
            self.paragraphs[-1].append(" ")
        elif tag == W + "p" and self.paragraphs:
            self._paragraph("".join(self.paragraphs.pop()))
        if tag == W + "tbl":
            self.tables -= 1
            if self.tables == 0:
                self._table()
        if tag == W + "r" or (
            tag in (W + "p", W + "tbl") and not self.paragraphs and not self.tables
        ):
            # A run's text is taken by now; a paragraph of a million runs stays small too.
            _drop(element)

    def _paragraph(self, text: str) -> None:
        self.budget.paragraph()
        if not self.tables:
            if cleaned := _clean(text):
                self.lines.append(cleaned)
        elif self.rows and self.rows[-1]:
            self.rows[-1][-1].append(text)

    def _table(self) -> None:
        rows, self.rows = self.rows, []
        if len(rows) == 1 and len(rows[0]) == 1:
            self.lines.extend(c for p in rows[0][0] if (c := _clean(p)))
            return
        for row in rows:
            cells = [_clean(" ".join(p for p in cell if p.strip())) for cell in row]
            if any(cells):
                self.lines.append(" | ".join(cells))


def _drop(element) -> None:
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _clean(paragraph: str) -> str:
    return " ".join(paragraph.split())


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
    # The C0 and C1 control characters but tab, line feed, form feed and carriage return.
    controls = len(_CONTROLS.findall(text))
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


def version_download(version) -> FileResponse:
    """The stored file of a version as an attachment, never cached; a file missing from
    storage is a 404 that says so."""
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise NotFound(_("The file of this version is missing from storage.")) from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name,
        content_type=MIME[version.file_type],
    )
    response["Cache-Control"] = "private, no-store"
    return response

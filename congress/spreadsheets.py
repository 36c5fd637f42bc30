"""Rows from a spreadsheet that people made by hand: an .xlsx or a .csv, read within bounds.

Real files carry a header row in Vietnamese or English, columns in any order, a title line
above the header, blank lines, text in NFC or NFD (macOS, some Word exports), a BOM, ';' or ','
separators, numbers where text was meant (a phone number loses its leading 0). Readers get
each data row as a dict of the columns they asked for, every value a stripped NFC string, with
its row number as the file shows it (Excel's row, the csv line), so a message can name it.

What reading may cost is bounded (congress/files.py, the one file guard) before openpyxl
parses anything: the file's size, the archive's unpacked size and ratio, the size of each sheet
and of the shared strings, and how many strings those hold (openpyxl loads them all at once:
1.85 million strings took 17 s of CPU); then the rows and columns read (read-only mode) and the
time spent reading them. Anything that is not a readable spreadsheet, or costs more than a list
of people can, is an Invalid with a message for the person who uploaded it, never a server
error: every file within the bounds is read in well under 2 s (benchmark in DECISIONS.md).
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress import files
from congress.errors import Invalid
from congress.search import fold as search_fold

MAX_COLUMNS = 50
HEADER_SEARCH_ROWS = 10  # a title line or two may stand above the header
MAX_BLANK_ROWS = 10_000  # formatted but empty rows an .xlsx may carry after its data
XLSX, CSV = "xlsx", "csv"
# 2,000 rows of 50 columns of distinct 40-character texts: 100,000 strings, 5.6 MB of shared
# strings and a 3.5 MB sheet, read in 0.6 s. The bounds leave room above that, not orders.
XLSX_LIMITS = files.ArchiveLimits(
    members=1000,
    unpacked_bytes=48 * 1024 * 1024,
    compression_ratio=200,
    parts={"xl/sharedStrings.xml": 10 * 1024 * 1024, "xl/worksheets/": 16 * 1024 * 1024},
)
MAX_SHARED_STRINGS = 120_000
READ_SECONDS = 1.5


@dataclass(frozen=True)
class Column:
    """A column a reader wants: its key in the row dicts, its header's names (any case, with
    or without diacritics), and whether the file must have it."""

    key: str
    aliases: tuple[str, ...]
    required: bool = True
    label: str = ""

    def heading(self) -> str:
        return self.label or self.aliases[0]


@dataclass(frozen=True)
class Row:
    number: int  # as the file shows it: Excel's row number, the csv line
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass
class Sheet:
    kind: str  # XLSX or CSV
    header_row: int
    rows: list[Row] = field(default_factory=list)
    columns: tuple[str, ...] = ()  # the keys found in the header


def fold(text: str) -> str:
    """A header as compared with the aliases: no diacritics (đ as d), no case, no bracketed
    note ("Số điện thoại (không bắt buộc)"), single spaces, no trailing '*' or ':'."""
    text = search_fold(str(text)).casefold()
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    return " ".join(text.replace("_", " ").split()).rstrip("*: ").strip()


def nfc(value) -> str:
    """A cell as text: NFC, stripped, numbers without a trailing '.0', dates dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return date_format(value, "d/m/Y")
    text = unicodedata.normalize("NFC", str(value)).replace("\ufeff", "")
    return text.strip()


def max_upload_bytes() -> int:
    return int(getattr(settings, "SPREADSHEET_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def read_rows(
    uploaded, *, columns: Sequence[Column], max_rows: int = 2000, field_name: str = "file"
) -> Sheet:
    """The data rows of the first sheet of an uploaded .xlsx or .csv (a Django UploadedFile
    or any binary file object), blank rows skipped. Raises Invalid on a file too large, of
    another type, unreadable, without the required columns, or with more than max_rows rows."""
    data = _read_bounded(uploaded, field_name)
    kind = _kind(data, field_name)
    clock = files.Clock(READ_SECONDS)
    lines = _xlsx_lines(data, field_name) if kind == XLSX else _csv_lines(data, field_name)
    return _rows(lines, kind, columns, max_rows, field_name, clock)


def _refuse(field_name: str, message: str, code: str) -> Invalid:
    return Invalid({field_name: [message]}, message=message, code=code)


def _read_bounded(uploaded, field_name: str) -> bytes:
    limit = max_upload_bytes()
    try:
        return files.read_bounded(uploaded, limit)
    except files.Refused as refused:
        if refused.code == "empty":
            raise _refuse(field_name, _("The file is empty."), "file_empty") from refused
        raise _refuse(
            field_name,
            _("The file is larger than %(size)s MB: split it into several files.")
            % {"size": round(limit / 1024 / 1024, 1)},
            "file_too_large",
        ) from refused


def accepted_message() -> str:
    return _("Upload an .xlsx (Excel) or .csv file.")


def _kind(data: bytes, field_name: str) -> str:
    """The type from the content, not the name."""
    found = files.kind(data)
    if found == files.ZIP:
        return XLSX
    if found == files.OLE:  # the old .xls
        raise _refuse(
            field_name,
            _("This is an old Excel file (.xls): save it as .xlsx and upload it again."),
            "file_type",
        )
    if b"\x00" in data[:4096] or data.lstrip().startswith((b"%PDF", b"{\\rtf", b"<")):
        raise _refuse(field_name, accepted_message(), "file_type")
    return CSV


# .xlsx


def _xlsx_lines(data: bytes, field_name: str):
    try:
        archive = files.open_archive(data, XLSX_LIMITS)
        if "xl/workbook.xml" not in archive.namelist():  # a .docx, an .ods, any other archive
            raise _refuse(field_name, accepted_message(), "file_type")
        files.count_in_part(archive, "xl/sharedStrings.xml", b"si", MAX_SHARED_STRINGS)
    except files.Refused as refused:
        if refused.code == "damaged":
            raise _refuse(field_name, accepted_message(), "file_type") from refused
        raise _refuse(field_name, _too_large_message(refused), "file_too_large") from refused
    except files.INFLATE_ERRORS as error:  # while counting
        raise _refuse(field_name, accepted_message(), "file_type") from error
    return _xlsx_cells(archive, field_name)


def _too_large_message(refused: files.Refused) -> str:
    if refused.code == "count":
        return _(
            "The spreadsheet holds more than %(count)s different texts, more than a list "
            "can: upload a file with only the sheet to import."
        ) % {"count": number_format(refused.params["limit"], force_grouping=True)}
    return _("The spreadsheet is too large once unpacked.")


def _xlsx_cells(archive: zipfile.ZipFile, field_name: str):
    from openpyxl import load_workbook  # heavy: loaded when a spreadsheet is read

    try:
        book = load_workbook(archive.fp, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken workbook
        raise _refuse(
            field_name,
            _("The spreadsheet cannot be read: %(error)s") % {"error": error},
            "file_unreadable",
        ) from error
    try:
        sheets = [s for s in book.worksheets if getattr(s, "sheet_state", "visible") == "visible"]
        if not sheets:
            return
        rows = sheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=1):
            yield number, [nfc(c) for c in cells]
    except Invalid:
        raise
    except Exception as error:
        raise _refuse(
            field_name,
            _("The spreadsheet cannot be read: %(error)s") % {"error": error},
            "file_unreadable",
        ) from error
    finally:
        book.close()


# .csv


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else the Vietnamese Windows code page that Excel's plain
    "CSV" export writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _csv_lines(data: bytes, field_name: str):
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    line = 1
    try:
        for cells in reader:
            yield line, [nfc(c) for c in cells[:MAX_COLUMNS]]
            line = reader.line_num + 1
    except csv.Error as error:
        raise _refuse(
            field_name,
            _("Line %(line)s of the file cannot be read: %(error)s")
            % {"line": line, "error": error},
            "file_unreadable",
        ) from error


# header and rows


def _match_header(cells: list[str], columns: Sequence[Column]) -> dict[int, str]:
    """Column index -> key, for the cells that name a wanted column."""
    aliases = {fold(a): c.key for c in columns for a in (c.key, *c.aliases)}
    return {i: aliases[fold(c)] for i, c in enumerate(cells) if c and fold(c) in aliases}


def _rows(
    lines, kind: str, columns: Sequence[Column], max_rows: int, field_name: str, clock
) -> Sheet:
    header, header_row, searched = None, 0, 0
    sheet = None
    blank = 0
    for number, cells in lines:
        if clock.expired():
            raise _refuse(
                field_name,
                _("Reading this file took too long (over %(seconds)s seconds).")
                % {"seconds": number_format(clock.seconds)},
                "file_too_large",
            )
        if not any(cells):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                break
            continue
        if header is None:
            searched += 1
            found = _match_header(cells, columns)
            if len(set(found.values())) >= min(2, len(columns)):
                header, header_row = found, number
                sheet = _sheet(kind, header, header_row, cells, columns, field_name)
            elif searched >= HEADER_SEARCH_ROWS:
                break
            continue
        values = {key: (cells[i] if i < len(cells) else "") for i, key in header.items()}
        if not any(values.values()):
            continue  # text only in columns nobody asked for (a total, a note)
        if len(sheet.rows) >= max_rows:
            raise _too_many(field_name, max_rows)
        sheet.rows.append(Row(number, values))
    if sheet is None:
        raise _missing(field_name, columns, [c for c in columns if c.required])
    return sheet


def _sheet(kind, header, header_row, cells, columns, field_name) -> Sheet:
    seen: dict[str, int] = {}
    for index, key in header.items():
        if key in seen:
            raise _refuse(
                field_name,
                _("The column “%(name)s” appears twice in the header (row %(row)s).")
                % {"name": cells[index], "row": header_row},
                "duplicate_column",
            )
        seen[key] = index
    missing = [c for c in columns if c.required and c.key not in seen]
    if missing:
        raise _missing(field_name, columns, missing)
    return Sheet(kind=kind, header_row=header_row, columns=tuple(seen))


def _missing(field_name: str, columns: Sequence[Column], missing: Sequence[Column]) -> Invalid:
    message = ngettext(
        "The column %(names)s is missing. The header row names these columns: %(all)s.",
        "The columns %(names)s are missing. The header row names these columns: %(all)s.",
        len(missing),
    ) % {
        "names": ", ".join(f"“{c.heading()}”" for c in missing),
        "all": ", ".join(f"“{c.heading()}”" for c in columns),
    }
    return Invalid(
        {field_name: [message]},
        message=message,
        code="missing_columns",
        missing=[c.key for c in missing],
    )


def _too_many(field_name: str, max_rows: int) -> Invalid:
    message = _("The file has more than %(max)s rows: split it into several files.") % {
        "max": max_rows
    }
    return _refuse(field_name, message, "too_many_rows")

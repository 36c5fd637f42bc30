"""Excel and Word building blocks shared by the exports, and the targets workbook: every
target of an organization's list (its predecessors' included) with its result and status for
each reporting period, and the "X/Y đạt và vượt" summary per period.

The caller has applied the visibility rule: these functions lay out only what they are given.
"""

import io
import re
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Organization, Target
from congress.targets import STATUS_LABELS, PeriodSummary, period_summary, periods_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# XML 1.0 (both file formats) has no place for control characters.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text) -> str:
    return _CONTROL.sub("", str(text or ""))


def number(value: Decimal | None):
    """A Decimal as Excel and Word show it: 95 rather than 95.0000."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def number_text(value: Decimal | None) -> str:
    """A number as Vietnamese write it: 1.005,6."""
    shown = number(value)
    if shown is None:
        return ""
    text = f"{shown:,}" if isinstance(shown, int) else f"{shown:,.4f}".rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def guard_formulas(sheet) -> None:
    """Text someone wrote that starts with "=" stays text, never a formula to evaluate."""
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
                cell.quotePrefix = True


def xlsx_bytes(book) -> bytes:
    for sheet in book.worksheets:
        guard_formulas(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_widths(sheet, widths, start: int = 1) -> None:
    """Set the widths of consecutive columns, from column number `start`."""
    from openpyxl.utils import get_column_letter

    for column, width in enumerate(widths, start=start):
        sheet.column_dimensions[get_column_letter(column)].width = width


def bold_row(sheet, row: int = 1) -> None:
    from openpyxl.styles import Font

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def docx_table(word, heads: list[str]):
    table = word.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = clean(text)
    return table


def docx_row(table, values) -> None:
    for cell, value in zip(table.add_row().cells, values, strict=True):
        cell.text = clean(value)


def docx_heading(
    word, organization: Organization, title: str, subtitle: str = "", *, on: date | None = None
) -> None:
    """The heading of a party document: the organization and the Party's name side by side,
    the date (`on`, today by default), then the title."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    header = word.add_table(rows=1, cols=2)
    header.cell(0, 0).text = clean(organization.name.upper())
    header.cell(0, 1).text = _("COMMUNIST PARTY OF VIETNAM")
    today = on or timezone.localdate()
    dated = word.add_paragraph(
        _("Date: %(day)02d/%(month)02d/%(year)s")
        % {"day": today.day, "month": today.month, "year": today.year}
    )
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_heading(clean(title), level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if subtitle:
        word.add_paragraph(clean(subtitle)).alignment = WD_ALIGN_PARAGRAPH.CENTER


def new_word():
    from docx import Document as WordDocument
    from docx.shared import Pt

    word = WordDocument()
    word.styles["Normal"].font.name = "Times New Roman"
    word.styles["Normal"].font.size = Pt(13)
    return word


def word_bytes(word) -> bytes:
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# Targets -----------------------------------------------------------------------------------


def summary_row(summary: PeriodSummary) -> list:
    return [
        summary.label,
        summary.total,
        summary.exceeded,
        summary.met,
        summary.not_met,
        summary.not_reported,
        summary.met_or_exceeded,
        summary.text,
    ]


def summary_heads() -> list[str]:
    return [
        _("Period"),
        _("Targets"),
        _("Exceeded"),
        _("Met"),
        _("Not met"),
        _("Not reported"),
        _("Met or exceeded"),
        _("Summary"),
    ]


def target_cells(target: Target) -> list:
    return [
        clean(target.resolution.organization.name),
        clean(target.resolution.code),
        clean(target.code),
        clean(target.name),
        clean(target.unit),
        number(target.baseline),
        number(target.target_value),
        str(target.get_direction_display()),
    ]


def target_heads() -> list[str]:
    return [
        _("Organization"),
        _("Resolution"),
        _("Code"),
        _("Target"),
        _("Unit"),
        _("Baseline"),
        _("Target value"),
        _("Direction"),
    ]


def targets_xlsx(organization: Organization, targets) -> bytes:
    """Sheet 1: each target with its value and status for each period; sheet 2: the summary
    "X/Y đạt và vượt" per period."""
    from openpyxl import Workbook

    targets = list(targets)
    periods = periods_of(targets)
    summaries = [period_summary(targets, period, year) for period, year in periods]
    book = Workbook()
    sheet = book.active
    sheet.title = _("Targets")[:31]
    heads = [_("No."), *target_heads()]
    for summary in summaries:
        heads += [f"{summary.label}: {_('value')}", f"{summary.label}: {_('status')}"]
    sheet.append(heads)
    bold_row(sheet)
    for index, target in enumerate(targets, start=1):
        row = [index, *target_cells(target)]
        for summary in summaries:
            _target, result, status = summary.rows[index - 1]
            row += [number(result.value) if result else None, str(STATUS_LABELS[status])]
        sheet.append(row)
    column_widths(sheet, (6, 28, 14, 8, 60, 14, 12, 12, 12))
    sheet.freeze_panes = "A2"
    overview = book.create_sheet(_("Summary")[:31])
    overview.append([_("Targets of %(organization)s") % {"organization": clean(organization.name)}])
    overview.append(summary_heads())
    bold_row(overview, 2)
    for summary in summaries:
        overview.append(summary_row(summary))
    overview.column_dimensions["A"].width = 28
    overview.column_dimensions["H"].width = 40
    return xlsx_bytes(book)

"""The oversight table as an Excel workbook, in Vietnamese whatever the reader's language: the
superior level files and forwards it as a report (docs/DECISIONS.md, Oversight). The rows are
workflows.selectors.oversight's, already filtered by what the reader may see."""

from datetime import date

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress import exports
from congress.models import Organization
from workflows.models import Document
from workflows.selectors.oversight import Forecast, OversightRow

DATE_FORMAT = "DD/MM/YYYY"


def forecast_text(forecast: Forecast) -> str:
    """The forecast against the superior-review deadline in a few words."""
    if forecast.slack is None:
        return _("No forecast")
    if forecast.late_by:
        return ngettext(
            "Late by %(n)s working day", "Late by %(n)s working days", forecast.late_by
        ) % {"n": forecast.late_by}
    return _("On time")


def documents_text(states: dict[str, int]) -> str:
    labels = dict(Document.Status.choices)
    return "; ".join(
        f"{labels[value]}: {states[value]}" for value in Document.Status.values if states.get(value)
    )


def waiting_text(row: OversightRow) -> str:
    parts = []
    for document in row.waiting:
        if document.since is None:
            parts.append(document.title)
            continue
        parts.append(
            _("%(title)s (since %(day)s, %(days)s working days)")
            % {
                "title": document.title,
                "day": date_format(timezone.localdate(document.since), "d/m/Y"),
                "days": document.working_days,
            }
        )
    return "; ".join(parts)


def oversight_xlsx(organization: Organization, rows: list[OversightRow], today: date) -> bytes:
    from openpyxl import Workbook

    with translation.override("vi"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Oversight")[:31]
        sheet.append(
            [
                _("Preparation of the congresses under %(organization)s, on %(day)s")
                % {"organization": organization.name, "day": date_format(today, "d/m/Y")}
            ]
        )
        sheet.append(_heads())
        exports.bold_row(sheet, 2)
        for row in rows:
            sheet.append(_cells(row))
            line = sheet.max_row
            for column in ("E", "F"):
                sheet[f"{column}{line}"].number_format = DATE_FORMAT
            sheet[f"M{line}"].number_format = "0%"
        exports.column_widths(sheet, [30, 14, 50, 14, 13, 13, 11, 22, 9, 40, 9, 9, 9, 9, 40, 50])
        sheet.freeze_panes = "A3"
        return exports.xlsx_bytes(book)


def _heads() -> list[str]:
    return [
        _("Party organization"),
        _("Level"),
        _("Congress"),
        _("Status"),
        _("Opens on"),
        _("Superior review deadline"),
        _("Working days to the deadline"),
        _("Forecast"),
        _("Late by (working days)"),
        _("Task driving the forecast"),
        _("Tasks"),
        _("Done"),
        _("Share done"),
        _("Overdue tasks"),
        _("Documents by state"),
        _("Documents waiting for the superior level"),
    ]


def _cells(row: OversightRow) -> list:
    congress, forecast = row.congress, row.forecast
    return [
        row.organization.name,
        row.organization.get_level_display(),
        congress.title,
        congress.get_status_display(),
        congress.opens_on,
        row.superior_review_due,
        row.days_to_deadline,
        forecast_text(forecast),
        forecast.late_by,
        forecast.driver_title,
        row.tasks,
        row.done,
        row.done_share,
        row.overdue,
        documents_text(row.documents_by_state),
        waiting_text(row),
    ]

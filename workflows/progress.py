"""The progress report of a congress's preparation, as Word and Excel: per body the tasks done,
open and overdue, the documents by state, and the resolution targets' summary for a period
("X/Y chỉ tiêu đạt và vượt").

`progress_report` gathers the figures once through the visibility rule (the dashboard's
selectors: a member outside the personnel subcommittee gets no row for it); the two layout
functions only lay them out.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congress import exports
from congress.models import Congress, TargetResult
from congress.numerals import roman
from congress.targets import (
    STATUS_LABELS,
    PeriodSummary,
    latest_period,
    period_summary,
    targets_of,
)
from workflows.models import Document
from workflows.selectors.tasks import congress_dashboard

BODY_COLUMNS = ("total", "done", "open", "overdue")
PERIODS = list(TargetResult.Period.values)


@dataclass
class ProgressReport:
    congress: Congress
    opens_on: date
    superior_review_due: date
    days_to_opening: int
    bodies: list[dict]  # name, kind, total, done, open, overdue
    totals: dict[str, int]
    documents_by_state: list[tuple[str, str, int]]  # state, label, count
    targets: PeriodSummary | None


def progress_report(
    user, congress: Congress, *, period: str | None = None, year: int | None = None
) -> ProgressReport:
    """The figures of the report, as `user` may see them. The targets are those of the
    congress's organization and its predecessors, for `period` and `year` (default: the
    latest period with a result)."""
    dashboard = congress_dashboard(user, congress)
    states = dashboard["documents_by_state"]
    targets = list(targets_of(user, congress.organization))
    chosen = (period, year) if period and year else latest_period(targets)
    return ProgressReport(
        congress=congress,
        opens_on=dashboard["opens_on"],
        superior_review_due=dashboard["superior_review_due"],
        days_to_opening=dashboard["days_to_opening"],
        bodies=dashboard["bodies"],
        totals={key: dashboard["tasks"][key] for key in BODY_COLUMNS},
        documents_by_state=[
            (state, str(label), states[state])
            for state, label in Document.Status.choices
            if states.get(state)
        ],
        targets=period_summary(targets, *chosen) if chosen else None,
    )


def _heads() -> list[str]:
    # "Open" alone already means a button elsewhere: the context keeps the translations apart.
    return [_("Body"), _("Tasks"), _("Done"), pgettext("task count", "Open"), _("Overdue")]


def _title(report: ProgressReport) -> tuple[str, str]:
    congress = report.congress
    subtitle = _("%(organization)s congress %(number)s, term %(start)s-%(end)s") % {
        "organization": congress.organization.name,
        "number": roman(congress.number),
        "start": congress.term_start,
        "end": congress.term_end,
    }
    return _("Progress of the congress preparation").upper(), subtitle


def _facts(report: ProgressReport) -> list[str]:
    opening = date_format(report.opens_on)
    return [
        _("Opens on %(date)s (in %(days)s days).")
        % {"date": opening, "days": report.days_to_opening}
        if report.days_to_opening >= 0
        else _("Opened on %(date)s.") % {"date": opening},
        _("Superior review deadline: %(date)s.")
        % {"date": date_format(report.superior_review_due)},
    ]


def progress_docx(report: ProgressReport) -> bytes:
    word = exports.new_word()
    exports.docx_heading(word, report.congress.organization, *_title(report))
    for line in _facts(report):
        word.add_paragraph(line)
    word.add_heading(_("I. Tasks by body"), level=1)
    table = exports.docx_table(word, _heads())
    for body in report.bodies:
        exports.docx_row(table, [body["name"], *(str(body[k]) for k in BODY_COLUMNS)])
    exports.docx_row(table, [_("Total"), *(str(report.totals[k]) for k in BODY_COLUMNS)])
    word.add_heading(_("II. Documents by state"), level=1)
    table = exports.docx_table(word, [_("State"), _("Documents")])
    for _state, label, count in report.documents_by_state:
        exports.docx_row(table, [label, str(count)])
    word.add_heading(_("III. Resolution targets"), level=1)
    _docx_targets(word, report.targets)
    return exports.word_bytes(word)


def _docx_targets(word, summary: PeriodSummary | None) -> None:
    if summary is None:
        word.add_paragraph(_("No target results have been recorded yet."))
        return
    word.add_paragraph(f"{summary.label}: {summary.text}.")
    table = exports.docx_table(
        word, [_("Code"), _("Target"), _("Unit"), _("Target value"), _("Result"), _("Status")]
    )
    for target, result, status in summary.rows:
        exports.docx_row(
            table,
            [
                target.code,
                target.name,
                target.unit,
                exports.number_text(target.target_value),
                exports.number_text(result.value) if result else "",
                str(STATUS_LABELS[status]),
            ],
        )


def progress_xlsx(report: ProgressReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Tasks by body")[:31]
    title, subtitle = _title(report)
    for line in (title, subtitle, *_facts(report)):
        sheet.append([line])
    sheet.append([])
    sheet.append(_heads())
    exports.bold_row(sheet, sheet.max_row)
    for body in report.bodies:
        sheet.append([exports.clean(body["name"]), *(body[k] for k in BODY_COLUMNS)])
    sheet.append([_("Total"), *(report.totals[k] for k in BODY_COLUMNS)])
    sheet.column_dimensions["A"].width = 40
    documents = book.create_sheet(_("Documents")[:31])
    documents.append([_("State"), _("Documents")])
    exports.bold_row(documents)
    for _state, label, count in report.documents_by_state:
        documents.append([label, count])
    documents.column_dimensions["A"].width = 32
    _xlsx_targets(book.create_sheet(_("Targets")[:31]), report.targets)
    return exports.xlsx_bytes(book)


def _xlsx_targets(sheet, summary: PeriodSummary | None) -> None:
    if summary is None:
        sheet.append([_("No target results have been recorded yet.")])
        return
    sheet.append([summary.label, summary.text])
    sheet.append(exports.summary_heads())
    exports.bold_row(sheet, 2)
    sheet.append(exports.summary_row(summary))
    sheet.append([])
    sheet.append([*exports.target_heads(), _("Result"), _("Status"), _("Note")])
    exports.bold_row(sheet, sheet.max_row)
    for target, result, status in summary.rows:
        sheet.append(
            [
                *exports.target_cells(target),
                exports.number(result.value) if result else None,
                str(STATUS_LABELS[status]),
                exports.clean(result.note) if result else "",
            ]
        )
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["D"].width = 60

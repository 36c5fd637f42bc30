"""The comment summary report (*Báo cáo tổng hợp, tiếp thu, giải trình ý kiến góp ý*) as Word
and Excel files: the counts at the top (per disposition, per source, per section), the
organizations consulted and which answered (their invitations), then every
comment by section in the order of the document (workflows/ordering.py) and by source, with its
disposition and the drafters' response.

`comment_summary` gathers the figures once; `summary_docx` and `summary_xlsx` only lay them out.
The caller has already applied the visibility rule: these functions see only what it passes.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import exports
from congress.language import in_language_of
from workflows.models import Comment, ConsultationInvitation, Document
from workflows.ordering import document_order, sort_key
from workflows.selectors.documents import document_comments

_capfirst_lazy = lazy(capfirst, str)
DISPOSITIONS = [
    Comment.Disposition.ACCEPTED,
    Comment.Disposition.PARTLY_ACCEPTED,
    Comment.Disposition.NOT_ACCEPTED,
    Comment.Disposition.PENDING,
]


@dataclass
class Row:
    number: int
    section: str
    source: str
    text: str
    disposition: str
    disposition_label: str
    response: str
    version: int
    round: int
    answered_by: str
    created_at: datetime


@dataclass
class Group:
    source: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Section:
    name: str
    groups: list[Group] = field(default_factory=list)


@dataclass
class Consulted:
    """One organization invited to comment, and what came of it."""

    name: str
    status_label: str
    answered_at: datetime | None
    comments: int
    opinions: int


@dataclass
class Summary:
    document: Document
    round: int | None
    generated_at: datetime
    sections: list[Section]
    by_disposition: dict[str, int]
    by_source: list[tuple[str, dict[str, int]]]
    by_section: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    consulted: list[Consulted] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_disposition.values())

    def rows(self) -> list[Row]:
        return [row for s in self.sections for g in s.groups for row in g.rows]


def source_of(comment: Comment) -> str:
    if comment.source:
        return comment.source
    if comment.author is not None:
        return comment.author.get_full_name() or comment.author.username
    return _("Unknown")


def comment_summary(
    document: Document, comments, *, round: int | None = None, text: str = ""
) -> Summary:
    """Group `comments` (with `version` and `author` loaded) by section, in the order the
    sections appear in `text` (the version's text; natural order for what it does not hold),
    general comments first, then by source in Vietnamese alphabetical order."""
    by_section: dict[str, dict[str, list[Comment]]] = {}
    for comment in comments:
        sources = by_section.setdefault(comment.section.strip(), {})
        sources.setdefault(source_of(comment), []).append(comment)
    general = _("General comments")
    sections, number = [], 0
    counts, per_source, per_section = Counter(), {}, []
    named = document_order([name for name in by_section if name], text)
    for name in ([""] if "" in by_section else []) + named:
        section = Section(name=name or general)
        in_section = Counter()
        for source in sorted(by_section[name], key=sort_key):
            group = Group(source=source)
            for comment in by_section[name][source]:
                number += 1
                in_section[comment.disposition] += 1
                per_source.setdefault(source, Counter())[comment.disposition] += 1
                group.rows.append(_row(number, section.name, source, comment))
            section.groups.append(group)
        sections.append(section)
        counts.update(in_section)
        per_section.append((section.name, _by_disposition(in_section)))
    return Summary(
        document=document,
        round=round,
        generated_at=timezone.localtime(),
        sections=sections,
        by_disposition=_by_disposition(counts),
        by_source=[
            (source, _by_disposition(c))
            for source, c in sorted(per_source.items(), key=lambda item: sort_key(item[0]))
        ],
        by_section=per_section,
    )


def _by_disposition(counts: Counter) -> dict[str, int]:
    return {d: counts.get(d, 0) for d in DISPOSITIONS}


def _row(number: int, section: str, source: str, comment: Comment) -> Row:
    answered_by = comment.answered_by
    return Row(
        number=number,
        section=section,
        source=source,
        text=comment.text,
        disposition=comment.disposition,
        disposition_label=str(comment.get_disposition_display()),
        response=comment.response,
        version=comment.version.number,
        round=comment.version.round,
        answered_by=(answered_by.get_full_name() or answered_by.username) if answered_by else "",
        created_at=timezone.localtime(comment.created_at),
    )


def _label(disposition: str) -> str:
    return str(Comment.Disposition(disposition).label)


def _title(summary: Summary) -> tuple[str, str]:
    document = summary.document
    subtitle = _("on the draft “%(title)s”") % {"title": document.title}
    if summary.round:
        subtitle += " " + _("(draft round %(round)s)") % {"round": summary.round}
    return _("Summary of comments received, taken in and explained").upper(), subtitle


def summary_docx(summary: Summary) -> bytes:
    word = exports.new_word()
    organization = summary.document.congress.organization
    exports.docx_heading(word, organization, *_title(summary), on=summary.generated_at.date())
    word.add_heading(_("I. Overview"), level=1)
    word.add_paragraph(_("Comments received: %(count)s.") % {"count": summary.total})
    word.add_paragraph(_("Of which: %(counts)s.") % {"counts": _counts_text(summary)})
    _docx_counts(word, _("Source"), summary.by_source, summary)
    if summary.by_section:
        word.add_paragraph()
        _docx_counts(word, _("Section"), summary.by_section, summary)
    if summary.consulted:
        word.add_heading(_("II. Organizations consulted"), level=1)
        _docx_consulted(word, summary.consulted)
        word.add_heading(_("III. Comments, by section and source"), level=1)
    else:
        word.add_heading(_("II. Comments, by section and source"), level=1)
    for section in summary.sections:
        word.add_heading(exports.clean(section.name), level=2)
        table = exports.docx_table(
            word, [_("No."), _("Source"), _("Comment"), _("Disposition"), _("Response")]
        )
        for row in (row for group in section.groups for row in group.rows):
            values = [str(row.number), row.source, row.text, row.disposition_label, row.response]
            exports.docx_row(table, values)
    return exports.word_bytes(word)


def _answered_text(consulted: Consulted) -> str:
    if consulted.answered_at is None:
        return _("Not answered")
    return timezone.localtime(consulted.answered_at).strftime("%d/%m/%Y %H:%M")


def _consulted_line(consulted: list[Consulted]) -> str:
    answered = sum(1 for c in consulted if c.answered_at is not None)
    return _(
        "Organizations consulted: %(count)s; answered: %(answered)s; not answered: %(not)s."
    ) % {
        "count": len(consulted),
        "answered": answered,
        "not": len(consulted) - answered,
    }


CONSULTED_HEADINGS = (
    gettext_lazy("No."),
    gettext_lazy("Organization"),
    gettext_lazy("Link"),
    gettext_lazy("Answered"),
    gettext_lazy("Comments"),
    gettext_lazy("Written opinion"),
)


def _consulted_values(number: int, consulted: Consulted) -> list:
    return [
        number,
        exports.clean(consulted.name),
        consulted.status_label,
        _answered_text(consulted),
        consulted.comments,
        consulted.opinions,
    ]


def _docx_consulted(word, consulted: list[Consulted]) -> None:
    word.add_paragraph(_consulted_line(consulted))
    table = exports.docx_table(word, [str(h) for h in CONSULTED_HEADINGS])
    for number, item in enumerate(consulted, 1):
        exports.docx_row(table, [str(v) for v in _consulted_values(number, item)])


def _counts_text(summary: Summary) -> str:
    return "; ".join(f"{_label(d).lower()} {summary.by_disposition[d]}" for d in DISPOSITIONS)


def _docx_counts(word, heading: str, counted: list[tuple[str, dict]], summary: Summary) -> None:
    """A table of the comments per disposition of each source (or section), with the total."""
    table = exports.docx_table(word, [heading, *(_label(d) for d in DISPOSITIONS), _("Total")])
    for name, by in counted:
        exports.docx_row(table, [name, *(str(by[d]) for d in DISPOSITIONS), str(sum(by.values()))])
    totals = (str(summary.by_disposition[d]) for d in DISPOSITIONS)
    exports.docx_row(table, [_("Total"), *totals, str(summary.total)])


XLSX_COLUMNS = (
    # heading, width
    (gettext_lazy("No."), 6),
    (gettext_lazy("Section"), 28),
    (gettext_lazy("Source"), 30),
    (_capfirst_lazy(gettext_lazy("version")), 9),
    (gettext_lazy("Draft round"), 9),
    (gettext_lazy("Comment"), 60),
    (gettext_lazy("Disposition"), 18),
    (gettext_lazy("Response"), 60),
    (_capfirst_lazy(gettext_lazy("answered by")), 22),
    (gettext_lazy("Received at"), 18),
)


def summary_xlsx(summary: Summary) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    _xlsx_overview(book.active, summary)
    _xlsx_comments(book.create_sheet(_("Comments")[:31]), summary)
    if summary.consulted:
        _xlsx_consulted(book.create_sheet(_("Organizations consulted")[:31]), summary.consulted)
    return exports.xlsx_bytes(book)


def _xlsx_consulted(sheet, consulted: list[Consulted]) -> None:
    sheet.append([_consulted_line(consulted)])
    sheet.append([str(h) for h in CONSULTED_HEADINGS])
    exports.bold_row(sheet, sheet.max_row)
    for number, item in enumerate(consulted, 1):
        sheet.append(_consulted_values(number, item))
    exports.column_widths(sheet, [6, 40, 16, 18, 10, 14])


def _xlsx_overview(sheet, summary: Summary) -> None:
    from openpyxl.styles import Font

    sheet.title = _("Overview")[:31]
    title, subtitle = _title(summary)
    sheet.append([title])
    sheet.append([exports.clean(subtitle)])
    sheet.append([_("Comments received"), summary.total])
    for disposition in DISPOSITIONS:
        sheet.append([_label(disposition), summary.by_disposition[disposition]])
    for heading, counted in ((_("Source"), summary.by_source), (_("Section"), summary.by_section)):
        sheet.append([])
        sheet.append([heading, *(_label(d) for d in DISPOSITIONS), _("Total")])
        exports.bold_row(sheet, sheet.max_row)
        for name, by in counted:
            sheet.append([exports.clean(name), *(by[d] for d in DISPOSITIONS), sum(by.values())])
        totals = (summary.by_disposition[d] for d in DISPOSITIONS)
        sheet.append([_("Total"), *totals, summary.total])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 45


def _xlsx_comments(sheet, summary: Summary) -> None:
    from openpyxl.styles import Alignment

    sheet.append([str(heading) for heading, _width in XLSX_COLUMNS])
    exports.bold_row(sheet)
    for row in summary.rows():
        texts = (row.section, row.source)
        after = (row.disposition_label, exports.clean(row.response), exports.clean(row.answered_by))
        created = row.created_at.replace(tzinfo=None)  # Excel has no time zones: local time
        sheet.append(
            [
                row.number,
                *map(exports.clean, texts),
                row.version,
                row.round,
                exports.clean(row.text),
                *after,
                created,
            ]
        )
    exports.column_widths(sheet, [width for _heading, width in XLSX_COLUMNS])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


SUMMARY_FORMATS = {
    "docx": (summary_docx, exports.DOCX_TYPE),
    "xlsx": (summary_xlsx, exports.XLSX_TYPE),
}


def comment_summary_file(
    document: Document, *, round: int | None, fmt: str, user
) -> tuple[bytes, str, str]:
    """The comment summary of `document` (only the comments on drafts of `round`, if given)
    as a `fmt` file ("docx" or "xlsx") in `user`'s language: (bytes, content type, name).
    Sections follow the latest version's text (of that round)."""
    comments = document_comments(document)
    versions = document.versions.order_by("-number")
    if round is not None:
        comments = comments.filter(version__round=round)
        versions = versions.filter(round=round)
    text = versions.exclude(text="").values_list("text", flat=True).first() or ""
    render, content_type = SUMMARY_FORMATS[fmt]
    with in_language_of(user):
        summary = comment_summary(document, comments, round=round, text=text)
        summary.consulted = consulted_of(document, round=round)
        content = render(summary)
    return content, content_type, f"tong-hop-y-kien-van-kien-{document.pk}.{fmt}"


def consulted_of(document: Document, *, round: int | None) -> list[Consulted]:
    """The organizations invited to comment (on `round`, if given), in Vietnamese order;
    a link revoked before any answer is left out (the drafters withdrew that invitation)."""
    invitations = (
        document.invitations.annotate(
            comment_count=Count("comments", distinct=True),
            opinion_count=Count("opinions", distinct=True),
        )
        .select_related("delivery")
        .exclude(revoked_at__isnull=False, answered_at=None)
    )
    if round is not None:
        invitations = invitations.filter(round=round)
    now = timezone.now()
    consulted = []
    for invitation in invitations.order_by("id"):
        invitation.document = document
        status = ConsultationInvitation.Status(invitation.status_at(now))
        consulted.append(
            Consulted(
                name=invitation.name,
                status_label=str(status.label),
                answered_at=invitation.answered_at,
                comments=invitation.comment_count,
                opinions=invitation.opinion_count,
            )
        )
    return sorted(consulted, key=lambda c: sort_key(c.name))

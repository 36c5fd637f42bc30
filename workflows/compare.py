"""A Word comparison of two versions (*bản so sánh*): version M's text as a .docx in which what
changed since version N is a Word tracked change (`w:ins` / `w:del`, by version M's drafter,
dated when version M was added), so the standing committee can open it in Word and accept or
reject each change.

It is built from the paragraph diff the product already computes and caches
(`workflows.diff.diff_versions`): paragraphs outside the diff's hunks are unchanged, inserted
and deleted paragraphs are tracked whole (their paragraph mark included, so accepting a
deletion leaves no empty paragraph), and a changed paragraph carries the diff's word segments.
A diff too large to compute is a 400, as the diff itself says it cannot be shown. The caller
has applied the visibility rule (`document_get`).
"""

from datetime import UTC

from django.utils.translation import gettext as _

from congress import exports
from congress.errors import Conflict, DomainError, Invalid, NotFound
from workflows.diff import diff_versions, too_large_message
from workflows.models import Document, DocumentVersion
from workflows.selectors.documents import document_versions_to_compare


def compare_versions(
    document: Document, old: int | None, new: int | None
) -> tuple[DocumentVersion, DocumentVersion]:
    """The two versions to compare (by default the latest and the one before), or a 400 that
    says why not: a version that does not exist, one without text, or `old` not before `new`."""
    if old is not None and new is not None and old >= new:
        raise Invalid({"from": [_("Compare an older version with a newer one (from < to).")]})
    try:
        first, second = document_versions_to_compare(document, old, new)
    except (Conflict, NotFound) as error:
        raise DomainError(error.message, code=error.code) from error
    if first.number >= second.number:
        raise Invalid({"from": [_("Compare an older version with a newer one (from < to).")]})
    return first, second


def compare_file(document: Document, old: int | None, new: int | None) -> tuple[bytes, str, str]:
    """(bytes, content type, file name) of the comparison of versions `old` and `new`."""
    first, second = compare_versions(document, old, new)
    result = diff_versions(first, second)
    if result.get("too_large"):
        raise DomainError(too_large_message(result), code="diff_too_large")
    content = tracked_changes_docx(document, first, second, result)
    name = f"so-sanh-van-kien-{document.pk}-v{first.number}-v{second.number}.docx"
    return content, exports.DOCX_TYPE, name


def tracked_changes_docx(
    document: Document, old: DocumentVersion, new: DocumentVersion, result: dict
) -> bytes:
    word = exports.new_word()
    author = _author(new)
    properties = word.core_properties
    properties.title = exports.clean(document.title)[:255]
    properties.subject = exports.clean(
        _("Version %(new)s with the changes since version %(old)s")
        % {"new": new.number, "old": old.number}
    )[:255]
    properties.author = properties.last_modified_by = author[:255]
    _track_revisions(word)
    writer = _Writer(word, author=author, date=_word_date(new))
    for op, content in paragraphs(new.text, result):
        writer.paragraph(op, content)
    return exports.word_bytes(word)


def paragraphs(text: str, result: dict):
    """(op, content) for every paragraph of the new text in order, with the deleted ones
    where they were: `equal`/`insert`/`delete` with the paragraph's text, `replace` with its
    word segments. Lines between the diff's hunks are unchanged."""
    lines = text.split("\n") if text else []
    position = 0
    for hunk in result["hunks"]:
        start = hunk["new_start"] - 1
        for line in lines[position:start]:
            yield "equal", line
        for line in hunk["lines"]:
            yield line["op"], line["segments"] if line["op"] == "replace" else line["text"]
        position = start + hunk["new_count"]
    for line in lines[position:]:
        yield "equal", line


class _Writer:
    """Appends paragraphs to the document body, numbering each tracked change."""

    def __init__(self, word, *, author: str, date: str):
        from docx.oxml.ns import qn

        self.qn = qn
        self.body = word.element.body
        self.section = self.body.sectPr
        self.author, self.date = author, date
        self.next_id = 1

    def paragraph(self, op: str, content) -> None:
        p = self._element("w:p")
        if op in ("insert", "delete"):
            mark = self._element("w:pPr")
            properties = self._element("w:rPr")
            properties.append(self._change("w:ins" if op == "insert" else "w:del"))
            mark.append(properties)
            p.append(mark)
        if op == "replace":
            for segment in content:
                self._segment(p, segment["op"], segment["text"])
        else:
            self._segment(p, op, content)
        if self.section is not None:
            self.section.addprevious(p)
        else:
            self.body.append(p)

    def _segment(self, p, op: str, text: str) -> None:
        text = exports.clean(text)
        if not text:
            return
        if op == "equal":
            p.append(self._run(text, deleted=False))
            return
        change = self._change("w:ins" if op == "insert" else "w:del")
        change.append(self._run(text, deleted=op == "delete"))
        p.append(change)

    def _run(self, text: str, *, deleted: bool):
        run = self._element("w:r")
        for i, part in enumerate(text.split("\t")):
            if i:
                run.append(self._element("w:tab"))
            if part:
                t = self._element("w:delText" if deleted else "w:t")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                t.text = part
                run.append(t)
        return run

    def _change(self, tag: str):
        change = self._element(tag)
        change.set(self.qn("w:id"), str(self.next_id))
        change.set(self.qn("w:author"), self.author)
        change.set(self.qn("w:date"), self.date)
        self.next_id += 1
        return change

    def _element(self, tag: str):
        from docx.oxml.parser import OxmlElement

        return OxmlElement(tag)


def _author(version: DocumentVersion) -> str:
    user = version.author or version.document.rapporteur
    if user is None:
        return _("Unknown")
    return exports.clean(user.get_full_name() or user.username)


def _word_date(version: DocumentVersion) -> str:
    """xsd:dateTime in UTC, as Word writes it."""
    return version.created_at.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


# What may come before w:trackRevisions in w:settings (ECMA-376 CT_Settings order).
_BEFORE_TRACK_REVISIONS = frozenset(
    [
        "writeProtection",
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "printPostScriptOverText",
        "printFractionalCharacterWidth",
        "printFormsData",
        "embedTrueTypeFonts",
        "embedSystemFonts",
        "saveSubsetFonts",
        "saveFormsData",
        "mirrorMargins",
        "alignBordersAndEdges",
        "bordersDoNotSurroundHeader",
        "bordersDoNotSurroundFooter",
        "gutterAtTop",
        "hideSpellingErrors",
        "hideGrammaticalErrors",
        "activeWritingStyle",
        "proofState",
        "formsDesign",
        "attachedTemplate",
        "linkStyles",
        "stylePaneFormatFilter",
        "stylePaneSortMethod",
        "documentType",
        "mailMerge",
        "revisionView",
    ]
)


def _track_revisions(word) -> None:
    """Edits made in the comparison are tracked too: the committee's own suggestions."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    settings = word.settings.element
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    track = OxmlElement("w:trackRevisions")
    for child in settings:
        if child.tag.rsplit("}", 1)[-1] not in _BEFORE_TRACK_REVISIONS:
            child.addprevious(track)
            return
    settings.append(track)

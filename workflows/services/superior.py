"""The superior level's review of a subordinate congress's document (issue 22, flow 2): its
reviewers comment on the version under review by section, its standing committee's head or
deputy approves or returns it. Both find the document among those the actor reviews for the
superior (workflows.selectors.superior), not through the subordinate's visibility rule: the
superior is in none of its bodies, yet reviews its personnel plan."""

from django.db import transaction
from django.utils.translation import gettext as _

from congress.errors import Conflict, Forbidden, Invalid, NotFound
from congress.models import User
from workflows import events, rules
from workflows.models import Comment, Document
from workflows.sections import sections_of
from workflows.selectors.superior import reviewed_documents, superior_name
from workflows.services.documents import comment_event, document_transition

DECISIONS = ("approve", "return")


def _lock(actor: User, document_id: int) -> Document:
    document = (
        reviewed_documents(actor)
        .select_for_update(of=("self",))
        .select_related("body", "congress__organization__parent")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("Not found."))
    return document


def _check_waiting(document: Document) -> None:
    if document.status != Document.Status.SUPERIOR_REVIEW:
        raise Conflict(
            _(
                "This document no longer waits for the superior level's review; it is now "
                "“%(status)s”."
            )
            % {"status": document.get_status_display()},
            code="not_in_superior_review",
            status=document.status,
        )


def _check_comments(wanted: list[tuple[str, str]], references: set[str]) -> None:
    if not wanted:
        raise Invalid({"text": [_("Write a comment on at least one section, or a general one.")]})
    unknown = [section for section, _text in wanted if section and section not in references]
    if unknown:
        raise Invalid({"section": [_("The draft under review has no such section.")]})
    limit = Comment._meta.get_field("text").max_length
    assert limit is not None  # Comment.text has one
    too_long = [section or _("General comment") for section, text in wanted if len(text) > limit]
    if too_long:
        raise Invalid(
            {
                "text": [
                    _("A comment is at most %(limit)s characters: %(sections)s.")
                    % {"limit": limit, "sections": "; ".join(too_long)}
                ]
            }
        )


@transaction.atomic
def superior_comments_add(
    *, actor: User, document_id: int, comments: list[tuple[str, str]]
) -> list[Comment]:
    """The superior's comments on the version under review, each (section reference, text)
    on a section as workflows.sections names it, or on the whole draft (""): comments from
    the superior organization (`source`) by the reviewer (`author`), pending until the
    subordinate's drafters take them in or explain them like any other."""
    document = _lock(actor, document_id)
    if not rules.reviews_for_superior(document, actor):
        raise Forbidden(
            _("Only the superior level's reviewers and standing committee comment here."),
            code="superior_comment_forbidden",
        )
    _check_waiting(document)
    version = document.versions.order_by("-number").first()
    if version is None:
        raise Conflict(_("There is no draft to comment on yet."), code="no_version_to_comment")
    wanted = [(section.strip(), text.strip()) for section, text in comments]
    wanted = [(section, text) for section, text in wanted if text]
    _check_comments(wanted, {section.reference for section in sections_of(version.text)})
    source = superior_name(document)[:255]
    made = [
        Comment.objects.create(
            version=version, author=actor, source=source, section=section, text=text
        )
        for section, text in wanted
    ]
    for comment in made:
        comment_event(document, comment, events.COMMENT_ADDED, actor)
    return made


def superior_decide(
    *,
    actor: User,
    document_id: int,
    name: str,
    note: str = "",
    reason: str = "",
    version: int | None = None,
) -> Document:
    """Approve the document or return it with comments (a reason) at the superior's review:
    the document transition service (its checks, audit entry, event and live update), the
    document found among those the actor reviews for the superior."""
    if name not in DECISIONS:
        raise NotFound(
            _("Unknown transition “%(name)s”.") % {"name": name[:40]},
            code="unknown_transition",
            known=list(DECISIONS),
        )
    return document_transition(
        actor=actor,
        document_id=document_id,
        name=name,
        note=note,
        reason=reason,
        version=version,
        within=reviewed_documents(actor),
    )

"""Search across tasks, documents (their title and the text of their latest version),
comments and people, through the visibility rule of now (ARCHITECTURE §5).

Every kind starts from its visibility selector (`tasks_visible_to`, `documents_visible_to`,
`visible_q` for the comments' task or document, `users_visible_to`), so a confidential body's
work, and the comments on it, reach only the people who may see that body's work, with the
memberships and confidentiality of the moment the search runs. Matching and ranking are
congress.search's. Each kind is capped (`limit`, at most MAX_LIMIT), the best first; a group
says when more matched. A constant number of queries: one per kind, one for the people's
bodies, and the reader's roles.
"""

from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.models import Membership
from congress.search import (
    WINDOW_CHARS,
    SearchText,
    containing_every_word,
    marked,
    matching,
    ranked,
    search_text,
    snippet,
    window_start,
)
from congress.selectors import bodies_visible_to, users_visible_to, visible_q
from workflows.models import Comment, DocumentVersion
from workflows.ordering import sort_key
from workflows.selectors.documents import documents_visible_to
from workflows.selectors.tasks import tasks_visible_to

KINDS = ("tasks", "documents", "comments", "people")
DEFAULT_LIMIT, MAX_LIMIT = 20, 50


@dataclass
class Hit:
    kind: str
    id: int
    title: str
    url: str | None
    snippet: list[tuple[str, bool]] = field(default_factory=list)
    # The title as (text, matched) parts, for the page to mark the words found.
    title_parts: list[tuple[str, bool]] = field(default_factory=list)
    congress: int | None = None
    body: str = ""
    status: str = ""
    status_label: str = ""


@dataclass
class Group:
    kind: str
    hits: list[Hit]
    truncated: bool


@dataclass
class SearchResults:
    query: SearchText
    limit: int
    groups: dict[str, Group]

    @property
    def total(self) -> int:
        return sum(len(g.hits) for g in self.groups.values())


def search(user, q, *, kinds=KINDS, limit: int = DEFAULT_LIMIT, congress_id=None):
    """What the user may see that matches `q` (congress.search.search_text: a 400 for a query
    of fewer than 2 or more than 200 characters), by kind, `limit` of each at most."""
    query = search_text(q)
    limit = max(1, min(limit, MAX_LIMIT))
    groups = {}
    for kind in KINDS:
        if kind in kinds:
            rows, truncated = _cut(_FINDERS[kind](user, query, congress_id), limit)
            hits = _HITS[kind](user, query, rows)
            for hit in hits:
                hit.title_parts = marked(hit.title, query)
            groups[kind] = Group(kind, hits, truncated)
    return SearchResults(query=query, limit=limit, groups=groups)


def _cut(queryset, limit: int) -> tuple[list, bool]:
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def _in_congress(queryset, congress_id, path: str = "congress_id"):
    return queryset.filter(**{path: congress_id}) if congress_id else queryset


# -- tasks -------------------------------------------------------------------------------


def _tasks(user, query, congress_id):
    tasks = _in_congress(tasks_visible_to(user), congress_id).select_related("body")
    return ranked(tasks, query, title=["title"], body=["description"])


def _task_hits(user, query, tasks) -> list[Hit]:
    return [
        Hit(
            kind="task",
            id=task.pk,
            title=task.title,
            url=reverse("web-task", args=[task.pk]),
            snippet=snippet(task.description, query),
            congress=task.congress_id,
            body=task.body.name,
            status=task.status,
            status_label=task.get_status_display(),
        )
        for task in tasks
    ]


# -- documents ---------------------------------------------------------------------------


def _documents(user, query, congress_id):
    """Documents by their title, or by the text of their latest version (found in the
    versions' own index; the rank is the title's)."""
    documents = _in_congress(documents_visible_to(user), congress_id).select_related("body")
    versions = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    latest = DocumentVersion.objects.filter(
        document__in=documents,
        number=Subquery(
            DocumentVersion.objects.filter(document=OuterRef("document"))
            .order_by("-number")
            .values("number")[:1]
        ),
    )
    by_text = Q(pk__in=matching(latest, query, "text").values("document_id"))
    text = Subquery(versions.values("text")[:1])
    # Only a window of the latest text comes back (a version holds up to 2,000,000 characters).
    return ranked(documents, query, title=["title"], also=by_text).annotate(
        window_from=window_start(text, query),
        window=Substr(text, F("window_from"), WINDOW_CHARS),  # type: ignore[arg-type]
    )


def _document_hits(user, query, documents) -> list[Hit]:
    return [
        Hit(
            kind="document",
            id=document.pk,
            title=document.title,
            url=reverse("web-document", args=[document.pk]),
            snippet=snippet(document.window or "", query, cut_start=document.window_from > 1),
            congress=document.congress_id,
            body=document.body.name,
            status=document.status,
            status_label=document.get_status_display(),
        )
        for document in documents
    ]


# -- comments ----------------------------------------------------------------------------


def _comments(user, query, congress_id):
    on_task = Q(task__isnull=False) & visible_q(
        user,
        congress="task__congress_id",
        body="task__body_id",
        confidential="task__body__confidential",
    )
    on_document = Q(version__isnull=False) & visible_q(
        user,
        congress="version__document__congress_id",
        body="version__document__body_id",
        confidential="version__document__body__confidential",
    )
    comments = Comment.objects.filter(on_task | on_document)
    if congress_id:
        comments = comments.filter(
            Q(task__congress_id=congress_id) | Q(version__document__congress_id=congress_id)
        )
    comments = comments.select_related(
        "author", "task", "task__body", "version", "version__document", "version__document__body"
    )
    return ranked(comments, query, title=["section", "source"], body=["text", "response"])


def _comment_hits(user, query, comments) -> list[Hit]:
    hits = []
    for comment in comments:
        who = comment.source or (comment.author.get_full_name() if comment.author else "")
        who = who or (comment.author.username if comment.author else "")
        if comment.task_id:
            on, page = comment.task, reverse("web-task", args=[comment.task_id])
            title = _("%(who)s on the task “%(title)s”") % {"who": who, "title": on.title}
        else:
            on = comment.version.document
            page = reverse("web-document", args=[on.pk])
            title = _("%(who)s on “%(title)s”, version %(number)s") % {
                "who": who,
                "title": on.title,
                "number": comment.version.number,
            }
        text = comment.text if _matches_any(comment.text, query) else comment.response
        hits.append(
            Hit(
                kind="comment",
                id=comment.pk,
                title=title,
                url=f"{page}#comment-{comment.pk}",
                snippet=snippet(text, query),
                congress=on.congress_id,
                body=on.body.name,
            )
        )
    return hits


def _matches_any(text: str, query: SearchText) -> bool:
    return any(part for part, matched in snippet(text, query) if matched)


# -- people ------------------------------------------------------------------------------


def _people(user, query, congress_id):
    people = users_visible_to(user).filter(is_active=True)
    if congress_id:
        people = people.filter(memberships__body__congress_id=congress_id).distinct()
    name = Concat(
        "first_name", Value(" "), "last_name", Value(" "), "username", output_field=TextField()
    )
    return containing_every_word(people, query, name).order_by("last_name", "first_name", "pk")


def _people_hits(user, query, people) -> list[Hit]:
    """People in Vietnamese order (by given name, then the rest), each with the bodies the
    reader can see them in; the link goes to their first body on the congress's bodies page."""
    memberships: dict[int, list[Membership]] = {}
    rows = (
        Membership.objects.filter(user__in=people, body__in=bodies_visible_to(user))
        .select_related("body")
        .order_by("body__congress_id", "body_id")
    )
    for membership in rows:
        memberships.setdefault(membership.user_id, []).append(membership)
    hits = []
    for person in sorted(people, key=_name_order):
        held = memberships.get(person.pk, [])
        first = held[0].body if held else None
        url = None
        if first is not None:
            url = f"{reverse('web-bodies', args=[first.congress_id])}#body-{first.pk}"
        roles = "; ".join(f"{m.get_role_display()}, {m.body.name}" for m in held[:3])
        hits.append(
            Hit(
                kind="person",
                id=person.pk,
                title=person.get_full_name() or person.username,
                url=url,
                snippet=[(f"{person.username} · {roles}" if roles else person.username, False)],
                congress=first.congress_id if first else None,
                body=first.name if first else "",
            )
        )
    return hits


def _name_order(person) -> tuple:
    return (
        sort_key(person.last_name),
        sort_key(person.first_name),
        sort_key(person.username),
        person.pk,
    )


_FINDERS = {"tasks": _tasks, "documents": _documents, "comments": _comments, "people": _people}
_HITS = {
    "tasks": _task_hits,
    "documents": _document_hits,
    "comments": _comment_hits,
    "people": _people_hits,
}

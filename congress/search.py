"""Full-text search that ignores Vietnamese diacritics and case: "bao cao chinh tri" finds
"Báo cáo chính trị", "dang bo" finds "Đảng bộ".

PostgreSQL (production) ranks with its full-text search through the `congress_search` text
search configuration (the `simple` dictionary behind `unaccent`, migration
congress/0008_search_unaccent): every word of the query must be a word of the row, ranked by
`ts_rank` over the title (weight A) and the body (weight B), found through GIN indexes over
the same expressions (`vector_sql`, workflows/0006_search_indexes). SQLite (embedded) does the same
in Python through functions registered on each connection: `congress_fold` (the folded text,
for people and snippets) and `congress_search_score`. Both order rows whose title holds every
word before the others, then by rank: a body that repeats a word fifty times never outranks a
title.

Folding is one table, used for the query, SQLite's rows and the snippets: a letter loses its
marks (NFD, combining marks dropped), "đ"/"Đ" become "d" (Unicode does not decompose them, so
stripping marks alone misses them) and the letter is lowercased. Text is NFC-normalized first,
so a name typed in NFD (decomposed marks) folds like the same name in NFC.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat, Replace
from django.utils.translation import gettext_lazy as _

from congress.errors import Invalid

CONFIG = "congress_search"
MIN_CHARS, MAX_CHARS = 2, 200
# How much of a long text is read around the first match to cut a snippet from.
WINDOW_BEFORE, WINDOW_CHARS = 160, 480
SNIPPET_CHARS = 200

_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    if unicodedata.combining(char):
        return ""
    bare = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    lower = bare.lower()
    # One character for one: snippets find a match in the folded text at the same index.
    return lower if len(lower) == 1 else char


_TABLE = {
    code: _fold_char(chr(code))
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x2000), *range(0x1E00, 0x1F00)]
    if _fold_char(chr(code)) != chr(code)
}
# The same without dropping stray combining marks: the folded text keeps the text's length.
_SAME_LENGTH = {code: folded for code, folded in _TABLE.items() if folded}


def fold(text: str) -> str:
    """The text without marks and case, "Đại hội" -> "dai hoi" (see the module)."""
    return unicodedata.normalize("NFC", text).translate(_TABLE)


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class SearchText:
    """A checked query: the text as typed (control characters made spaces) and its folded
    words, each once."""

    text: str
    words: tuple[str, ...]

    @property
    def phrase(self) -> str:
        return " ".join(self.words)

    @property
    def longest(self) -> str:
        return max(self.words, key=len)


def search_text(raw) -> SearchText:
    """The query `q`, or a 400 saying what is wrong: 2 to 200 characters, at least one word."""
    text = " ".join(_CONTROL.sub(" ", str(raw or "")).split())
    if len(text) < MIN_CHARS:
        raise Invalid(
            {"q": [_("Type at least %(min)s characters to search.") % {"min": MIN_CHARS}]},
            code="query_too_short",
        )
    if len(text) > MAX_CHARS:
        raise Invalid(
            {"q": [_("A search is at most %(max)s characters.") % {"max": MAX_CHARS}]},
            code="query_too_long",
        )
    words = tuple(dict.fromkeys(words_of(text)))
    if not words:
        raise Invalid(
            {"q": [_("Type at least one word (letters or digits) to search.")]},
            code="query_without_words",
        )
    return SearchText(text=text, words=words)


# -- in the database --------------------------------------------------------------------


class Folded(Func):
    """`fold()` in SQL: unaccent and lowercase on PostgreSQL, the Python table on SQLite."""

    function = "LOWER"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(Coalesce(expression, Value("")), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="lower(unaccent(%(expressions)s))")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="congress_fold")


class _Matches(Func):
    """`vector @@ query` (PostgreSQL)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _Rank(Func):
    function = "ts_rank"
    output_field = FloatField()


class _SqliteScore(Func):
    function = "congress_search_score"
    output_field = FloatField()


# How much of a long text is searched. A tsvector holds at most 1 MB or the row is refused:
# 150,000 characters make at most about 900 KB whatever they are (75,000 one-character words
# of 4 bytes each, with their positions); 300,000 of two-letter Chinese words would not fit.
# 60 pages of 3,000 characters are 180,000: the last pages of the longest drafts are not searched.
VECTOR_CHARS = 150_000


def vector_sql(columns) -> str:
    """The tsvector of (column SQL, weight or None) pairs: what the query computes and what
    the GIN indexes of workflows/migrations/0006_search_indexes hold, the same text so that
    PostgreSQL uses them."""
    parts = []
    for column, weight in columns:
        vector = f"to_tsvector('{CONFIG}'::regconfig, left(COALESCE({column}, ''), {VECTOR_CHARS}))"
        parts.append(f"setweight({vector}, '{weight}')" if weight else vector)
    return " || ".join(parts)


class _Vector(Func):
    """`vector_sql` over expressions (PostgreSQL)."""

    output_field = TextField()

    def __init__(self, weighted, **extra):
        self.weights = [weight for _expression, weight in weighted]
        super().__init__(*[expression for expression, _weight in weighted], **extra)

    def as_sql(self, compiler, connection, **extra):
        sqls, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            sqls.append(sql)
            params.extend(expression_params)
        return f"({vector_sql(zip(sqls, self.weights, strict=True))})", params


def _fields(names) -> list:
    return [F(name) if isinstance(name, str) else name for name in names]


def _joined(expressions):
    if len(expressions) == 1:
        return expressions[0]
    spaced = []
    for expression in expressions:
        spaced += [Coalesce(expression, Value("")), Value(" ")]
    return Concat(*spaced[:-1], output_field=TextField())


def _tsquery(query: SearchText):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query.text, config=CONFIG, search_type="plain")


def ranked(queryset: QuerySet, query: SearchText, *, title, body=(), also: Q | None = None):
    """The rows of `queryset` holding every word of the query in their `title` or `body`
    fields (lists of names or expressions), or matching `also` (a filter: a document's latest
    text, found in its own table by `matching`): those with every word in the title first,
    then by rank, then the newest. Annotates `search_rank`."""
    title, body = _fields(title), _fields(body)
    if connections[queryset.db].vendor == "postgresql":
        tsquery = _tsquery(query)
        vector = _Vector([(t, "A") for t in title] + [(b, "B") for b in body])
        found = Q(_Matches(vector, tsquery))
        return (
            queryset.filter(found | also if also is not None else found)
            .annotate(
                search_title_hit=_Matches(_Vector([(t, "A") for t in title]), tsquery),
                search_rank=_Rank(vector, tsquery),
            )
            .order_by("-search_title_hit", "-search_rank", "-pk")
        )
    score = _SqliteScore(
        Value(json.dumps(query.words)),
        _joined(title),
        _joined(body) if body else Value(""),
    )
    # Python's score: 1000 when the title holds every word, plus a rank below 1000.
    found = Q(search_score__gt=0)
    return (
        queryset.alias(search_score=score)
        .filter(found | also if also is not None else found)
        .annotate(search_rank=F("search_score"))
        .order_by("-search_rank", "-pk")
    )


def matching(queryset: QuerySet, query: SearchText, column: str) -> QuerySet:
    """The rows whose long text `column` holds every word of the query (a GIN index on
    PostgreSQL finds them; no rank, which would read every matching text again)."""
    if connections[queryset.db].vendor == "postgresql":
        return queryset.filter(_Matches(_Vector([(F(column), None)]), _tsquery(query)))
    score = _SqliteScore(Value(json.dumps(query.words)), Value(""), F(column))
    return queryset.alias(search_score=score).filter(search_score__gt=0)


def containing_every_word(queryset: QuerySet, query: SearchText, expression) -> QuerySet:
    """The rows whose folded `expression` (a short text: a name) has a word beginning with
    each folded word of the query: "huong" finds "Hương" and "Hường", not "Phương"; "ngu"
    finds "Nguyễn" (people are looked for as they are being typed)."""
    condition = Q()
    for word in query.words:
        condition &= Q(search_folded__contains=f" {word}")
    folded = Folded(Concat(Value(" "), _spaced(expression), output_field=TextField()))
    return queryset.alias(search_folded=folded).filter(condition)


def _spaced(expression):
    """The text with the punctuation of usernames made spaces: "mai.ht" is "mai ht"."""
    for mark in "._-@":
        expression = Replace(expression, Value(mark), Value(" "), output_field=TextField())
    return expression


# -- SQLite ------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _patterns(words_json: str) -> tuple[re.Pattern, ...]:
    return tuple(
        re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])") for word in json.loads(words_json)
    )


def _sqlite_score(words_json, title, body) -> float:
    """0 unless every word is a word of the title or the body; 1000 more when the title holds
    every one of them; a rank below 1000 from how often they appear (the title counting more)."""
    if words_json is None:
        return 0.0
    patterns = _patterns(words_json)
    title, body = fold(title or ""), fold((body or "")[:VECTOR_CHARS])
    in_title = [len(p.findall(title)) for p in patterns]
    in_body = [len(p.findall(body)) if body else 0 for p in patterns]
    if not all(t or b for t, b in zip(in_title, in_body, strict=True)):
        return 0.0
    rank = sum(min(t, 10) * 10 + min(b, 50) for t, b in zip(in_title, in_body, strict=True))
    return (1000.0 if all(in_title) else 0.0) + min(rank, 999)


def _sqlite_fold(text):
    return None if text is None else fold(str(text))


def _install(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("congress_fold", 1, _sqlite_fold, deterministic=True)
        connection.connection.create_function(
            "congress_search_score", 3, _sqlite_score, deterministic=True
        )


def install_sqlite_functions() -> None:
    connection_created.connect(_install, dispatch_uid="congress.search.sqlite_functions")


# -- snippets ----------------------------------------------------------------------------


def window_start(expression, query: SearchText):
    """Where, in a long text, to start reading for its snippet (1-based, SQL): a little before
    the query's words as typed together, else before its longest word."""
    from django.db.models.functions import Greatest, NullIf, StrIndex

    folded = Folded(expression)
    found = Coalesce(
        NullIf(StrIndex(folded, Value(query.phrase)), 0), StrIndex(folded, Value(query.longest))
    )
    return Greatest(found - WINDOW_BEFORE, 1)


def snippet(text: str, query: SearchText, *, cut_start: bool = False) -> list[tuple[str, bool]]:
    """A short extract of `text` around the first of the query's words, as (text, matched)
    parts: the matched words are the query's, whatever marks and case they are written in.
    `cut_start`: the text is itself cut from a longer one."""
    text, spans = _spans(text, query)
    if not text:
        return []
    start = max(0, spans[0][0] - SNIPPET_CHARS // 3) if spans else 0
    if start:
        start = _word_start(text, start)
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        end = _word_end(text, end)
    parts = _parts(text, spans, start, end)
    if start or cut_start:
        parts.insert(0, ("…", False))
    if end < len(text):
        parts.append(("…", False))
    return parts


def marked(text: str, query: SearchText) -> list[tuple[str, bool]]:
    """The whole of a short text (a title) as (text, matched) parts."""
    text, spans = _spans(text, query)
    return _parts(text, spans, 0, len(text))


def _spans(text: str, query: SearchText) -> tuple[str, list[tuple[int, int]]]:
    """The text with its spaces made single, and where the query's words are in it."""
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    folded = text.translate(_SAME_LENGTH)
    patterns = _patterns(json.dumps(query.words))
    return text, sorted((m.start(), m.end()) for p in patterns for m in p.finditer(folded))


def _parts(text: str, spans, start: int, end: int) -> list[tuple[str, bool]]:
    parts: list[tuple[str, bool]] = []
    position = start
    for s, e in spans:
        if s < position or e > end:
            continue
        if s > position:
            parts.append((text[position:s], False))
        parts.append((text[s:e], True))
        position = e
    if position < end:
        parts.append((text[position:end], False))
    return parts


def _word_start(text: str, index: int) -> int:
    space = text.find(" ", index)
    return space + 1 if 0 <= space < index + 20 else index


def _word_end(text: str, index: int) -> int:
    space = text.rfind(" ", index - 20, index)
    return space if space > 0 else index


def snippet_text(parts: list[tuple[str, bool]]) -> str:
    return "".join(part for part, _matched in parts)

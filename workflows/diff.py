"""Differences between two versions' text: JSON hunks for clients, HTML for the web pages.

Lines are paragraphs (that is how the text is extracted). A changed paragraph is paired with
the old paragraph it resembles and carries word-level segments, so that a reader sees which
words changed in a long paragraph, not just that it changed.

The cost is bounded whatever the texts: the common beginning and end are set aside first,
lines are matched with difflib (popular lines, such as blank ones, do not anchor a match), a
replaced block is paired in one forward pass that compares each paragraph with a few
neighbours only, and texts past `DIFF_MAX_LINES` / `DIFF_MAX_CHARS` (what still differs once
the common beginning and end are set aside) get a "too large to compare line by line" answer
instead of a diff. Versions never change, so `diff_versions` keeps each result in the cache.
"""

import re
from difflib import SequenceMatcher

from django.conf import settings
from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

CONTEXT_LINES = 3
# Pair an old and a new paragraph as "changed" only when they are at least this similar.
PAIR_CUTOFF = 0.5
# How far ahead, in a replaced block, a paragraph looks for the one it became.
PAIR_WINDOW = 5
# Longer paragraphs are shown as deleted then inserted, not compared word by word.
MAX_PAIR_CHARS = 20_000
# Bumped whenever the shape or the algorithm of a result changes, so that no stale diff is served.
CACHE_VERSION = 2
# How many words one diff may compare to pair paragraphs (about 0.3 s of work).
PAIR_BUDGET_TOKENS = 2_000_000
# A word (a number with its separators kept whole, or a sign) with the spaces before it; the
# last alternative is the spaces at the end. The tokens rebuild the text exactly.
_TOKEN = re.compile(r"\s*(?:\d+(?:[.,/]\d+)*|\w+|[^\w\s])|\s+")


def max_lines() -> int:
    return int(getattr(settings, "DIFF_MAX_LINES", 20_000))


def max_chars() -> int:
    return int(getattr(settings, "DIFF_MAX_CHARS", 2_000_000))


def diff_versions(old, new, *, context: int = CONTEXT_LINES) -> dict:
    """`diff_texts` of two DocumentVersions, from the cache when it was computed before (a
    version's text never changes; the key holds both versions' ids and file hashes)."""
    key = f"diff:{CACHE_VERSION}:{old.pk}:{old.sha256}:{new.pk}:{new.sha256}:{context}"
    result = cache.get(key)
    if result is None:
        result = diff_texts(old.text, new.text, context=context)
        cache.set(key, result, getattr(settings, "DIFF_CACHE_SECONDS", 30 * 24 * 3600))
    return result


def diff_versions_html(old, new) -> tuple[dict, str]:
    """The result and its HTML, both cached (the HTML per language: its few words are
    translated)."""
    key = f"diff-html:{CACHE_VERSION}:{old.pk}:{old.sha256}:{new.pk}:{new.sha256}:{get_language()}"
    result = diff_versions(old, new)
    html = cache.get(key)
    if html is None:
        html = diff_html(result)
        cache.set(key, html, getattr(settings, "DIFF_CACHE_SECONDS", 30 * 24 * 3600))
    return result, html


def diff_texts(old: str, new: str, *, context: int = CONTEXT_LINES) -> dict:
    """`{"identical", "stats", "hunks"}`. Each hunk has `old_start`, `old_count`, `new_start`,
    `new_count` (1-based, as in a unified diff) and `lines`; a line is `equal`, `delete`,
    `insert` (with `old_line`/`new_line` and `text`) or `replace` (with both line numbers,
    `old_text`, `new_text` and word `segments`). Texts too large to compare add
    `"too_large": true` with `lines` and `chars` (what differs) and `max_lines`/`max_chars`;
    their `stats` are null and `hunks` empty."""
    a, b = _lines(old), _lines(new)
    head, tail = _common_ends(a, b)
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    lines = len(middle_a) + len(middle_b)
    chars = sum(map(len, middle_a)) + sum(map(len, middle_b))
    if lines > max_lines() or chars > max_chars():
        return {
            "identical": False,
            "too_large": True,
            "lines": lines,
            "chars": chars,
            "max_lines": max_lines(),
            "max_chars": max_chars(),
            "stats": None,
            "hunks": [],
        }
    opcodes = _opcodes(middle_a, middle_b, head, len(a), len(b))
    pairer = _Pairer(a, b)
    hunks = [_hunk(group, a, b, pairer) for group in _grouped(opcodes, context)]
    stats = {"inserted": 0, "deleted": 0, "replaced": 0}
    for hunk in hunks:
        for line in hunk["lines"]:
            if line["op"] != "equal":
                stats[{"insert": "inserted", "delete": "deleted"}.get(line["op"], "replaced")] += 1
    return {"identical": not hunks, "stats": stats, "hunks": hunks}


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _common_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many lines the two texts share at their beginning and at their end."""
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _opcodes(middle_a, middle_b, head: int, n: int, m: int) -> list[tuple]:
    """difflib's opcodes over the whole texts, computed on what lies between the common
    beginning and end. autojunk: a line found in more than 1% of a long text (a blank line, a
    repeated heading) does not anchor a match, which keeps difflib from going quadratic."""
    codes = []
    if head:
        codes.append(("equal", 0, head, 0, head))
    matcher = SequenceMatcher(None, middle_a, middle_b, autojunk=True)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        codes.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    end_a, end_b = head + len(middle_a), head + len(middle_b)
    if end_a < n:
        codes.append(("equal", end_a, n, end_b, m))
    return _merged(codes)


def _merged(codes: list[tuple]) -> list[tuple]:
    merged: list[tuple] = []
    for code in codes:
        if code[1] == code[2] and code[3] == code[4]:
            continue
        if merged and merged[-1][0] == code[0] == "equal":
            merged[-1] = ("equal", merged[-1][1], code[2], merged[-1][3], code[4])
        else:
            merged.append(code)
    return merged


def _grouped(codes: list[tuple], context: int):
    """SequenceMatcher.get_grouped_opcodes, on opcodes given."""
    if not codes or (len(codes) == 1 and codes[0][0] == "equal"):
        return
    codes = list(codes)
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)
    group = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > context * 2:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _hunk(group, a: list[str], b: list[str], pairer: "_Pairer") -> dict:
    lines: list[dict] = []
    for tag, i1, i2, j1, j2 in group:
        if tag == "equal":
            lines += [
                _line("equal", i, j, a[i])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
        elif tag == "delete":
            lines += [_line("delete", i, None, a[i]) for i in range(i1, i2)]
        elif tag == "insert":
            lines += [_line("insert", None, j, b[j]) for j in range(j1, j2)]
        else:
            lines += _replace(a, i1, i2, b, j1, j2, pairer)
    first, last = group[0], group[-1]
    return {
        "old_start": first[1] + 1,
        "old_count": last[2] - first[1],
        "new_start": first[3] + 1,
        "new_count": last[4] - first[3],
        "lines": lines,
    }


def _line(op: str, i: int | None, j: int | None, text: str) -> dict:
    return {
        "op": op,
        "old_line": None if i is None else i + 1,
        "new_line": None if j is None else j + 1,
        "text": text,
    }


def _replace(a, i1, i2, b, j1, j2, pairer: "_Pairer") -> list[dict]:
    """Pair the old and new paragraphs of a replaced block in one forward pass: the next old
    (or new) paragraph is paired with the nearest similar one at most PAIR_WINDOW ahead on
    the other side, what was stepped over is inserted (or deleted), and two paragraphs with no
    similar neighbour are deleted and inserted. Linear in the block's length, where pairing
    every old with every new paragraph is quadratic."""
    out: list[dict] = []
    i, j = i1, j1
    while i < i2 and j < j2:
        found = pairer.nearest(i, i2, j, j2)
        if found is None:
            out += [_line("delete", i, None, a[i]), _line("insert", None, j, b[j])]
            i, j = i + 1, j + 1
            continue
        pi, pj, segments = found
        out += [_line("delete", k, None, a[k]) for k in range(i, pi)]
        out += [_line("insert", None, k, b[k]) for k in range(j, pj)]
        if a[pi] == b[pj]:
            out.append(_line("equal", pi, pj, a[pi]))
        else:
            out.append(
                {
                    "op": "replace",
                    "old_line": pi + 1,
                    "new_line": pj + 1,
                    "old_text": a[pi],
                    "new_text": b[pj],
                    "segments": segments,
                }
            )
        i, j = pi + 1, pj + 1
    out += [_line("delete", k, None, a[k]) for k in range(i, i2)]
    out += [_line("insert", None, k, b[k]) for k in range(j, j2)]
    return out


class _Pairer:
    """Decides which old and new paragraphs are similar enough to pair, within a budget of
    words compared for the whole diff; past it, replaced paragraphs are shown as deleted
    then inserted."""

    def __init__(self, a: list[str], b: list[str]):
        self.a, self.b = a, b
        self.tokens: dict[tuple[int, int], tuple[list[str], set[str]]] = {}
        self.budget = PAIR_BUDGET_TOKENS

    def _tokens(self, side: int, index: int) -> tuple[list[str], set[str]]:
        key = (side, index)
        if key not in self.tokens:
            text = (self.a, self.b)[side][index]
            tokens = _TOKEN.findall(text) if len(text) <= MAX_PAIR_CHARS else []
            self.tokens[key] = (tokens, set(tokens))
        return self.tokens[key]

    def nearest(self, i: int, i2: int, j: int, j2: int):
        """The nearest similar pair that keeps old paragraph i or new paragraph j, at most
        PAIR_WINDOW ahead on the other side, with its word segments; or None."""
        for distance in range(PAIR_WINDOW + 1):
            for pi, pj in ((i, j + distance), (i + distance, j))[: 2 if distance else 1]:
                if pi < i2 and pj < j2:
                    segments = self.segments(pi, pj)
                    if segments is not None:
                        return pi, pj, segments
        return None

    def segments(self, i: int, j: int) -> list[dict] | None:
        if self.a[i] == self.b[j]:
            return []
        (x, x_set), (y, y_set) = self._tokens(0, i), self._tokens(1, j)
        if not x or not y or self.budget <= 0:
            return None
        # Cheap bounds first: the sizes, then the words in common whatever their order.
        if 2 * min(len(x), len(y)) / (len(x) + len(y)) <= PAIR_CUTOFF:
            return None
        self.budget -= min(len(x_set), len(y_set))
        if 2 * len(x_set & y_set) / (len(x_set) + len(y_set)) <= PAIR_CUTOFF:
            return None
        self.budget -= len(x) + len(y)
        matched, opcodes = _token_opcodes(x, y)
        if 2 * matched / (len(x) + len(y)) <= PAIR_CUTOFF:
            return None
        return _segments(x, y, opcodes)


def word_segments(old: str, new: str) -> list[dict]:
    """`[{"op": "equal"|"delete"|"insert", "text"}]`: the words that changed in a paragraph."""
    x, y = _TOKEN.findall(old), _TOKEN.findall(new)
    return _segments(x, y, _token_opcodes(x, y)[1])


def _token_opcodes(x: list[str], y: list[str]) -> tuple[int, list[tuple]]:
    """How many tokens match, and the opcodes; difflib runs only on what lies between the
    common beginning and end (a typical edit changes a few words of a long paragraph)."""
    head, tail = _common_ends(x, y)
    x_end, y_end = len(x) - tail, len(y) - tail
    codes = [("equal", 0, head, 0, head)]
    matched = head + tail
    if head in (x_end, y_end) or (x_end - head == 1 and y_end - head == 1):
        # One word changed, or words only added or only removed: nothing for difflib to do.
        tag = "insert" if head == x_end else "delete" if head == y_end else "replace"
        codes.append((tag, head, x_end, head, y_end))
    else:
        matcher = SequenceMatcher(None, x[head:x_end], y[head:y_end], False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            codes.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
        matched += sum(size for _, _, size in matcher.get_matching_blocks())
    codes.append(("equal", x_end, len(x), y_end, len(y)))
    return matched, _merged(codes)


def _segments(x: list[str], y: list[str], opcodes) -> list[dict]:
    """Segments from token opcodes. A token is a word with the spaces before it; the spaces
    that a changed word and its replacement share stay with the unchanged text."""
    segments: list[dict] = []
    for tag, i1, i2, j1, j2 in opcodes:
        old, new = "".join(x[i1:i2]), "".join(y[j1:j2])
        if tag == "equal":
            _push(segments, "equal", old)
            continue
        if old and new:
            spaces = _common_spaces(old, new)
            _push(segments, "equal", spaces)
            old, new = old[len(spaces) :], new[len(spaces) :]
        _push(segments, "delete", old)
        _push(segments, "insert", new)
    return segments


def _common_spaces(old: str, new: str) -> str:
    n = 0
    while n < min(len(old), len(new)) and old[n] == new[n] and old[n].isspace():
        n += 1
    return old[:n]


def _push(segments: list[dict], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1]["op"] == op:
        segments[-1]["text"] += text
    else:
        segments.append({"op": op, "text": text})


def diff_html(result: dict) -> str:
    """The diff as an HTML fragment (a table per hunk), every text escaped."""
    if result["identical"]:
        same = escape(_("The two versions have the same text."))
        return f'<p class="diff-identical">{same}</p>'
    if result.get("too_large"):
        return f'<p class="diff-too-large">{escape(too_large_message(result))}</p>'
    parts = ['<div class="diff">']
    for hunk in result["hunks"]:
        parts.append('<table class="diff-hunk"><tbody>')
        header = "@@ -{old_start},{old_count} +{new_start},{new_count} @@".format(**hunk)
        parts.append(f'<tr class="diff-hunk-header"><td colspan="3">{header}</td></tr>')
        for line in hunk["lines"]:
            parts.extend(_html_rows(line))
        parts.append("</tbody></table>")
    parts.append("</div>")
    return "".join(parts)


def too_large_message(result: dict) -> str:
    return _(
        "These versions are too large to compare line by line: %(lines)s paragraphs differ "
        "(at most %(max_lines)s are compared). Download both files to compare them."
    ) % {
        "lines": number_format(result["lines"], force_grouping=True),
        "max_lines": number_format(result["max_lines"], force_grouping=True),
    }


def _html_rows(line: dict) -> list[str]:
    if line["op"] == "replace":
        old = "".join(
            f"<del>{escape(s['text'])}</del>" if s["op"] == "delete" else escape(s["text"])
            for s in line["segments"]
            if s["op"] != "insert"
        )
        new = "".join(
            f"<ins>{escape(s['text'])}</ins>" if s["op"] == "insert" else escape(s["text"])
            for s in line["segments"]
            if s["op"] != "delete"
        )
        return [
            _row("diff-delete", line["old_line"], None, old),
            _row("diff-insert", None, line["new_line"], new),
        ]
    text = escape(line["text"])
    if line["op"] == "delete":
        text = f"<del>{text}</del>"
    elif line["op"] == "insert":
        text = f"<ins>{text}</ins>"
    return [_row(f"diff-{line['op']}", line["old_line"], line["new_line"], text)]


def _row(css: str, old_line, new_line, html: str) -> str:
    old = "" if old_line is None else old_line
    new = "" if new_line is None else new_line
    return (
        f'<tr class="{css}"><td class="diff-old-line">{old}</td>'
        f'<td class="diff-new-line">{new}</td><td class="diff-text">{html}</td></tr>'
    )

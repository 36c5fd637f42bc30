"""Differences between two versions' text: JSON hunks for clients, HTML for the web pages.

Lines are paragraphs (that is how the text is extracted). A changed paragraph is paired with
the old paragraph it most resembles and carries word-level segments, so that a reader sees
which words changed in a long paragraph, not just that it changed.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.translation import gettext as _

CONTEXT_LINES = 3
# Pair an old and a new paragraph as "changed" only when they are at least this similar.
PAIR_CUTOFF = 0.5
# Beyond this many comparisons a replaced block is shown as deleted then inserted.
MAX_PAIRING_WORK = 40_000
_TOKEN = re.compile(r"\d+(?:[.,/]\d+)*|\w+|\s+|[^\w\s]")


def diff_texts(old: str, new: str, *, context: int = CONTEXT_LINES) -> dict:
    """`{"identical", "stats", "hunks"}`. Each hunk has `old_start`, `old_count`, `new_start`,
    `new_count` (1-based, as in a unified diff) and `lines`; a line is `equal`, `delete`,
    `insert` (with `old_line`/`new_line` and `text`) or `replace` (with both line numbers,
    `old_text`, `new_text` and word `segments`)."""
    a, b = _lines(old), _lines(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    hunks = [_hunk(group, a, b) for group in matcher.get_grouped_opcodes(context)]
    stats = {"inserted": 0, "deleted": 0, "replaced": 0}
    for hunk in hunks:
        for line in hunk["lines"]:
            if line["op"] != "equal":
                stats[{"insert": "inserted", "delete": "deleted"}.get(line["op"], "replaced")] += 1
    return {"identical": not hunks, "stats": stats, "hunks": hunks}


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _hunk(group, a: list[str], b: list[str]) -> dict:
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
            lines += _replace(a, i1, i2, b, j1, j2)
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


def _replace(a, i1, i2, b, j1, j2) -> list[dict]:
    """Like difflib.Differ's fancy replace: pair the most similar old and new paragraphs, and
    treat what lies on either side of the pair the same way."""
    if i1 >= i2 or j1 >= j2 or (i2 - i1) * (j2 - j1) > MAX_PAIRING_WORK:
        return [_line("delete", i, None, a[i]) for i in range(i1, i2)] + [
            _line("insert", None, j, b[j]) for j in range(j1, j2)
        ]
    best, best_i, best_j = PAIR_CUTOFF, None, None
    matcher = SequenceMatcher(autojunk=False)
    for j in range(j1, j2):
        matcher.set_seq2(b[j])
        for i in range(i1, i2):
            matcher.set_seq1(a[i])
            if (
                matcher.real_quick_ratio() > best
                and matcher.quick_ratio() > best
                and matcher.ratio() > best
            ):
                best, best_i, best_j = matcher.ratio(), i, j
    if best_i is None:
        return _replace(a, i1, i2, b, j1, j1) + _replace(a, i2, i2, b, j1, j2)
    pair = {
        "op": "replace",
        "old_line": best_i + 1,
        "new_line": best_j + 1,
        "old_text": a[best_i],
        "new_text": b[best_j],
        "segments": word_segments(a[best_i], b[best_j]),
    }
    return [
        *_replace(a, i1, best_i, b, j1, best_j),
        pair,
        *_replace(a, best_i + 1, i2, b, best_j + 1, j2),
    ]


def word_segments(old: str, new: str) -> list[dict]:
    """`[{"op": "equal"|"delete"|"insert", "text"}]`: the words that changed in a paragraph."""
    x, y = _TOKEN.findall(old), _TOKEN.findall(new)
    segments: list[dict] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if tag == "equal":
            _push(segments, "equal", "".join(x[i1:i2]))
            continue
        _push(segments, "delete", "".join(x[i1:i2]))
        _push(segments, "insert", "".join(y[j1:j2]))
    return segments


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

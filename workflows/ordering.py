"""The order a Vietnamese reader expects for section names and sources.

`sort_key` is the natural order: numbers and Roman numerals by value (I, II, ..., IX, X),
ordinal and number words after "Phần", "Chương", "Mục"... or "thứ" by value ("Phần thứ nhất"
before "Phần thứ hai", "Chương mười" after "Chương chín"), other words in Vietnamese
alphabetical order. `document_order` puts section names in the order they appear in a
version's text (a drafter's "II" is where part II is, "II.1" just after it) and places the
names the text does not hold by their natural order among the others.
"""

import re
import unicodedata

_TOKENS = re.compile(r"\d+|[^\W\d_]+|\S")
_WORDS = re.compile(r"\d+|[^\W\d_]+")
_ROMAN = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# Vietnamese alphabetical order; tones (huyền, hỏi, ngã, sắc, nặng) only break ties.
_ALPHABET = {ch: i for i, ch in enumerate("aăâbcdđeêghiklmnoôơpqrstuưvxy")}
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Words after which a number word is a number: "Phần thứ hai", "Chương ba", "Mục mười một".
_NUMBERED = {"phần", "chương", "mục", "tiểu", "điều", "khoản", "điểm", "tiết", "thứ", "số"}
_UNITS = {
    "nhất": 1,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
# Only the first line's beginning is read for its heading: a long paragraph costs no more.
_LINE_CHARS = 300


def _roman(token: str) -> int:
    values = [_ROMAN_VALUES[ch] for ch in token]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


def _vietnamese(word: str) -> tuple:
    letters: list[str] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", word.casefold()):
        if ch in _TONES and tones:
            tones[-1] = _TONES[ch]
        elif letters and (letters[-1], ch) in _LETTER_MARKS:
            letters[-1] = _LETTER_MARKS[(letters[-1], ch)]
        elif not unicodedata.combining(ch):
            letters.append(ch)
            tones.append(0)
    return tuple(_ALPHABET.get(ch, 100 + ord(ch)) for ch in letters), tuple(tones)


def _folded(token: str) -> str:
    return unicodedata.normalize("NFC", token).casefold()


def _number_words(words: list[str], start: int) -> tuple[int, int] | None:
    """(value, how many words) of the Vietnamese number at `start`: "nhất", "tư", "mười",
    "mười lăm", "hai mươi", "hai mươi mốt"; None if no number starts there."""
    tens, units, i = 0, 0, start
    if i < len(words) and words[i] == "mười":
        tens, i = 1, i + 1
    elif i < len(words) and words[i] in _UNITS:
        units, i = _UNITS[words[i]], i + 1
        if i < len(words) and words[i] == "mươi":
            tens, units, i = units, 0, i + 1
    else:
        return None
    if tens and i < len(words) and words[i] in _UNITS and words[i] != "nhất":
        units, i = _UNITS[words[i]], i + 1
    return tens * 10 + units, i - start


def sort_key(text: str) -> list:
    """Order section names and sources as a Vietnamese reader expects (see the module)."""
    tokens = _TOKENS.findall(text)
    words = [_folded(token) for token in tokens]
    key: list[tuple] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        number = _number_words(words, i) if i and words[i - 1] in _NUMBERED else None
        if number is not None:
            key.append((0, number[0], ()))
            i += number[1]
            continue
        if token.isdecimal():
            key.append((0, int(token), ()))
        elif _ROMAN.match(token):
            key.append((0, _roman(token), ()))
        else:
            key.append((1, 0, _vietnamese(token)))
        i += 1
    return key


def _is_number(token: str, folded: str) -> bool:
    return token.isdecimal() or bool(_ROMAN.match(token)) or folded in _UNITS or folded == "mười"


class _Outline:
    """Where, in a text, each section name first appears as the beginning of a paragraph
    (words compared without case or punctuation: "I" is found in "I. ĐÁNH GIÁ ...")."""

    def __init__(self, text: str):
        self.lines: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for index, line in enumerate(text.split("\n") if text else []):
            words = tuple(map(_folded, _WORDS.findall(line[:_LINE_CHARS])))
            if words:
                self.lines.setdefault(words[0], []).append((index, words))

    def position(self, name: str) -> int | None:
        """The paragraph where `name` is, else where its longest numbered beginning is
        ("II.1" where "II" is), else None."""
        tokens = _WORDS.findall(name)
        words = tuple(map(_folded, tokens))
        if not words:
            return None
        candidates = self.lines.get(words[0], [])
        exact = next((i for i, line in candidates if line == words), None)
        if exact is not None:
            return exact
        for size in range(len(words), 0, -1):
            if size < len(words) and not _is_number(tokens[size - 1], words[size - 1]):
                continue
            found = next((i for i, line in candidates if line[:size] == words[:size]), None)
            if found is not None:
                return found
        return None


def document_order(names, text: str = "") -> list[str]:
    """`names` in the order they appear in `text`; a name the text does not hold comes just
    after the last-placed name that precedes it in natural order (first if none does)."""
    outline = _Outline(text)
    keys = {name: sort_key(name) for name in names}
    found = {name: p for name in names if (p := outline.position(name)) is not None}

    def placed(name: str) -> tuple:
        if name in found:
            return found[name], 0, keys[name]
        before = [p for other, p in found.items() if keys[other] <= keys[name]]
        return max(before, default=-1), 1, keys[name]

    return sorted(names, key=placed)

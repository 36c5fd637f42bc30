"""People in the order a Vietnamese list gives them.

Vietnamese names read family, middle, given ("Trần Thu Hương"); a list of people is sorted by
the given name, then the family and middle names. Letters follow the Vietnamese alphabet
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: "Đức" after "Dũng", not after
"Yến"), and the tones (huyền, hỏi, ngã, sắc, nặng) only break ties: "Hà" and "Hạ" sort
together, before "Hải"... as they would without marks. Names typed in NFC or NFD sort the same.

`person_sort_key(user)` is the one key for every list of people (assignee and rapporteur
choices, member lists, filters): `sorted(users, key=person_sort_key)`, or
`key=lambda m: person_sort_key(m.user)` for memberships.
"""

import unicodedata

_ALPHABET = {ch: i for i, ch in enumerate("aăâbcdđeêghiklmnoôơpqrstuưvwxyz")}
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_OTHER = len(_ALPHABET)  # digits and letters of other alphabets come after, by code point


def text_sort_key(text: str) -> tuple:
    """A text's key in Vietnamese order: its letters first (tones ignored), then its tones."""
    letters: list[tuple[int, str]] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if ch in _TONES and letters:
            tones[-1] = _TONES[ch]
            continue
        if letters and (letters[-1][1], ch) in _LETTER_MARKS:
            merged = _LETTER_MARKS[(letters[-1][1], ch)]
            letters[-1] = (_ALPHABET[merged], merged)
            continue
        if unicodedata.combining(ch):
            continue
        if ch.isspace():
            letters.append((-1, " "))  # "An" before "Anh"
        else:
            letters.append((_ALPHABET.get(ch, _OTHER), ch))
        tones.append(0)
    return (tuple(letters), tuple(tones))


def person_sort_key(user) -> tuple:
    """By given name, then family and middle names, then username (for the same name twice).
    The given name is the last word of the full name as shown ("Trần Thu Hương" → "Hương")."""
    if user is None:
        return ((), (), ())
    full = " ".join((user.get_full_name() or "").split()) or user.username
    family_middle, _space, given = full.rpartition(" ")
    return (text_sort_key(given), text_sort_key(family_middle), user.username)

"""Vietnamese alphabetical order and diacritic-free matching.

Python sorts by code point, which puts "Đ" after "Z" and "Ă", "Â" after every plain letter.
Vietnamese dictionaries order the letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư
v x y, and words differing only by tone as: none, huyền, hỏi, ngã, sắc, nặng. People are
sorted by given name, then the family and middle names (congress.models.User keeps the given
name in `last_name`).
"""

import unicodedata

_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: rank for rank, letter in enumerate(_LETTERS, start=1)}
# Combining marks that make another letter (ă â ê ô ơ ư), and the tones, in dictionary order.
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_COMPOSED = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str):
    """(letter, tone) for each character of the text, lower-cased, marks read off NFD."""
    letter, tone = None, 0
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _LETTER_MARKS and letter is not None:
            letter = _COMPOSED.get((letter, _LETTER_MARKS[char]), letter)
        elif char in _TONES:
            tone = _TONES[char]
        elif unicodedata.combining(char):
            continue
        else:
            if letter is not None:
                yield letter, tone
            letter, tone = char, 0
    if letter is not None:
        yield letter, tone


def sort_key(text: str) -> tuple:
    """The key that sorts Vietnamese text in dictionary order: letters first, tones second."""
    letters = list(_letters(text or ""))
    primary = tuple(_RANK.get(letter, 100 + ord(letter)) for letter, _tone in letters)
    return primary, tuple(tone for _letter, tone in letters)


def person_sort_key(user) -> tuple:
    """Given name, then family and middle names, then username: "Đào Anh" after "Dũng"."""
    given = user.last_name or user.username
    return sort_key(given), sort_key(user.first_name), user.username.casefold()


def people_sorted(users) -> list:
    return sorted(users, key=person_sort_key)

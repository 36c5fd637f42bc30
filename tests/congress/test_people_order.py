"""People sort in Vietnamese order: by given name, Đ after D (not after Z), tones only
breaking ties, NFC and NFD alike; and the pages' lists of people use that order."""

import unicodedata
from types import SimpleNamespace

from congress.collation import person_sort_key


def person(full_name: str, username: str = "") -> SimpleNamespace:
    """A user as the project keeps one: family and middle names in first_name, the given
    name in last_name (get_full_name() reads "Trần Thu Hương")."""
    family_middle, _space, given = full_name.rpartition(" ")
    return SimpleNamespace(
        first_name=family_middle, last_name=given, username=username or full_name
    )


def ordered(*names: str) -> list[str]:
    return [p.username for p in sorted(map(person, names), key=person_sort_key)]


def test_d_stroke_comes_after_d_not_after_z():
    assert ordered("Trần Thị Yến", "Nguyễn Văn Đức", "Lê Văn Dũng") == [
        "Lê Văn Dũng",
        "Nguyễn Văn Đức",
        "Trần Thị Yến",
    ]


def test_given_name_first_then_family_and_middle():
    assert ordered("Trần Thu Hương", "Hoàng Thị Mai", "Nguyễn Thị Hương") == [
        "Nguyễn Thị Hương",
        "Trần Thu Hương",
        "Hoàng Thị Mai",
    ]


def test_letters_before_tones_and_the_vietnamese_alphabet():
    # a < ă < â; tones only break ties ("Hà", "Hạ" before "Hải"; "Anh" before "Ánh").
    assert ordered("Đỗ Văn Hải", "Vũ Thị Hạ", "Phạm Thị Hà") == [
        "Phạm Thị Hà",
        "Vũ Thị Hạ",
        "Đỗ Văn Hải",
    ]
    assert ordered("Lê Văn Ân", "Ngô Thị Ánh", "Bùi Anh", "Lê Thị Ăn") == [
        "Bùi Anh",
        "Ngô Thị Ánh",
        "Lê Thị Ăn",
        "Lê Văn Ân",
    ]


def test_nfd_names_sort_as_their_nfc_twins():
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert person_sort_key(person(nfd, "x")) == person_sort_key(person("Nguyễn Văn Đức", "x"))
    assert ordered(nfd, "Lê Văn Dũng", "Trần Thị Yến")[1] == nfd


def test_a_user_without_a_name_sorts_by_username():
    assert person_sort_key(person("", "zz"))[0] == person_sort_key(person("zz"))[0]

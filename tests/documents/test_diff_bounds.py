"""What a diff may cost is bounded: texts past the limits get a "too large to compare line by
line" answer, the pairing of replaced paragraphs is linear and within a budget, and a version
pair is diffed once, then served from the cache to the API and the document page."""

import pytest
from django.test import Client

from workflows import diff
from workflows.diff import diff_texts


def _changes(result):
    return [line for hunk in result["hunks"] for line in hunk["lines"] if line["op"] != "equal"]


def _paragraphs(count: int, word: str = "cũ") -> list[str]:
    return [
        f"Đoạn {i} về tăng trưởng kinh tế {word} của quận năm {2020 + i % 5}" for i in range(count)
    ]


def test_texts_past_the_line_limit_are_too_large_to_compare(settings):
    settings.DIFF_MAX_LINES = 10
    old, new = "\n".join(_paragraphs(6)), "\n".join(_paragraphs(6, "mới"))

    result = diff_texts(old, new)

    assert result == {
        "identical": False,
        "too_large": True,
        "lines": 12,
        "chars": len(old) + len(new) - 10,
        "max_lines": 10,
        "max_chars": 2_000_000,
        "stats": None,
        "hunks": [],
    }
    assert "too large to compare line by line: 12 paragraphs differ" in diff.diff_html(result)


def test_texts_past_the_character_limit_are_too_large_to_compare(settings):
    settings.DIFF_MAX_CHARS = 100

    result = diff_texts("a" * 60, "b" * 60)

    assert (result["too_large"], result["chars"], result["hunks"]) == (True, 120, [])


def test_only_what_differs_counts_toward_the_limit(settings):
    settings.DIFF_MAX_LINES = 10
    common = _paragraphs(1_000)
    new = [*common[:500], "Một đoạn mới", *common[500:]]

    result = diff_texts("\n".join(common), "\n".join(new))

    assert "too_large" not in result
    assert _changes(result) == [
        {"op": "insert", "old_line": None, "new_line": 501, "text": "Một đoạn mới"}
    ]


def test_identical_texts_past_the_limit_are_identical(settings):
    settings.DIFF_MAX_LINES = 10
    text = "\n".join(_paragraphs(100))

    assert diff_texts(text, text) == {
        "identical": True,
        "stats": {"inserted": 0, "deleted": 0, "replaced": 0},
        "hunks": [],
    }


def test_every_reworded_paragraph_is_paired_with_its_new_wording():
    old, new = _paragraphs(300), _paragraphs(300, "mới")

    changes = _changes(diff_texts("\n".join(old), "\n".join(new)))

    assert [(c["op"], c["old_line"], c["new_line"]) for c in changes] == [
        ("replace", i, i) for i in range(1, 301)
    ]
    assert changes[0]["segments"] == [
        {"op": "equal", "text": "Đoạn 0 về tăng trưởng kinh tế "},
        {"op": "delete", "text": "cũ"},
        {"op": "insert", "text": "mới"},
        {"op": "equal", "text": " của quận năm 2020"},
    ]


def _comparisons(monkeypatch) -> list:
    calls = []
    compare = diff._Pairer.segments
    monkeypatch.setattr(
        diff._Pairer, "segments", lambda self, i, j: calls.append((i, j)) or compare(self, i, j)
    )
    return calls


@pytest.mark.parametrize("count", [200, 400])
def test_pairing_a_rewritten_block_compares_each_paragraph_with_a_few_neighbours(
    monkeypatch, count
):
    """Nothing alike: each old paragraph is compared with at most 2 * PAIR_WINDOW + 1 new
    ones (pairing every old with every new one made a rewrite of 8,000 lines take minutes)."""
    calls = _comparisons(monkeypatch)
    old = [f"Cũ {i} " + "chữ " * (i % 7) for i in range(count)]
    new = [f"Mới {i} khác hẳn {i * 31}" for i in range(count)]

    result = diff_texts("\n".join(old), "\n".join(new))

    assert result["stats"] == {"inserted": count, "deleted": count, "replaced": 0}
    assert len(calls) <= count * (2 * diff.PAIR_WINDOW + 1)


def test_past_the_pairing_budget_paragraphs_are_deleted_and_inserted(monkeypatch):
    monkeypatch.setattr(diff, "PAIR_BUDGET_TOKENS", 100)
    old, new = _paragraphs(50), _paragraphs(50, "mới")

    result = diff_texts("\n".join(old), "\n".join(new))

    replaced = result["stats"]["replaced"]
    assert 0 < replaced < 50
    assert result["stats"] == {
        "inserted": 50 - replaced,
        "deleted": 50 - replaced,
        "replaced": replaced,
    }


@pytest.fixture
def compared(people, make_document, add_version):
    document = make_document()
    add_version(document, "Mở đầu\nTăng trưởng 10,5%")
    add_version(document, "Mở đầu\nTăng trưởng 11,2%")
    add_version(document, "Mở đầu\nTăng trưởng 11,2%\nKết luận")
    return document


def _counting(monkeypatch) -> list:
    calls = []
    compute = diff.diff_texts
    monkeypatch.setattr(diff, "diff_texts", lambda *a, **k: calls.append(a) or compute(*a, **k))
    return calls


def test_a_version_pair_is_diffed_once_for_the_api_and_the_page(people, api, compared, monkeypatch):
    calls = _counting(monkeypatch)
    client = api(people.docs_member)
    page = Client()
    page.force_login(people.docs_member)
    url = f"/api/v1/documents/{compared.pk}/diff/?from=1&to=2"

    first = client.get(url).json()
    second = client.get(url).json()
    html = client.get(url + "&format=html").content.decode()
    shown = page.get(f"/documents/{compared.pk}/?from=1&to=2").content.decode()

    assert len(calls) == 1
    assert first == second
    assert first["stats"] == {"inserted": 0, "deleted": 0, "replaced": 1}
    assert "<del>10,5</del>" in html and "<del>10,5</del>" in shown


def test_another_version_pair_is_diffed_apart(people, api, compared, monkeypatch):
    calls = _counting(monkeypatch)
    client = api(people.docs_member)

    one = client.get(f"/api/v1/documents/{compared.pk}/diff/?from=1&to=2").json()
    two = client.get(f"/api/v1/documents/{compared.pk}/diff/?from=1&to=3").json()

    assert len(calls) == 2
    assert (one["stats"]["inserted"], two["stats"]["inserted"]) == (0, 1)


def test_too_large_versions_are_said_so_by_the_api_and_the_page(people, api, compared, settings):
    settings.DIFF_MAX_LINES = 1
    people.docs_member.language = "en"
    people.docs_member.save()
    page = Client()
    page.force_login(people.docs_member)

    response = api(people.docs_member).get(f"/api/v1/documents/{compared.pk}/diff/?from=1&to=3")
    shown = page.get(f"/documents/{compared.pk}/?from=1&to=3").content.decode()

    assert response.status_code == 200
    assert (response.json()["too_large"], response.json()["lines"]) == (True, 3)
    assert (response.json()["stats"], response.json()["hunks"]) == (None, [])
    assert "too large to compare line by line" in shown

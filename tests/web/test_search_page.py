"""The search page /search/?q= and the search box in every page's header."""

import pytest


@pytest.fixture
def report_task(make_task):
    return make_task(
        title="Hoàn thiện dự thảo lần 2 Báo cáo chính trị",
        description="Tiếp thu ý kiến của Ban Thường vụ vào Báo cáo chính trị.",
    )


def test_results_are_grouped_by_kind_with_marked_words_and_links(web, world, report_task):
    page = web(world.docs_member).get("/search/", {"q": "bao cao chinh tri"})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h2 id="search-tasks">' in html
    assert f'href="/tasks/{report_task.pk}/"' in html
    assert "<mark>Báo</mark> <mark>cáo</mark> <mark>chính</mark> <mark>trị</mark>" in html
    assert 'value="bao cao chinh tri"' in html


def test_a_one_letter_query_is_refused_next_to_the_box_keeping_it(web, world, report_task):
    page = web(world.docs_member).get("/search/", {"q": "b"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="search-error" role="alert">Type at least 2 characters to search.' in html
    assert 'value="b"' in html
    assert report_task.title not in html


def test_a_query_over_200_characters_is_refused(web, world):
    page = web(world.docs_member).get("/search/", {"q": "đại hội " * 30})
    assert page.status_code == 400
    assert "A search is at most 200 characters." in page.content.decode()


def test_an_empty_query_shows_the_box(web, world):
    page = web(world.docs_member).get("/search/")
    assert page.status_code == 200
    assert 'id="search-q"' in page.content.decode()
    assert "search-error" not in page.content.decode()


def test_confidential_work_never_reaches_a_documents_member(web, world, secret):
    links = (f'href="/tasks/{secret.task.pk}/', f'href="/documents/{secret.document.pk}/')
    html = web(world.docs_member).get("/search/", {"q": "nhan su"}).content.decode()
    assert not any(link in html for link in links)
    assert "tái cử" not in html and "mật" not in html
    html = web(world.docs_member).get("/search/", {"q": "ra soat ho so"}).content.decode()
    assert "hồ sơ" not in html
    html = web(world.personnel_member).get("/search/", {"q": "nhan su"}).content.decode()
    assert all(link in html for link in links)
    assert "Danh sách <mark>nhân</mark> <mark>sự</mark> dự kiến tái cử (mật)" in html
    html = web(world.personnel_member).get("/search/", {"q": "ra soat ho so"}).content.decode()
    assert "Đã <mark>rà</mark> <mark>soát</mark> <mark>hồ</mark> <mark>sơ</mark>" in html


def test_more_than_the_cap_says_so_and_offers_the_rest(web, world, make_task):
    for n in range(22):
        make_task(title=f"Khánh tiết hội trường {n}")
    html = web(world.docs_member).get("/search/", {"q": "khanh tiet"}).content.decode()
    assert html.count('class="search-hit"') == 20
    assert "Only the best 20 matches are shown." in html
    assert "kind=tasks" in html
    html = web(world.docs_member).get("/search/", {"q": "khanh tiet", "kind": "tasks"}).content
    assert html.decode().count('class="search-hit"') == 22


def test_nothing_found_says_so(web, world):
    html = web(world.docs_member).get("/search/", {"q": "quốc phòng"}).content.decode()
    assert "Nothing you may see matches “quốc phòng”." in html


def test_every_page_has_the_search_box_in_its_header(web, world):
    html = web(world.docs_member).get("/tasks/").content.decode()
    assert '<form class="header-search" method="get" action="/search/" role="search">' in html
    assert 'name="q"' in html


def test_the_page_needs_a_login(web, world):
    page = web().get("/search/", {"q": "bao cao"})
    assert page.status_code == 302
    assert page["Location"].startswith("/login/")

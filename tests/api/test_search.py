"""GET /api/v1/search/: diacritics and case ignored (đ included), ranking, the visibility
rule of now for every kind, people only from shared congresses, bounded input and queries."""

import unicodedata

import pytest

from congress.services import membership_delete
from tests.documents.conftest import add_version, make_document, people  # noqa: F401
from tests.factories import MembershipFactory, TaskFactory, UserFactory
from workflows.models import Comment, Document
from workflows.services.bodies import body_update
from workflows.services.tasks import task_comment_add

SECRET_TASK = "Danh sách nhân sự dự kiến tái cử"
SECRET_DOCUMENT = "Đề án nhân sự khóa XXVI"
SECRET_COMMENT = "Đồng chí Lưu cần bổ sung hồ sơ tái cử"


def search(client, q, **params):
    return client.get("/api/v1/search/", {"q": q, **params})


def titles(response, kind):
    assert response.status_code == 200, response.content
    return [hit["title"] for hit in response.json()[kind]["results"]]


@pytest.fixture
def secret(people, make_document, add_version):  # noqa: F811
    """Personnel (confidential) work: a task with a comment, a document whose version has a
    comment; each holds the word "tái cử"."""
    task = TaskFactory(
        congress=people.congress,
        body=people.personnel,
        assignee=people.personnel_member,
        title=SECRET_TASK,
    )
    task_comment_add(actor=people.personnel_member, task_id=task.pk, text=SECRET_COMMENT)
    document = make_document(
        body=people.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title=SECRET_DOCUMENT,
        rapporteur=people.personnel_member,
    )
    version = add_version(document, "Phương án nhân sự tái cử nhiệm kỳ 2025-2030")
    Comment.objects.create(
        version=version, author=people.sc_head, text="Rà soát lại tiêu chuẩn tái cử"
    )
    return people


def test_diacritics_and_case_do_not_matter(api, world, make_task):
    make_task(title="Hoàn thiện Báo cáo chính trị trình Đại hội")
    make_task(title="Chuẩn bị hội trường")
    client = api(world.docs_member)
    for q in ("bao cao chinh tri", "BÁO CÁO CHÍNH TRỊ", "Bao Cao Chinh Tri", "báo cáo chính trị"):
        assert titles(search(client, q), "tasks") == ["Hoàn thiện Báo cáo chính trị trình Đại hội"]


def test_d_with_stroke_is_d(api, world, make_task):
    make_task(title="Tổng hợp ý kiến các đảng bộ cơ sở")
    make_task(title="Đề án nhân sự")
    client = api(world.docs_member)
    assert titles(search(client, "dang bo"), "tasks") == ["Tổng hợp ý kiến các đảng bộ cơ sở"]
    assert titles(search(client, "ĐẢNG BỘ"), "tasks") == ["Tổng hợp ý kiến các đảng bộ cơ sở"]
    assert titles(search(client, "de an"), "tasks") == ["Đề án nhân sự"]


def test_decomposed_text_is_found_by_composed_words_and_back(api, world, make_task):
    decomposed = unicodedata.normalize("NFD", "Lấy ý kiến Mặt trận Tổ quốc")
    make_task(title=decomposed)
    client = api(world.docs_member)
    assert titles(search(client, "mặt trận tổ quốc"), "tasks") == [decomposed]
    assert titles(search(client, unicodedata.normalize("NFD", "Mặt trận")), "tasks") == [decomposed]


def test_every_word_must_match(api, world, make_task):
    make_task(title="Báo cáo kiểm điểm")
    make_task(title="Báo cáo chính trị")
    assert titles(search(api(world.docs_member), "bao cao chinh tri"), "tasks") == [
        "Báo cáo chính trị"
    ]


def test_documents_are_found_by_the_text_of_their_latest_version(
    api,
    people,  # noqa: F811
    make_document,  # noqa: F811
    add_version,  # noqa: F811
):
    report = make_document(title="Dự thảo Nghị quyết")
    add_version(report, "Phát triển kinh tế biển là khâu đột phá")
    add_version(report, "Chuyển đổi số là khâu đột phá thứ nhất")
    client = api(people.docs_member)
    response = search(client, "chuyen doi so")
    assert titles(response, "documents") == ["Dự thảo Nghị quyết"]
    hit = response.json()["documents"]["results"][0]
    assert "Chuyển đổi số" in hit["snippet"]
    assert hit["url"] == f"http://testserver/documents/{report.pk}/"
    # An earlier version's text is not what the document says now.
    assert titles(search(client, "kinh te bien"), "documents") == []


def test_a_title_match_comes_before_a_body_match(api, world, make_task):
    make_task(title="Rà soát số liệu", description="Số liệu tái cử: " + "tái cử, " * 40)
    make_task(title="Danh sách tái cử")
    make_task(title="Lịch họp", description="Bàn về tái cử")
    found = titles(search(api(world.docs_member), "tai cu"), "tasks")
    assert found[0] == "Danh sách tái cử"
    assert set(found[1:]) == {"Rà soát số liệu", "Lịch họp"}


def test_a_document_title_match_comes_before_its_text(
    api,
    people,  # noqa: F811
    make_document,  # noqa: F811
    add_version,  # noqa: F811
):
    by_text = make_document(title="Báo cáo kiểm điểm")
    add_version(by_text, "Chương trình hành động " * 60)
    make_document(title="Chương trình hành động thực hiện Nghị quyết", kind="action_programme")
    found = titles(search(api(people.docs_member), "chuong trinh hanh dong"), "documents")
    assert found == ["Chương trình hành động thực hiện Nghị quyết", "Báo cáo kiểm điểm"]


def test_confidential_work_is_found_only_by_who_may_see_it(api, secret):
    w = secret
    for user in (w.docs_member, w.docs_head, w.steering_member, w.outsider):
        response = search(api(user), "tai cu")
        assert response.status_code == 200
        body = response.json()
        assert all(body[kind]["results"] == [] for kind in ("tasks", "documents", "comments"))
        assert "tái cử" not in response.content.decode()
    for user in (w.personnel_member, w.sc_head, w.steering_head, w.staff):
        response = search(api(user), "tai cu")
        assert titles(response, "tasks") == [SECRET_TASK]
        assert titles(response, "documents") == [SECRET_DOCUMENT]
        assert len(response.json()["comments"]["results"]) == 2


def test_comments_on_a_confidential_document_stay_hidden(api, secret):
    w = secret
    hidden = search(api(w.docs_member), "tieu chuan").json()["comments"]["results"]
    assert hidden == []
    seen = search(api(w.personnel_head), "tieu chuan").json()["comments"]["results"]
    assert [hit["snippet"] for hit in seen] == ["Rà soát lại tiêu chuẩn tái cử"]
    assert seen[0]["url"] == (
        f"http://testserver/documents/{secret.personnel.documents.get().pk}/"
        f"#comment-{Comment.objects.get(text__startswith='Rà soát').pk}"
    )


def test_removal_from_the_personnel_body_hides_its_work_at_once(api, secret):
    w = secret
    client = api(w.personnel_head)
    assert titles(search(client, "tai cu"), "tasks") == [SECRET_TASK]
    membership_delete(actor=w.sc_head, body=w.personnel, user_id=w.personnel_head.pk)
    response = search(client, "tai cu")
    assert titles(response, "tasks") == []
    assert titles(response, "documents") == []
    assert titles(response, "comments") == []


def test_a_body_made_confidential_is_hidden_at_once(api, world):
    TaskFactory(congress=world.congress, body=world.orgbody, title="Phương án an ninh hội trường")
    client = api(world.docs_member)
    assert titles(search(client, "an ninh"), "tasks") == ["Phương án an ninh hội trường"]
    body_update(actor=world.sc_head, body_id=world.orgbody.pk, confidential=True)
    assert titles(search(client, "an ninh"), "tasks") == []


def test_people_only_from_a_shared_congress(api, world):
    world.docs_member.first_name, world.docs_member.last_name = "Nguyễn Thị", "Hương"
    world.docs_member.save()
    world.outsider.first_name, world.outsider.last_name = "Đỗ Thu", "Hường"
    world.outsider.save()
    gone = UserFactory(username="cu.huong", first_name="Lê", last_name="Hương", is_active=False)
    MembershipFactory(body=world.docs, user=gone)
    response = search(api(world.sc_head), "huong")
    assert titles(response, "people") == ["Nguyễn Thị Hương"]
    hit = response.json()["people"]["results"][0]
    assert (
        hit["url"]
        == f"http://testserver/congresses/{world.congress.pk}/bodies/#body-{world.docs.pk}"
    )
    assert titles(search(api(world.outsider), "huong"), "people") == ["Đỗ Thu Hường"]
    assert titles(search(api(world.staff), "huong"), "people") == [
        "Nguyễn Thị Hương",
        "Đỗ Thu Hường",
    ]


def test_people_by_a_word_beginning_or_their_username(api, world):
    world.docs_head.first_name, world.docs_head.last_name = "Trần Thu", "Hương"
    world.docs_head.save()
    world.docs_deputy.first_name, world.docs_deputy.last_name = "Vũ", "Phương"
    world.docs_deputy.save()
    client = api(world.docs_member)
    assert titles(search(client, "huong"), "people") == ["Trần Thu Hương"]
    assert titles(search(client, "tran huo"), "people") == ["Trần Thu Hương"]
    assert titles(search(client, "docs_deputy"), "people") == ["Vũ Phương"]


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("a", "query_too_short"),
        ("  a  ", "query_too_short"),
        ("", "query_too_short"),
        ("x" * 201, "query_too_long"),
        ("?!", "query_without_words"),
    ],
)
def test_queries_out_of_bounds_are_a_400_that_says_why(api, world, q, code):
    response = search(api(world.docs_member), q)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["q"]


def test_a_query_without_q_is_a_400(api, world):
    response = api(world.docs_member).get("/api/v1/search/")
    assert response.status_code == 400
    assert response.json()["code"] == "query_too_short"


@pytest.mark.parametrize(
    "params", [{"limit": "0"}, {"limit": "51"}, {"limit": "x"}, {"kind": "secrets"}]
)
def test_bad_parameters_are_a_400(api, world, params):
    assert search(api(world.docs_member), "bao cao", **params).status_code == 400


@pytest.mark.parametrize(
    "q", ["bao\x00cao", "x" * 200, "'; DROP TABLE --", "a:* & b | !c", "100% đạt_chỉ\\tiêu"]
)
def test_odd_queries_never_fail(api, world, make_task, q):
    make_task(title="Báo cáo")
    assert search(api(world.docs_member), q).status_code == 200


def test_results_are_capped_per_kind_and_say_so(api, world, make_task):
    for n in range(23):
        make_task(title=f"Tuyên truyền đợt {n}")
    client = api(world.docs_member)
    body = search(client, "tuyen truyen").json()
    assert (len(body["tasks"]["results"]), body["tasks"]["truncated"]) == (20, True)
    body = search(client, "tuyen truyen", limit=50, kind="tasks").json()
    assert (len(body["tasks"]["results"]), body["tasks"]["truncated"]) == (23, False)
    assert set(body) == {"q", "limit", "tasks"}


def _fill(world, n):
    for i in range(n):
        task = TaskFactory(congress=world.congress, body=world.docs, title=f"Hội nghị lần {i}")
        task_comment_add(actor=world.docs_head, task_id=task.pk, text=f"Hội nghị {i} đã họp")
        MembershipFactory(
            body=world.docs, user=UserFactory(username=f"hoi{i}", last_name=f"Hội {i}")
        )


@pytest.mark.parametrize("n", [2, 15])
def test_the_number_of_queries_does_not_grow_with_the_results(
    api, world, django_assert_max_num_queries, n
):
    _fill(world, n)
    client = api(world.docs_member)
    search(client, "hoi nghi")  # the token and roles are cached after a first request
    with django_assert_max_num_queries(8):
        body = search(client, "hoi").json()
    assert len(body["tasks"]["results"]) == n
    assert len(body["comments"]["results"]) == n
    assert len(body["people"]["results"]) == n

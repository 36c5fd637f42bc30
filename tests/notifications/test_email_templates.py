"""Every email goes one way: templates of `emails/` (subject, text, html) rendered and sent by
notifications.email. Each template reads in Vietnamese and in English, in both parts; the html
part escapes what it is given and loads nothing from elsewhere; and no other module sends mail
through Django's mail functions."""

import ast
import re
from datetime import datetime, time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail

from notifications.email import Outgoing, deliveries_send, due_batches, render, send_templated
from notifications.models import Preference
from notifications.services import preference_for
from tests.factories import HANOI

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ("congress", "notifications", "workflows", "config")
LANGUAGES = ("vi", "en")
HOSTILE = "Ủy ban <b>MTTQ</b> & Lê Chân"


def _notification(**fields) -> SimpleNamespace:
    defaults = {"title": HOSTILE, "text": "", "link": "/tasks/7/", "confidential": False}
    return SimpleNamespace(**{**defaults, **fields})


def _consultation(**more) -> dict:
    return {
        "name": HOSTILE,
        "title": "Báo cáo chính trị",
        "round": 2,
        "closes": "17:00 22/08/2025",
        "person": "Nguyễn Thị Hoa",
        "body": "Tiểu ban Văn kiện",
        **more,
    }


SITE = "https://daihoi.example.vn"
# What each template is given by the code that sends it.
SAMPLES = {
    "notifications": {
        "notifications": [_notification(text="Hạn: 20/08/2025")],
        "site_url": SITE,
    },
    "account_invitation": {
        "name": HOSTILE,
        "sender": "Lê Thị Thảo",
        "congress": "Đại hội XX",
        "username": "duc.pv",
        "link": f"{SITE}/account/password/set/NQ/abc-123/",
        "days": 3,
    },
    "consultation_invitation": _consultation(
        organization="Quận ủy Lê Chân", url=f"{SITE}/consult/{'x' * 43}/"
    ),
    "consultation_reminder": _consultation(sent="11/08/2025"),
}
BATCHES = [
    [_notification(), _notification(title="Nhiệm vụ 2", link="/tasks/8/")],
    [_notification(confidential=True)],
]


def _email_files(pattern: str) -> list[str]:
    return [p.name for app in APPS for p in (ROOT / app / "templates" / "emails").glob(pattern)]


def test_every_email_template_has_a_sample_and_its_three_parts():
    subjects = _email_files("*.subject.txt")
    assert {name.removesuffix(".subject.txt") for name in subjects} == set(SAMPLES)
    for name in SAMPLES:
        parts = [f"{name}.html", f"{name}.subject.txt", f"{name}.txt"]
        assert sorted(_email_files(f"{name}.*")) == parts


def _values(given) -> list[str]:
    if isinstance(given, dict | SimpleNamespace):
        given = list(vars(given).values() if isinstance(given, SimpleNamespace) else given.values())
    if isinstance(given, list):
        return [value for item in given for value in _values(item)]
    return [str(given)]


def _own_lines(text: str, context: dict) -> set[str]:
    """The lines that say more than the values they were given."""
    values = _values(context)
    own = set()
    for line in text.splitlines():
        rest = line
        for value in sorted(values, key=len, reverse=True):
            rest = rest.replace(value, "")
        if re.search(r"[A-Za-z]{3}", rest):
            own.add(line)
    return own


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_email_template_reads_in_vietnamese_and_english_in_both_parts(name):
    context = SAMPLES[name]
    rendered = {language: render(name, context, language) for language in LANGUAGES}
    for language, (subject, text, html) in rendered.items():
        assert subject and subject == subject.strip() and "\n" not in subject
        assert "{" not in subject + text + html and "%(" not in subject + text + html
        assert text.endswith("\n") and not text.startswith("\n")
        assert html.startswith("<!doctype html>") and f'<html lang="{language}">' in html
        assert html.rstrip().endswith("</body></html>")
    # Nothing the template says itself stays in English in the Vietnamese email.
    (_, en_text, _), (_, vi_text, _) = rendered["en"], rendered["vi"]
    assert _own_lines(en_text, context) and not (
        _own_lines(en_text, context) & _own_lines(vi_text, context)
    )


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_html_part_escapes_what_it_is_given_and_loads_nothing(name):
    _subject, text, html = render(name, SAMPLES[name], "vi")
    assert HOSTILE in text
    assert "<b>MTTQ</b>" not in html and "&lt;b&gt;MTTQ&lt;/b&gt; &amp; Lê Chân" in html
    assert not re.search(r"<(img|script|link|iframe|style)\b|src=|url\(|@import", html)
    # Every link of the text part is a link of the html part.
    for url in re.findall(r"https?://\S+", text):
        assert f'href="{url}"' in html


@pytest.mark.parametrize("notifications", BATCHES, ids=["several", "confidential"])
def test_the_notification_subject_counts_several_and_hides_a_confidential_one(notifications):
    context = {"notifications": notifications, "site_url": SITE}
    subjects = {language: render("notifications", context, language)[0] for language in LANGUAGES}
    if len(notifications) > 1:
        assert subjects["en"] == "[Congress Prep] 2 new notifications"
    else:
        assert subjects["en"] == "[Congress Prep] Confidential update"
        assert HOSTILE not in render("notifications", context, "vi")[1]
    assert subjects["vi"] != subjects["en"]


MAIL_SENDERS = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
    "get_connection",
}


def _mail_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
            found += [f"{alias.name}:{node.lineno}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "django.core":
            found += [f"{a.name}:{node.lineno}" for a in node.names if a.name == "mail"]
        elif isinstance(node, ast.Import):
            mail = [a.name for a in node.names if a.name.startswith("django.core.mail")]
            found += [f"{name}:{node.lineno}" for name in mail]
        elif isinstance(node, ast.Attribute) and node.attr in MAIL_SENDERS:
            found.append(f"{node.attr}:{node.lineno}")
    return found


def test_no_module_but_notifications_email_sends_mail():
    senders = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if relative != "notifications/email.py" and (uses := _mail_uses(path)):
                senders[relative] = uses
    assert senders == {}


@pytest.mark.django_db
def test_a_templated_email_about_the_readers_work_waits_for_their_quiet_hours(
    world, time_machine, django_capture_on_commit_callbacks
):
    reader = world.docs_member
    Preference.objects.filter(pk=preference_for(reader).pk).update(
        quiet_start=time(22), quiet_end=time(7)
    )
    time_machine.move_to(datetime(2025, 6, 2, 23, 0, tzinfo=HANOI), tick=False)
    about_work = Outgoing(reader.email, SAMPLES["account_invitation"], "en", user=reader)
    asked_for = about_work._replace(user=None)
    with django_capture_on_commit_callbacks(execute=True):
        waiting, _sent = send_templated("account_invitation", [about_work, asked_for])
    assert waiting.send_after == datetime(2025, 6, 3, 7, 0, tzinfo=HANOI)
    assert [m.to for m in mail.outbox] == [[reader.email]]

    time_machine.move_to(datetime(2025, 6, 3, 7, 0, 1, tzinfo=HANOI), tick=False)
    for batch in due_batches():
        deliveries_send(batch)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Your account for the preparation of the congress"

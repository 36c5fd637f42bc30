"""Links point where the server really is: `make run` gives the settings its HOST and PORT
(SITE_URL, for emails, follows them unless it is given), and API answers build their absolute
links from the request they answer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def site_url(**variables) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **variables)
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_site_url_follows_host_and_port_when_not_given():
    assert site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert site_url(HOST="192.168.1.20", PORT="9000") == "http://192.168.1.20:9000"
    assert site_url(HOST="0.0.0.0", PORT="9000") == "http://127.0.0.1:9000"
    assert site_url(PORT="8123", SITE_URL="https://daihoi.example.vn") == (
        "https://daihoi.example.vn"
    )


def test_make_run_passes_host_and_port_to_the_server():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=127.0.0.2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    server = next(line for line in result.stdout.splitlines() if "uvicorn" in line)
    assert "HOST=127.0.0.2 PORT=8123 " in server and "--port 8123" in server


@pytest.mark.django_db
def test_the_calendar_link_in_api_answers_is_built_from_the_request(world, api, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    client = api(world.docs_member)
    me = client.get("/api/v1/me/", HTTP_HOST="localhost:8123").json()
    assert me["calendar_url"].startswith("http://localhost:8123/calendar/")
    rotated = client.post("/api/v1/me/calendar-token/", HTTP_HOST="localhost:8123").json()
    assert rotated["calendar_url"].startswith("http://localhost:8123/calendar/")

"""The production topology on this machine: nginx in front (deploy/nginx.conf), gunicorn's sync
workers serving HTTP through config.wsgi, uvicorn serving only the websockets through
config.asgi, a Celery worker, PostgreSQL and Redis. One transition goes in through the
proxy's HTTP side and comes out as a frame on a websocket opened through the proxy."""

import gzip
import json
import shutil
import urllib.request

import pytest

from tests.environment import missing
from tests.integration.services import Proxy, WsgiServer, free_port
from tests.integration.test_live_websocket import (
    open_live,
    post_transition,
    receive_until,
    subscribe,
    transitioned,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def proxy(process_env, asgi_server, logs_dir):
    if not shutil.which(Proxy.BINARY):
        missing("the proxy test needs Debian's nginx (apt-get install nginx)")
    gunicorn = WsgiServer(process_env, logs_dir / "gunicorn.log", free_port())
    gunicorn.start()
    nginx = Proxy(
        logs_dir / "nginx.log",
        logs_dir / "nginx",
        port=free_port(),
        wsgi_port=gunicorn.port,
        asgi_port=asgi_server.port,
    )
    nginx.start()
    nginx.wsgi = gunicorn
    yield nginx
    nginx.stop()
    gunicorn.stop()


def test_a_transition_through_the_proxy_reaches_a_websocket_through_the_proxy(
    world, make_task, proxy, worker
):
    task = make_task()

    with open_live(proxy, world.docs_head) as ws:
        assert subscribe(ws, world.congress.pk) == []
        answer = post_transition(proxy, world.docs_member, task, "start")
        frame = receive_until(ws, transitioned(task, "start"))[-1]

    assert answer["status"] == "in_progress"
    assert frame["congress"] == world.congress.pk
    assert frame["data"]["id"] == task.pk
    assert frame["data"]["status"] == "in_progress"


def test_http_goes_to_gunicorn_and_text_answers_are_compressed(world, proxy):
    request = urllib.request.Request(
        f"{proxy.url}/api/v1/schema/?format=json", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = gzip.decompress(response.read())
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(body)["info"]["title"]
    # gunicorn's access log has the request: HTTP did not go to uvicorn.
    assert "/api/v1/schema/?format=json" in proxy.wsgi.log_text()

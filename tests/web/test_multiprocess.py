"""Two server processes sharing PostgreSQL and Redis.

A customer on one and an agent on the other talk live.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from contextlib import contextmanager

import httpx
import pytest
from websockets.sync.client import connect

from samenspel.settings import Settings
from tests.conftest import free_port
from tests.factories import make_staff, start_conversation

pytestmark = pytest.mark.postgres


@contextmanager
def serve_process(env, log_path):
    port = free_port()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "samenspel", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {log_path.read_text()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not start in 30 s")
            time.sleep(0.1)
        yield base, f"ws://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def recv_until(ws, predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(ws.recv(timeout=max(0.05, deadline - time.monotonic())))
        if predicate(frame):
            return frame


def test_customer_and_agent_on_different_processes_talk_live(pg_database_url, redis_url, tmp_path):
    prefix = f"mp{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "SAMENSPEL_ENVIRONMENT": "test",
        "SAMENSPEL_DATA_DIR": str(tmp_path),
        "SAMENSPEL_DATABASE_URL": pg_database_url,
        "SAMENSPEL_REDIS_URL": redis_url,
        "SAMENSPEL_REDIS_CHANNEL_PREFIX": prefix,
    }
    settings = Settings(environment="test", data_dir=tmp_path, database_url=pg_database_url)
    with (
        serve_process(env, tmp_path / "a.log") as (base_a, ws_a),
        serve_process(env, tmp_path / "b.log") as (base_b, ws_b),
        httpx.Client(base_url=base_a) as customer_api,
        httpx.Client(base_url=base_b) as agent_api,
    ):
        conv = start_conversation(customer_api, name="Joke Visser")
        agent = make_staff(settings, agent_api, name="Anna de Vries")

        with connect(f"{ws_a}/ws/chat") as customer, connect(f"{ws_b}/ws/staff") as staff:
            customer.send(json.dumps({"type": "hello", "conversation_id": conv.id, "token": conv.token}))
            assert json.loads(customer.recv(timeout=5))["type"] == "ready"
            staff.send(json.dumps({"type": "hello", "token": agent.token}))
            assert json.loads(staff.recv(timeout=5))["type"] == "ready"
            staff.send(json.dumps({"type": "watch", "conversation_id": conv.id}))
            recv_until(staff, lambda f: f["type"] == "watching")

            # Customer on process A writes; the agent on process B sees it live.
            customer.send(json.dumps({"type": "message", "text": "Ik wil een medewerker", "client_id": "x1"}))
            seen = recv_until(staff, lambda f: f["type"] == "message" and f["message"]["author"] == "customer")
            assert seen["message"]["text"] == "Ik wil een medewerker"

            # The agent on process B takes over and replies; the customer on A sees both live.
            agent_api.post(f"/api/v1/staff/conversations/{conv.id}/assign", headers=agent.headers).raise_for_status()
            agent_api.post(
                f"/api/v1/staff/conversations/{conv.id}/messages",
                json={"text": "Goedemiddag, met Anna."},
                headers=agent.headers,
            ).raise_for_status()
            status = recv_until(customer, lambda f: f["type"] == "status" and f["status"] == "assigned")
            assert status["agent"] == {"name": "Anna de Vries"}
            reply = recv_until(customer, lambda f: f["type"] == "message" and f["message"]["author"] == "agent")
            assert reply["message"]["text"] == "Goedemiddag, met Anna."
            assert reply["message"]["author_name"] == "Anna de Vries"

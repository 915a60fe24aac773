"""The command line, run as a real process (CONTRACT.md §2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from samenspel.settings import Settings
from tests.conftest import LiveServer


def samenspel(*args, data_dir, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "samenspel", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SAMENSPEL_ENVIRONMENT": "test", **(env or {})},
        check=False,
    )


def test_ask_prints_the_decision_as_json(tmp_path):
    result = samenspel("ask", "--json", "Hoe vraag ik een parkeervergunning aan?", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert set(decision) >= {"language", "mode", "reply", "sources", "handoff", "signals"}
    assert decision["language"] == "nl"
    assert decision["mode"] == "handoff"
    assert decision["handoff"]["reasons"] == ["low_confidence"]


def test_ask_reads_json_lines_and_reports_bad_lines_without_stopping(tmp_path):
    lines = "\n".join(
        [
            json.dumps({"text": "I would like to speak to a person", "customer": {"name": "Emily Clarke"}}),
            "{not json",
            json.dumps({"customer": {"name": "no text"}}),
            json.dumps({"text": "wanneer is het stadhuis open?", "customer": {"segment": "vip"}}),
        ]
    )
    result = samenspel("ask", "--json", data_dir=tmp_path, stdin=lines + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["handoff"]["reasons"] == ["customer_request"]
    assert "Emily" not in out[0]["reply"] or out[0]["language"] == "en"
    assert out[1]["error"]["code"] == "invalid_input"
    assert "line 2" in out[1]["error"]["message"]
    assert "JSON" in out[1]["error"]["message"]
    assert "text" in out[2]["error"]["message"]
    assert out[3]["language"] == "nl"
    assert out[3]["signals"]["segment"] == "vip"
    assert "2 of 4 lines had errors" in result.stderr


def test_ask_without_json_is_readable(tmp_path):
    result = samenspel("ask", "mag ik een medewerker?", data_dir=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("[handoff] language=nl")
    assert "customer_request" in result.stdout


def test_users_add_prints_a_password_that_works(tmp_path):
    args = ["--name", "Fatima Yilmaz", "--email", "fatima@samenstad.example", "--role", "supervisor"]
    result = samenspel("users", "add", *args, "--languages", "nl,tr", "--skills", "burgerzaken", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    password = next(line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("password: "))
    server = LiveServer(Settings(environment="test", data_dir=tmp_path)).start()
    try:
        with server.client() as client:
            login = client.post("/api/v1/auth/token", json={"email": "fatima@samenstad.example", "password": password})
    finally:
        server.stop()
    assert login.status_code == 200
    assert login.json()["staff"]["role"] == "supervisor"
    assert login.json()["staff"]["languages"] == ["nl", "tr"]


def test_users_add_reads_the_password_from_stdin_and_prints_none(tmp_path):
    args = ["--name", "Bo", "--email", "bo@samenstad.example", "--role", "agent", "--password-stdin"]
    result = samenspel("users", "add", *args, data_dir=tmp_path, stdin="a long enough secret\n")
    assert result.returncode == 0
    assert "password" not in result.stdout
    assert "a long enough secret" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["--email", "not-an-email", "--role", "agent"], "email"),
        (["--email", "x@samenstad.example", "--role", "boss"], "role"),
        (["--email", "x@samenstad.example", "--role", "agent", "--languages", "dutch"], "language"),
    ],
)
def test_users_add_refuses_bad_input_with_exit_code_2(tmp_path, args, mentions):
    result = samenspel("users", "add", "--name", "X", *args, data_dir=tmp_path)
    assert result.returncode == 2
    assert mentions in result.stderr.lower()
    assert "Traceback" not in result.stderr


def test_users_add_refuses_a_duplicate_email(tmp_path):
    args = ("users", "add", "--name", "A", "--email", "dup@samenstad.example", "--role", "agent")
    assert samenspel(*args, data_dir=tmp_path).returncode == 0
    again = samenspel(*args, data_dir=tmp_path)
    assert again.returncode == 2
    assert again.stderr.strip() == "error: a staff account with e-mail dup@samenstad.example already exists"


def test_demo_seeds_once(tmp_path):
    first = samenspel("demo", "--no-serve", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "46 knowledge-base articles; 5 staff and 3 conversations added" in first.stdout
    assert "anna@samenstad.example" in first.stdout
    assert "samenspel-demo" in first.stdout
    second = samenspel("demo", "--no-serve", data_dir=tmp_path)
    assert "0 staff and 0 conversations added" in second.stdout


def test_more_workers_need_redis(tmp_path):
    result = samenspel("serve", "--workers", "2", data_dir=tmp_path)
    assert result.returncode == 2
    assert "SAMENSPEL_REDIS_URL" in result.stderr

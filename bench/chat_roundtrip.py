"""Chat round trips under load: N concurrent WebSocket customers, each sending messages through the full
pipeline, against a server in its own process.

Prints one table: messages per second, p50/p99 of the acknowledgement (message stored) and of the
assistant's reply, and server memory per open connection, for
- a baseline: the same web stack with no storage and no pipeline (bench/echo_server.py),
- Samenspel on SQLite (the embedded default),
- Samenspel on PostgreSQL + Redis (when they answer on 127.0.0.1).

    .venv/bin/python bench/chat_roundtrip.py [--clients 200] [--messages 5]

Client and server share this machine's cores, so absolute figures are a floor; compare the rows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import websockets

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Hoe vraag ik een nieuw paspoort aan?",
    "wanneer wordt het grofvuil opgehaald",
    "Ik ben verhuisd, hoe geef ik mijn nieuwe adres door?",
    "Wat kost een parkeervergunning?",
    "How do I apply for a parking permit?",
    "mijn container is niet geleegd",
    "Wat zijn de openingstijden van het stadhuis?",
    "hoe lang is een rijbewijs geldig",
]


@dataclass
class Result:
    name: str
    clients: int
    messages: int = 0
    elapsed: float = 0.0
    ack_ms: list[float] = field(default_factory=list)
    reply_ms: list[float] = field(default_factory=list)
    rss_per_conn_kib: float = 0.0
    errors: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def wait_healthy(base: str, proc: subprocess.Popen[bytes]) -> None:
    # A first start may train the shipped models before it answers (once per data dir or cache).
    async with httpx.AsyncClient() as client:
        for _ in range(3000):
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            try:
                if (await client.get(f"{base}/healthz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


async def customer(
    i: int, base: str, ws_url: str, http: httpx.AsyncClient, messages: int, connected: asyncio.Barrier,
    go: asyncio.Event, result: Result,
) -> None:  # fmt: skip
    r = await http.post(f"{base}/api/v1/conversations", json={"channel": "webchat", "customer": {"language": "nl"}})
    conv = r.json()
    # No client keepalive pings: at saturation a pong can take longer than their 20 s timeout, and a
    # dropped connection would lose the measurement rather than show the tail.
    async with websockets.connect(f"{ws_url}/ws/chat", max_queue=None, open_timeout=60, ping_interval=None) as ws:
        await ws.send(json.dumps({"type": "hello", "conversation_id": conv["id"], "token": conv["token"]}))
        ready = json.loads(await ws.recv())
        status = ready["conversation"]["status"]
        await connected.wait()
        await go.wait()
        for m in range(messages):
            client_id = f"{i}-{m}"
            started = time.perf_counter()
            await ws.send(
                json.dumps({"type": "message", "text": QUESTIONS[(i + m) % len(QUESTIONS)], "client_id": client_id})
            )
            acked = False
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
                kind = frame["type"]
                if kind == "ack" and frame["client_id"] == client_id:
                    result.ack_ms.append((time.perf_counter() - started) * 1000)
                    result.messages += 1
                    acked = True
                    if status != "assistant":
                        break  # a person handles it now: the assistant stays quiet
                elif kind == "message" and frame["message"]["author"] == "assistant" and acked:
                    result.reply_ms.append((time.perf_counter() - started) * 1000)
                    break
                elif kind == "status":
                    status = frame["status"]
                elif kind == "error":
                    result.errors += 1
                    break


async def drive(name: str, command: list[str], env: dict[str, str], clients: int, messages: int) -> Result:
    port = free_port()
    base, ws_url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"
    proc = subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is measured
        [*command, str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    result = Result(name, clients)
    try:
        await wait_healthy(base, proc)
        server = psutil.Process(proc.pid)
        rss_before = server.memory_info().rss
        connected = asyncio.Barrier(clients + 1)
        go = asyncio.Event()
        limits = httpx.Limits(max_connections=50)
        async with httpx.AsyncClient(limits=limits, timeout=60) as http:
            tasks = [
                asyncio.create_task(customer(i, base, ws_url, http, messages, connected, go, result))
                for i in range(clients)
            ]
            await connected.wait()
            await asyncio.sleep(0.5)
            result.rss_per_conn_kib = (server.memory_info().rss - rss_before) / clients / 1024
            started = time.perf_counter()
            go.set()
            await asyncio.gather(*tasks)
            result.elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return result


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


async def create_pg_database() -> str | None:
    if not answers(5432):
        return None
    import asyncpg

    name = f"samenspel_bench_{secrets.token_hex(3)}"
    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return name


async def drop_pg_database(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5)
    args = parser.parse_args()

    serve = [sys.executable, "-m", "samenspel", "serve", "--port"]
    runs: list[tuple[str, list[str], dict[str, str]]] = [
        (
            "baseline: web stack only (echo)",
            [sys.executable, str(ROOT / "bench" / "echo_server.py")],
            dict(os.environ),
        ),
    ]
    sqlite_dir = tempfile.mkdtemp(prefix="samenspel-bench-")
    runs.append(("samenspel, SQLite + in-process bus", serve, {**os.environ, "SAMENSPEL_DATA_DIR": sqlite_dir}))
    pg_name = await create_pg_database()
    if pg_name and answers(6379):
        env = {
            **os.environ,
            "SAMENSPEL_DATA_DIR": tempfile.mkdtemp(prefix="samenspel-bench-"),
            "SAMENSPEL_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{pg_name}",
            "SAMENSPEL_REDIS_URL": "redis://127.0.0.1:6379/0",
            "SAMENSPEL_REDIS_CHANNEL_PREFIX": f"bench{secrets.token_hex(3)}",
        }
        runs.append(("samenspel, PostgreSQL + Redis", serve, env))

    results = []
    try:
        for name, command, env in runs:
            print(f"running: {name} ({args.clients} clients x {args.messages} messages)", file=sys.stderr)
            results.append(await drive(name, command, env, args.clients, args.messages))
    finally:
        if pg_name:
            await drop_pg_database(pg_name)

    cpu = os.cpu_count()
    print(f"\nchat round trip: {args.clients} concurrent WebSocket customers x {args.messages} messages, "
          f"client and server on one machine ({cpu} cores)\n")  # fmt: skip
    header = (
        "server",
        "msgs/s",
        "ack p50",
        "ack p99",
        "reply p50",
        "reply p99",
        "replies",
        "RSS/conn",
        "errors",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in results:
        row = (
            r.name,
            f"{r.messages / r.elapsed:,.0f}" if r.elapsed else "-",
            f"{statistics.median(r.ack_ms):.1f} ms" if r.ack_ms else "-",
            f"{pct(r.ack_ms, 0.99):.1f} ms" if r.ack_ms else "-",
            f"{statistics.median(r.reply_ms):.1f} ms" if r.reply_ms else "-",
            f"{pct(r.reply_ms, 0.99):.1f} ms" if r.reply_ms else "-",
            str(len(r.reply_ms)),
            f"{r.rss_per_conn_kib:.0f} KiB",
            str(r.errors),
        )
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    asyncio.run(main())

#!/usr/bin/env python3
"""Benchmark of `firstline serve` (release build, loopback), in one run:
  1. start-up on the bundled intents: seconds from exec to the first /healthz answer, first start on a
     fresh data folder (trains) and restart (cached model), median of 9 each;
  2. chat messages per second through the full path (HTTP → classify → reducer → durable
     journal → reply) with wrk over 64 keep-alive connections, and its latency percentiles;
  3. 2,000 concurrent open event streams (SSE) on one process: resident memory, and that an
     event reaches every one of them.
Usage: service_bench.py [--binary B] [--duration S] [--connections C] [--streams N]
Rate limits are switched off (--limit-address 0 --limit-session 0 --limit-streams 0): every
connection comes from 127.0.0.1 and each chat gets far more than one message a second."""
import argparse
import json
import os
import re
import shutil
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "service"))
from firstline_client import Server  # noqa: E402

TEXTS = ["bonus çevrim şartı nedir", "para çekme ne kadar sürer", "how do I verify my account",
         "hesabım kilitlendi", "chcę wypłacić pieniądze", "kaip gauti bonusą", "минимальный депозит",
         "depozit necə edilir", "what is the minimum deposit", "freebet nasıl kullanılır"]


def startup(binary, runs=9):
    """Seconds from exec to the first /healthz answer: the first start on a fresh data folder
    (trains the classifier, then caches it there), and restarts on the same folder. Nine of
    each: on a shared machine single starts vary by a tenth of a second."""
    first, again = [], []
    for _ in range(runs):
        data = tempfile.mkdtemp(prefix="firstline-start-")
        server = Server(binary, data)
        first.append(server.start())
        server.stop()
        server = Server(binary, data)
        again.append(server.start())
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
    return statistics.median(first), statistics.median(again), first


def wrk_run(server, duration, connections, sessions):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    entries = ",".join('{"%s","%s"}' % s for s in sessions)
    texts = ",".join(json.dumps(json.dumps({"text": t}, ensure_ascii=False)) for t in TEXTS)
    script.write(f"""
local sessions = {{{entries}}}
local bodies = {{{texts}}}
local counter = math.random(1, 100000)
request = function()
  counter = counter + 1
  local s = sessions[(counter % #sessions) + 1]
  return wrk.format("POST", "/api/chat/sessions/" .. s[1] .. "/messages",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. s[2]}}, bodies[(counter % #bodies) + 1])
end
""")
    script.close()
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script.name, server.base],
                         capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def latency(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"requests_per_s": rps, "p50_ms": latency(50), "p90_ms": latency(90), "p99_ms": latency(99),
            "non_2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(1) if errors else "", "raw": out}


def open_streams(server, sessions):
    """Opens one event stream per session; returns the sockets once every one answered 200."""
    selector = selectors.DefaultSelector()
    sockets = []
    for session, token in sessions:
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(f"GET /api/chat/sessions/{session}/events?token={token} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n".encode())
        s.setblocking(False)
        sockets.append(s)
        selector.register(s, selectors.EVENT_READ, {"session": session, "buffer": b""})
    return selector, sockets


def wait_for(selector, count, predicate, timeout):
    """Reads from every stream until `predicate(buffer)` holds for `count` of them."""
    done = set()
    deadline = time.monotonic() + timeout
    while len(done) < count and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            try:
                chunk = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            key.data["buffer"] += chunk
            if key.data["session"] not in done and predicate(key.data["buffer"]):
                done.add(key.data["session"])
    return len(done)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/firstline")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--streams", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    first_start, median_start, first_starts = startup(args.binary)
    print(f"start-up on the bundled intents (exec to first /healthz answer, median of 9): restart {median_start:.2f} s; "
          f"first start on a fresh data folder (trains the classifier) {first_start:.2f} s "
          f"(range {min(first_starts):.2f}-{max(first_starts):.2f})")

    server = Server(args.binary, tempfile.mkdtemp(prefix="firstline-bench-"), extra=["--limit-address", "0", "--limit-session", "0"])
    server.start()
    sessions = [server.open_session() for _ in range(1000)]
    load = wrk_run(server, args.duration, args.connections, sessions)
    print(f"chat messages through the full path, {args.connections} connections, {args.duration} s: "
          f"{load['requests_per_s']:.0f}/s; latency p50 {load['p50_ms']:.2f} ms, p90 {load['p90_ms']:.2f} ms, "
          f"p99 {load['p99_ms']:.2f} ms; non-2xx {load['non_2xx']}; socket errors: {load['socket_errors'] or 'none'}")
    rss_after_load = server.rss_mb()
    server.stop()

    server = Server(args.binary, tempfile.mkdtemp(prefix="firstline-sse-"), extra=["--limit-address", "0", "--limit-session", "0", "--limit-streams", "0"])
    server.start()
    stream_sessions = [server.open_session("tr") for _ in range(args.streams)]
    selector, sockets = open_streams(server, stream_sessions)
    connected = wait_for(selector, args.streams, lambda b: b.startswith(b"HTTP/1.1 200") and b"event: state" in b, 60)
    rss_open = server.rss_mb()
    # One event for every stream: each user asks for a person and gets a queue place.
    for session, token in stream_sessions:
        server.say(session, token, "canlı temsilci ile görüşmek istiyorum")
    delivered = wait_for(selector, args.streams, lambda b: b"event: queue" in b, 60)
    rss_events = server.rss_mb()
    print(f"event streams: {connected}/{args.streams} open, an event delivered to {delivered}/{args.streams}; "
          f"resident memory {rss_open:.0f} MB with them open, {rss_events:.0f} MB after the events")
    for s in sockets:
        s.close()
    server.stop()
    result = {"startup_s": median_start, "first_start_s": first_start, "first_starts_s": first_starts, "load": {k: v for k, v in load.items() if k != "raw"}, "rss_after_load_mb": rss_after_load,
              "streams": args.streams, "streams_open": connected, "streams_delivered": delivered, "rss_streams_mb": max(rss_open, rss_events)}
    if args.json:
        print(json.dumps(result))
    ok = (load["requests_per_s"] >= 10000 and load["p99_ms"] <= 20 and load["non_2xx"] == 0 and median_start <= 1 and first_start <= 1
          and delivered == args.streams and result["rss_streams_mb"] <= 300)
    print("targets (≥10,000 msg/s, p99 ≤ 20 ms, first start and restart ≤ 1 s, every stream served, ≤ 300 MB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

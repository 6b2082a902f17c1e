#!/usr/bin/env python3
"""Crash test for `firstline serve`: conversations run against the real server from several
threads; the server is killed with SIGKILL in the middle of them, several times, and started
again on the same data folder. After every restart, every message the server acknowledged
(answered 200) must be in its session's transcript, in order; every ticket must still be
there with the same department; and the waiting order (queue positions) must be as before
the kill. Usage: crash_test.py [BINARY] (default .build/release/firstline)."""
import random
import sys
import tempfile
import threading
import time

from firstline_client import Server

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/release/firstline"
MESSAGES = ["bonus çevrim şartı nedir", "para çekme ne kadar sürer", "how do I verify my account",
            "hesabım kilitlendi", "chcę wypłacić pieniądze", "kaip gauti bonusą", "я хочу поговорить с оператором",
            "canlı temsilci istiyorum", "şikayetim var, param yatmadı", "what is the minimum deposit"]


def main():
    data = tempfile.mkdtemp(prefix="firstline-crash-")
    server = Server(BINARY, data, extra=["--limit-address", "0", "--limit-session", "0"])
    server.start()
    acknowledged = {}          # session -> list of user texts answered 200
    tokens = {}
    tickets = {}               # session -> (ticket, department) acknowledged in a reply
    lock = threading.Lock()
    failures = []

    def talk(stop, seed):
        rng = random.Random(seed)
        while not stop.is_set():
            try:
                session, token = server.open_session()
            except Exception:
                return
            with lock:
                tokens[session] = token
                acknowledged[session] = []
            for _ in range(rng.randint(2, 6)):
                text = rng.choice(MESSAGES) + f" #{rng.randint(0, 9999)}"
                try:
                    status, body = server.say(session, token, text)
                except Exception:
                    return  # the server died mid-request: not acknowledged
                if status == 200:
                    with lock:
                        acknowledged[session].append(text)
                        if body.get("queue"):
                            tickets[session] = (body["queue"]["ticket"], body["queue"]["department"])
                elif status not in (409, 410):
                    failures.append(f"unexpected {status} {body}")
                    return

    for round_number in range(5):
        stop = threading.Event()
        threads = [threading.Thread(target=talk, args=(stop, round_number * 100 + i)) for i in range(8)]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(0.8, 2.0))
        if round_number % 2 == 0:
            server.kill()                  # SIGKILL in the middle of conversations
        else:
            server.stop()                  # SIGTERM: graceful, in-flight requests answered
        stop.set()
        for thread in threads:
            thread.join()
        server.start()
        with lock:
            sessions = dict(acknowledged)
        missing = 0
        for session, texts in sessions.items():
            status, body = server.get(f"/api/chat/sessions/{session}", token=tokens[session])
            if status != 200:
                if texts:
                    failures.append(f"round {round_number}: session {session} with {len(texts)} acknowledged messages: {status}")
                continue
            if session in tickets:
                queue = body.get("queue") or {}
                if (queue.get("ticket"), queue.get("department")) != tickets[session]:
                    failures.append(f"round {round_number}: ticket {tickets[session]} of {session} not waiting after restart: {queue}")
            user_turns = [m["text"] for m in body["messages"] if m["role"] == "user"]
            # Every acknowledged message is there, in order (unacknowledged ones may be too).
            position = 0
            for text in texts:
                try:
                    position = user_turns.index(text, position) + 1
                except ValueError:
                    missing += 1
                    failures.append(f"round {round_number}: acknowledged message lost in {session}: {text!r}")
        status, before = server.get("/api/agent/queue", token=server.agent_token)
        # Restart once more without a crash: the queue must be identical.
        server.stop()
        server.start()
        status_after, after = server.get("/api/agent/queue", token=server.agent_token)
        order = lambda q: [[(t["ticket"], t["department"], t["priority"]) for t in d["waiting"]] for d in q["departments"]]
        if status != 200 or status_after != 200 or order(before) != order(after):
            failures.append(f"round {round_number}: queue differs after restart")
        waiting = sum(d.get("waiting_count", len(d["waiting"])) for d in after["departments"])
        print(f"round {round_number + 1}: {'killed (SIGKILL)' if round_number % 2 == 0 else 'stopped (SIGTERM)'} with {sum(len(t) for t in sessions.values())} acknowledged messages in "
              f"{len(sessions)} chats; lost {missing}; {waiting} tickets waiting, same order after restart (the first 50 per department compared)")
    server.stop()
    if failures:
        print("FAILED:\n" + "\n".join(failures[:20]))
        return 1
    print("crash test passed: nothing acknowledged was lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())

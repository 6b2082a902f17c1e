"""A small client for the Firstline service over real sockets (Python standard library only):
starts `firstline serve` on a free port, reads the tokens it prints, and calls the JSON API.
Used by the crash test and the service benchmark."""
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `firstline serve` process."""

    def __init__(self, binary, data, port=None, extra=()):
        self.binary, self.data = binary, data
        self.port = port or free_port()
        self.extra = list(extra)
        self.process = None
        self.agent_token = None
        self.admin_token = None
        self.output = []

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        """Starts the server; returns seconds until /healthz answered."""
        began = time.monotonic()
        self.process = subprocess.Popen(
            [self.binary, "serve", "--data", self.data, "--port", str(self.port), *self.extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        deadline = began + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("server exited during start-up:\n" + "".join(self.output))
            self.output.append(line)
            m = re.search(r"demo agent token[^:]*: ([0-9a-f]{32})", line)
            if m:
                self.agent_token = m.group(1)
            m = re.search(r"admin token[^:]*: ([0-9a-f]{32})", line)
            if m:
                self.admin_token = m.group(1)
            if "stop with Ctrl-C" in line:
                break
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return time.monotonic() - began
            except OSError:
                time.sleep(0.01)
        raise RuntimeError("server did not answer /healthz")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def request(self, method, path, body=None, token=None, timeout=10):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                raw = response.read()
                return response.status, (json.loads(raw) if raw and response.headers.get_content_type() == "application/json" else raw)
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw

    def get(self, path, token=None):
        return self.request("GET", path, token=token)

    def post(self, path, body=None, token=None):
        return self.request("POST", path, body if body is not None else {}, token=token)

    # The chat API
    def open_session(self, locale=None):
        status, body = self.post("/api/chat/sessions", {"locale": locale} if locale else {})
        assert status == 201, (status, body)
        return body["session"], body["token"]

    def say(self, session, token, text, choice=None):
        payload = {"text": text}
        if choice:
            payload["choice"] = choice
        return self.post(f"/api/chat/sessions/{session}/messages", payload, token=token)

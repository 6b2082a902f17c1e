#!/usr/bin/env python3
"""End-to-end browser test of the Firstline chat widget and agent console.

Headless Chromium driven through chromedriver with a small W3C WebDriver client over urllib
(Python 3 standard library only). Two browser sessions: the user on the demo page `/` and the
agent on `/agent`.

    browser_test.py --base http://127.0.0.1:8080 --agent-token HEX [--out DIR]
    browser_test.py --start .build/release/firstline [--out DIR]   # starts `firstline serve` itself

Environment fallbacks: FIRSTLINE_BASE, FIRSTLINE_AGENT_TOKEN, FIRSTLINE_BIN (with --start without a value).
Exit 0 on success, 1 with the failing step on failure.
"""
import argparse
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

WAIT = 15.0
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"
KEY_ENTER = "\ue007"


class StepFailed(Exception):
    pass


CURRENT = {"step": "setup"}


def log(msg):
    print("[browser-test] " + msg, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode("utf-8", "replace")


class WebDriverError(Exception):
    pass


class Browser:
    """One W3C WebDriver session."""

    def __init__(self, driver_url, name, window=(1280, 900)):
        self.driver = driver_url
        self.name = name
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {"binary": CHROMIUM, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=%d,%d" % window,
                "--lang=en-US"]},
        }}}
        status, r = http("POST", driver_url + "/session", caps, timeout=60)
        if status != 200:
            raise WebDriverError("cannot create %s browser session: %s" % (name, r))
        self.sid = r["value"]["sessionId"]
        self.base = "%s/session/%s" % (driver_url, self.sid)
        self.cmd("POST", "/timeouts", {"implicit": 0, "pageLoad": 30000, "script": 15000})

    def cmd(self, method, path, body=None):
        if method == "POST" and body is None:
            body = {}
        status, r = http(method, self.base + path, body)
        if status != 200:
            err = r.get("value", {}) if isinstance(r, dict) else {}
            raise WebDriverError("%s %s -> %s %s: %s" % (method, path, status, err.get("error"), (err.get("message") or str(r))[:300]))
        return r.get("value") if isinstance(r, dict) else r

    def quit(self):
        try:
            http("DELETE", self.base, timeout=20)
        except Exception:
            pass

    # navigation / scripts
    def get(self, url):
        self.cmd("POST", "/url", {"url": url})

    def refresh(self):
        self.cmd("POST", "/refresh")

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def screenshot(self, path):
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)
        log("screenshot " + path)

    def console_errors(self):
        """SEVERE entries of the browser console since the last call (JS errors, CSP violations, failed loads)."""
        try:
            entries = self.cmd("POST", "/se/log", {"type": "browser"}) or []
        except WebDriverError:
            return []
        return [e.get("message", "") for e in entries if e.get("level") == "SEVERE"]

    def set_window(self, w, h):
        self.cmd("POST", "/window/rect", {"width": w, "height": h})

    def title(self):
        return self.cmd("GET", "/title")

    # elements
    def find_all(self, css):
        return [e[ELEMENT_KEY] for e in self.cmd("POST", "/elements", {"using": "css selector", "value": css})]

    def find(self, css):
        els = self.find_all(css)
        return els[0] if els else None

    def click(self, el):
        self.cmd("POST", "/element/%s/click" % el)

    def type(self, el, text):
        self.cmd("POST", "/element/%s/value" % el, {"text": text})

    def clear(self, el):
        self.cmd("POST", "/element/%s/clear" % el)

    def text(self, el):
        return self.cmd("GET", "/element/%s/text" % el)

    def attr(self, el, name):
        return self.cmd("GET", "/element/%s/attribute/%s" % (el, name))

    def displayed(self, el):
        return self.cmd("GET", "/element/%s/displayed" % el)

    def visible(self, css):
        """The first displayed element matching css, or None."""
        for e in self.find_all(css):
            try:
                if self.displayed(e):
                    return e
            except WebDriverError:
                pass
        return None


def wait_for(step, what, fn, timeout=WAIT, interval=0.25):
    deadline = time.time() + timeout
    last_err = None
    while time.time() < deadline:
        try:
            v = fn()
            if v:
                return v
        except WebDriverError as e:
            last_err = e
        time.sleep(interval)
    raise StepFailed("%s: timed out after %.0fs waiting for %s%s" % (step, timeout, what, (" (last error: %s)" % last_err) if last_err else ""))


def click_css(step, b, css, what=None, timeout=WAIT):
    """Finds and clicks css, again if the page re-rendered it in between (stale element)."""
    def attempt():
        e = b.visible(css)
        if not e:
            return False
        try:
            b.click(e)
            return True
        except WebDriverError as err:
            if "stale element" in str(err) or "not interactable" in str(err) or "intercepted" in str(err):
                return False
            raise
    wait_for(step, what or css, attempt, timeout=timeout)


class Server:
    """`firstline serve` started by the test (--start)."""

    def __init__(self, binary, intents=None):
        self.data = tempfile.mkdtemp(prefix="firstline-browser-")
        self.port = free_port()
        cmd = [binary, "serve", "--data", self.data, "--port", str(self.port)] + (["--intents", intents] if intents else [])
        log("starting " + " ".join(cmd))
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines = []
        self.token = None
        self.base = None
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            m = re.search(r"demo agent token[^:]*: ([0-9a-f]{32})", line)
            if m:
                self.token = m.group(1)
            m = re.search(r"serving on (http://\S+)", line)
            if m:
                self.base = m.group(1).rstrip("/")
            if self.token and self.base:
                self.ready.set()
        self.ready.set()

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline and not (self.token and self.base):
            if self.proc.poll() is not None:
                break
            self.ready.wait(0.2)
        if not (self.token and self.base):
            if self.proc.poll() is not None:
                self.reader.join(3)  # the output of a server that exited at once
            why = "it exited with status %s" % self.proc.returncode if self.proc.poll() is not None else "none within %ds" % timeout
            raise StepFailed("server start: no 'demo agent token' / 'serving on' line (%s); output:\n%s"
                             % (why, "\n".join(self.lines[-30:])))
        # "serving on http://0.0.0.0:P" is reachable as 127.0.0.1
        self.base = self.base.replace("://0.0.0.0", "://127.0.0.1").replace("://[::]", "://127.0.0.1")
        while time.time() < deadline:
            try:
                status, _ = http("GET", self.base + "/healthz", timeout=3)
                if status == 200:
                    return
            except Exception:
                pass
            time.sleep(0.2)
        raise StepFailed("server start: GET %s/healthz never answered 200" % self.base)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.data, ignore_errors=True)


def start_chromedriver():
    port = free_port()
    proc = subprocess.Popen([CHROMEDRIVER, "--port=%d" % port], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = "http://127.0.0.1:%d" % port
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            status, r = http("GET", url + "/status", timeout=2)
            if status == 200 and r.get("value", {}).get("ready"):
                return proc, url
        except Exception:
            pass
        time.sleep(0.2)
    proc.kill()
    raise StepFailed("chromedriver: %s did not become ready" % CHROMEDRIVER)


# ---------------------------------------------------------------------------------------------
def run_flow(base, token, out):
    user = agent = None
    shots = []

    def shot(b, name):
        p = os.path.join(out, name)
        b.screenshot(p)
        shots.append(p)

    try:
        drv_proc, drv = start_chromedriver()
    except StepFailed:
        raise
    try:
        user = Browser(drv, "user")
        agent = Browser(drv, "agent")

        # -- 0. the agent signs in and goes online (so a handoff is queued, not an offline ack)
        step = "0 agent sign-in"
        CURRENT["step"] = step
        agent.get(base + "/agent")
        tok = wait_for(step, "#token", lambda: agent.visible("#token"))
        agent.type(tok, "0" * 32)
        agent.click(agent.find("#signin"))
        wait_for(step, "a clear error for a wrong token", lambda: agent.visible("#signin-error") and "not accepted" in agent.text(agent.find("#signin-error")))
        agent.clear(tok)
        agent.type(tok, token)
        agent.click(agent.find("#signin"))
        wait_for(step, "the console after sign-in (#presence)", lambda: agent.visible("#presence"))
        agent.click(agent.find("#presence option[value=online]"))
        wait_for(step, "presence online confirmed by the server", lambda: agent.js(
            "return document.getElementById('presence').value === 'online' && document.getElementById('presence-dot').classList.contains('online')"))
        # let the event stream connect before the handoff happens
        wait_for(step, "the live connection (#conn.ok)", lambda: agent.find("#conn.ok"))
        log("step 0 ok: agent signed in, online")

        # -- a. the user opens the widget, picks Turkish, asks about bonus wagering
        step = "a bot answer"
        CURRENT["step"] = step
        user.get(base + "/")
        user.js("localStorage.clear(); sessionStorage.clear();")
        user.refresh()
        launcher = wait_for(step, "#fl-launcher", lambda: user.visible("#fl-launcher"))
        user.click(launcher)
        wait_for(step, "the chat panel with the greeting", lambda: user.visible(".fl-msg.fl-bot"))
        user.click(wait_for(step, "#fl-lang", lambda: user.visible("#fl-lang")))
        user.click(user.find("#fl-lang option[value=tr]"))
        wait_for(step, "Turkish widget texts (placeholder)", lambda: user.attr(user.find("#fl-input"), "placeholder") == "Mesajınızı yazın…")
        wait_for(step, "the Turkish greeting", lambda: user.js(
            "var m=document.querySelectorAll('.fl-msg.fl-bot');return m.length===1 && /Merhaba/.test(m[0].textContent)"))
        inp = user.find("#fl-input")
        user.type(inp, "Bonus çevrim şartı nedir?")
        user.type(inp, KEY_ENTER)  # keyboard Enter sends
        wait_for(step, "the user's turn in the transcript", lambda: user.visible(".fl-msg.fl-user"))
        ans = wait_for(step, "a .fl-msg.fl-bot[data-kind^='answer:bonus.']", lambda: user.visible(".fl-msg.fl-bot[data-kind^='answer:bonus.']"))
        kind = user.attr(ans, "data-kind")
        if "https://" in user.text(ans) and not user.js(
                "return !!document.querySelector(\".fl-msg.fl-bot[data-kind^='answer:bonus.'] a[href^='https://'][rel~='noopener']\")"):
            raise StepFailed("%s: the web address in the answer is not a safe link" % step)
        log("step a ok: bot answered (%s): %s" % (kind, user.text(ans)[:80]))
        wait_for(step, "quick replies under the answer", lambda: user.visible(".fl-quick button"))
        shot(user, "user-1-answer.png")

        # -- b. the user asks for a person and is queued
        step = "b queued"
        CURRENT["step"] = step
        inp = user.find("#fl-input")
        user.type(inp, "Canlı temsilciyle görüşmek istiyorum")
        user.click(user.find("#fl-send"))
        q = wait_for(step, "#fl-queue with a position", lambda: user.visible("#fl-queue"))
        wait_for(step, "a position number in #fl-queue", lambda: re.search(r"\d", user.text(q)))
        qtext = user.text(q)
        if "Sıradaki yeriniz" not in qtext:
            raise StepFailed("%s: queue bar not in Turkish: %r" % (step, qtext))
        log("step b ok: queued: %s" % qtext.replace("\n", " | "))
        shot(user, "user-2-queued.png")

        # -- c. the agent sees the ticket live, claims it, sees the context, replies
        step = "c agent"
        CURRENT["step"] = step
        item = wait_for(step, "a .queue-item[data-ticket] (live, no reload)", lambda: agent.visible(".queue-item[data-ticket]"))
        ticket = agent.attr(item, "data-ticket")
        wait_for(step, "the new-chat banner", lambda: agent.visible("#banner"))
        wait_for(step, "the tab title flashing '(1) New chat'", lambda: agent.title().startswith("(1) New chat"), interval=0.2)
        alert = agent.js("var b=document.getElementById('banner');return {rung: b.getAttribute('data-rung'), sound: b.getAttribute('data-sound'), notification: b.getAttribute('data-notification')}")
        if alert["rung"] != "1":
            raise StepFailed("%s: the handoff did not ring (banner data-rung=%r)" % (step, alert["rung"]))
        if alert["sound"] != "played":
            raise StepFailed("%s: the alert sound was not played (%s)" % (step, alert["sound"]))
        log("alert: %s" % alert)
        wait_for(step, "the waiting time ticking", lambda: re.search(r"\d:\d\d", agent.text(agent.find(".queue-item .wait"))))
        log("ticket %s appeared; title=%r" % (ticket, agent.title()))
        shot(agent, "agent-1-ticket.png")
        click_css(step, agent, ".queue-item[data-ticket='%s'] .claim" % ticket, "the ticket's Claim button")
        conv = wait_for(step, "#conversation showing the claimed ticket", lambda: agent.js(
            "var c=document.getElementById('conversation');return c && c.getAttribute('data-ticket')===arguments[0] && !document.getElementById('conv').hidden",
            ticket))
        ctx = agent.js("return {locale: document.getElementById('x-locale').textContent, intent: document.getElementById('x-intent').textContent,"
                       " turns: document.querySelectorAll('#conversation .turn.user').length}")
        if not ctx["locale"].startswith("tr"):
            raise StepFailed("%s: context language is %r, expected tr" % (step, ctx["locale"]))
        if not ctx["intent"] or ctx["intent"] == "—":
            raise StepFailed("%s: no intent in the context panel" % step)
        if ctx["turns"] < 2:
            raise StepFailed("%s: expected the user's 2 turns in the conversation, got %d" % (step, ctx["turns"]))
        wait_for(step, "the bonus turn with its intent", lambda: agent.find("#conversation .turn.user[data-intent^='bonus.']"))
        log("step c: context %s" % ctx)
        reply = "Merhaba, ben destek ekibinden. Size nasıl yardımcı olabilirim?"
        agent.type(agent.find("#reply"), reply)
        # typing in the console shows the typing dots in the widget (POST …/typing → SSE typing)
        wait_for(step, "the widget's typing indicator while the agent types", lambda: user.visible("#fl-typing"))
        agent.click(agent.find("#send"))
        wait_for(step, "the agent turn in the console", lambda: agent.js(
            "var s=arguments[0];return [].some.call(document.querySelectorAll('#conversation .turn.agent'), function(t){return t.textContent.indexOf(s)>=0})", reply))
        wait_for(step, "#reply emptied after sending", lambda: agent.js("return document.getElementById('reply').value===''"))
        shot(agent, "agent-2-conversation.png")
        log("step c ok: claimed %s, replied" % ticket)

        # -- d. the widget shows the agent's reply live
        step = "d agent reply live"
        CURRENT["step"] = step
        wait_for(step, ".fl-msg.fl-agent with the agent's text", lambda: any(reply in user.text(e) for e in user.find_all(".fl-msg.fl-agent")))
        wait_for(step, "the queue bar gone", lambda: not user.visible("#fl-queue"))
        status = user.text(user.find("#fl-status"))
        log("step d ok: header status %r" % status)
        shot(user, "user-3-agent-reply.png")

        # -- d2. a user message arrives live in the console; markup stays text (no XSS)
        step = "d2 user message live + no HTML injection"
        CURRENT["step"] = step
        evil = "<img src=x onerror=\"window.__xss=1\"> teşekkürler"
        user.type(user.find("#fl-input"), evil)
        user.click(user.find("#fl-send"))
        wait_for(step, "the user's message in the console (.turn.user, live)", lambda: any(
            "teşekkürler" in agent.text(e) for e in agent.find_all("#conversation .turn.user")))
        for b in (user, agent):
            if b.js("return !!window.__xss || document.querySelectorAll('.fl-msg img, .turn img').length > 0"):
                raise StepFailed("%s: markup from a message was rendered as HTML in the %s page" % (step, b.name))
        log("step d2 ok")

        # -- e. reload: the session resumes with its transcript
        step = "e reload resumes"
        CURRENT["step"] = step
        user.refresh()
        # The widget reopens the panel it had open before the reload (sessionStorage); open it only if not.
        try:
            wait_for(step, "the panel restored open", lambda: user.visible("#fl-panel"), timeout=5)
        except StepFailed:
            user.click(wait_for(step, "#fl-launcher", lambda: user.visible("#fl-launcher")))
        wait_for(step, "the agent's reply after reload", lambda: any(reply in user.text(e) for e in user.find_all(".fl-msg.fl-agent")))
        wait_for(step, "the user's first question after reload", lambda: any(
            "Bonus çevrim" in user.text(e) for e in user.find_all(".fl-msg.fl-user")))
        n_user = len(user.find_all(".fl-msg.fl-user"))
        if n_user != 3:
            raise StepFailed("%s: expected 3 user turns after reload, found %d" % (step, n_user))
        log("step e ok: transcript resumed")
        # and the stream works again after the reload
        reply2 = "Bonus çevrim şartını kontrol ediyorum."
        agent.type(agent.find("#reply"), reply2)
        agent.click(agent.find("#send"))
        wait_for(step, "a live agent message after the reload", lambda: any(reply2 in user.text(e) for e in user.find_all(".fl-msg.fl-agent")))
        n_agent = sum(1 for e in user.find_all(".fl-msg.fl-agent") if reply in user.text(e))
        if n_agent != 1:
            raise StepFailed("%s: the first agent reply is shown %d times after the reload (event de-duplication)" % (step, n_agent))

        # -- f. the agent resolves; the user rates 5 stars; thanks
        step = "f resolve + rating"
        CURRENT["step"] = step
        agent.click(agent.find("#resolve"))
        wait_for(step, "the console back to no open conversation", lambda: agent.js("return document.getElementById('conv').hidden"))
        star = wait_for(step, ".fl-rating button[data-rating='5']", lambda: user.visible(".fl-rating button[data-rating='5']"))
        shot(user, "user-4-rating.png")
        user.click(star)
        comment = wait_for(step, "the optional comment field", lambda: user.visible(".fl-rating-comment"))
        user.type(comment, "Çok hızlı yardım, teşekkürler!")
        user.click(user.find(".fl-rating-submit"))
        wait_for(step, "the thank-you", lambda: user.visible("#fl-thanks") and "Teşekkürler" in user.text(user.find("#fl-thanks")))
        wait_for(step, "the widget in state closed", lambda: user.js("return document.getElementById('fl-root').getAttribute('data-state')==='closed'"))
        shot(user, "user-5-thanks.png")
        log("step f ok: rated 5, thanked")

        # -- g. phone width: the panel fills the screen and stays usable
        step = "g phone viewport"
        CURRENT["step"] = step
        user.set_window(390, 844)
        time.sleep(0.5)
        w = user.js("var r=document.getElementById('fl-panel').getBoundingClientRect();return [r.width, document.documentElement.clientWidth]")
        if abs(w[0] - w[1]) > 2:
            raise StepFailed("%s: panel is %spx wide on a %spx viewport" % (step, w[0], w[1]))
        shot(user, "user-6-phone.png")
        log("step g ok")

        # -- h. (on the phone) a new chat; the agent takes it with "Claim next", inserts a canned
        #       answer, transfers it to Payments, takes it again and hands it back to the bot;
        #       the user ends the chat with the close button.
        step = "h new chat + claim next"
        CURRENT["step"] = step
        user.click(wait_for(step, "#fl-new", lambda: user.visible("#fl-new")))
        wait_for(step, "a fresh chat (greeting only)", lambda: user.js(
            "return document.querySelectorAll('.fl-msg.fl-bot').length===1 && !document.querySelector('.fl-msg.fl-user') && document.getElementById('fl-root').getAttribute('data-state')==='open'"))
        inp = wait_for(step, "#fl-input", lambda: user.visible("#fl-input"))
        user.type(inp, "Temsilci ile konuşmak istiyorum" + KEY_ENTER)
        wait_for(step, "#fl-queue on the phone", lambda: user.visible("#fl-queue"))
        wait_for(step, "the new ticket in the console", lambda: agent.find(".queue-item[data-ticket]:not([data-ticket='%s'])" % ticket))
        agent.click(agent.find("#claim-next"))
        ticket2 = wait_for(step, "the conversation of the next ticket", lambda: agent.js(
            "var c=document.getElementById('conversation'), t=c.getAttribute('data-ticket');return !document.getElementById('conv').hidden && t && t!==arguments[0] ? t : null", ticket))
        log("step h: claimed next %s" % ticket2)

        step = "h canned answer"
        CURRENT["step"] = step
        canned = agent.find("#canned")
        agent.click(canned)
        agent.type(canned, "withdrawal.how")
        opt = wait_for(step, "a canned answer in the dropdown", lambda: agent.visible("#canned-list .canned-opt"))
        shot(agent, "agent-3-canned.png")
        agent.click(opt)
        text = wait_for(step, "the canned text in #reply for editing", lambda: agent.js("return document.getElementById('reply').value"))
        agent.type(agent.find("#reply"), " :)")
        agent.click(agent.find("#send"))
        wait_for(step, "the canned reply in the widget", lambda: any(text[:40] in user.text(e) for e in user.find_all(".fl-msg.fl-agent")))

        step = "h transfer"
        CURRENT["step"] = step
        agent.click(agent.find("#transfer option[value=payments]"))
        agent.click(wait_for(step, "#transfer-go enabled", lambda: agent.js("return !document.getElementById('transfer-go').disabled") and agent.find("#transfer-go")))
        wait_for(step, "the widget queued again", lambda: user.visible("#fl-queue") and "Ödemeler" in user.text(user.find("#fl-queue")))
        click_css(step, agent, "[data-department=payments] .queue-item[data-ticket='%s'] .claim" % ticket2, "the ticket waiting in Payments (Claim)")
        wait_for(step, "the transferred chat claimed again", lambda: agent.js(
            "return !document.getElementById('conv').hidden && document.getElementById('conversation').getAttribute('data-ticket')===arguments[0]", ticket2))

        step = "h hand back"
        CURRENT["step"] = step
        agent.click(agent.find("#handback"))
        wait_for(step, "the widget back with the bot (state open)", lambda: user.js(
            "return document.getElementById('fl-root').getAttribute('data-state')==='open'"))
        wait_for(step, "the bot's hand-back message", lambda: user.find(".fl-msg.fl-bot[data-kind=handed_back]"))
        shot(user, "user-7-phone-handback.png")

        step = "h close button"
        CURRENT["step"] = step
        user.click(user.find("#fl-close"))
        user.click(wait_for(step, "the end-chat confirmation", lambda: user.visible("#fl-end-yes")))
        wait_for(step, "the chat ended (survey or closed)", lambda: user.js(
            "var s=document.getElementById('fl-root').getAttribute('data-state');return s==='awaiting_survey'||s==='closed'"))
        if user.js("return document.getElementById('fl-root').getAttribute('data-state')") == "awaiting_survey":
            user.click(wait_for(step, "the rating's Skip", lambda: user.visible(".fl-rating-skip")))
            wait_for(step, "closed after skipping the rating", lambda: user.js(
                "return document.getElementById('fl-root').getAttribute('data-state')==='closed'"))
        wait_for(step, "'start a new chat' offered", lambda: user.visible("#fl-new"))
        log("step h ok: claim next, canned, transfer, hand back, close")

        # -- i. no script errors or CSP violations in either page (the deliberate wrong-token
        #       sign-in's 401 aside)
        step = "i console clean"
        CURRENT["step"] = step
        for b in (user, agent):
            errors = [m for m in b.console_errors() if "status of 401" not in m]
            if errors:
                raise StepFailed("%s: the %s page logged errors:\n  %s" % (step, b.name, "\n  ".join(errors[:10])))
        log("step i ok")
        return shots
    finally:
        for b in (user, agent):
            if b:
                b.quit()
        drv_proc.terminate()
        try:
            drv_proc.wait(10)
        except subprocess.TimeoutExpired:
            drv_proc.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default=os.environ.get("FIRSTLINE_BASE"))
    ap.add_argument("--agent-token", default=os.environ.get("FIRSTLINE_AGENT_TOKEN"))
    ap.add_argument("--start", nargs="?", const=os.environ.get("FIRSTLINE_BIN", ".build/release/firstline"), default=None,
                    help="start this firstline binary (serve --data TMP --port P)")
    ap.add_argument("--intents", help="with --start: the intent bundle folder (default: the server's, Intents in the current folder)")
    ap.add_argument("--out", default=os.environ.get("OUT", ".build/browser-screenshots"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    server = None
    try:
        if a.start:
            if not os.access(a.start, os.X_OK):
                raise StepFailed("server start: %s is not an executable (build it first)" % a.start)
            server = Server(a.start, a.intents)
            server.wait_ready()
            a.base, a.agent_token = server.base, server.token
            log("server %s, demo agent token %s…" % (a.base, a.agent_token[:6]))
        if not a.base or not a.agent_token:
            ap.error("give --base and --agent-token (or FIRSTLINE_BASE / FIRSTLINE_AGENT_TOKEN), or --start BINARY")
        a.base = a.base.rstrip("/")
        for p in (CHROMIUM, CHROMEDRIVER):
            if not os.access(p, os.X_OK):
                raise StepFailed("setup: %s not found" % p)
        shots = run_flow(a.base, a.agent_token, a.out)
        log("PASS — %d screenshots in %s" % (len(shots), a.out))
        return 0
    except StepFailed as e:
        log("FAIL — step %s" % e)
        return 1
    except (WebDriverError, urllib.error.URLError, OSError) as e:
        log("FAIL — step %s: WebDriver/HTTP error: %s" % (CURRENT["step"], e))
        return 1
    finally:
        if server:
            if os.environ.get("FIRSTLINE_SERVER_LOG"):
                log("server output:\n" + "\n".join(server.lines))
            server.stop()


if __name__ == "__main__":
    sys.exit(main())

/* Firstline agent console. Plain JavaScript, no dependencies.
   Texts from users, the bot and the server are always inserted with textContent. */
(function () {
  "use strict";
  var TOKEN_KEY = "firstline.agent.token";
  var BASE_TITLE = document.title;
  var PRIO = { urgent: 0, high: 1, normal: 2, low: 3 };
  var LANG = { tr: "Türkçe", az: "Azərbaycanca", lt: "Lietuvių", pl: "Polski", ru: "Русский", en: "English" };

  var st = {
    token: null, me: null, snap: null, snapAsOf: 0, es: null, known: {}, firstSnap: true, notified: {},
    alerts: [], flashTimer: null, flashOn: false, audio: null,
    conv: null, canned: {}, cannedItems: [], cannedIndex: -1, lastTyping: 0, unread: {}, tick: null
  };

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") n.textContent = v;
      else if (k === "class") n.className = v;
      else if (k.slice(0, 2) === "on") n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) { if (c) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return n;
  }
  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); }
  function show(n, on) { n.hidden = !on; }

  /* ---------- HTTP ---------- */
  function api(method, path, body) {
    var h = { "Accept": "application/json", "Authorization": "Bearer " + st.token };
    if (body !== undefined) h["Content-Type"] = "application/json";
    return fetch(path, { method: method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) }).then(function (r) {
      return r.text().then(function (txt) {
        var data = null; try { data = txt ? JSON.parse(txt) : null; } catch (e) {}
        if (!r.ok) {
          var err = new Error((data && data.error && data.error.message) || ("HTTP " + r.status));
          err.status = r.status; err.code = data && data.error && data.error.code;
          if (r.status === 401 && st.me) signOut("Your session is no longer valid — please sign in again.");
          throw err;
        }
        return data;
      });
    });
  }

  /* ---------- sound, notifications, title ---------- */
  function unlockAudio() {
    try {
      var AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) return;
      if (!st.audio) st.audio = new AC();
      if (st.audio.state === "suspended") st.audio.resume();
    } catch (e) { st.audio = null; }
  }
  /** Plays the alert; returns what happened ("played", "locked" before any click, "unavailable"). */
  function beep(urgent) {
    var ctx = st.audio; if (!ctx) return "unavailable";
    if (ctx.state !== "running") { try { ctx.resume(); } catch (e) {} return "locked"; }
    try {
      var t0 = ctx.currentTime + 0.01;
      var notes = urgent ? [988, 1319, 988, 1319] : [880, 1319];
      notes.forEach(function (f, i) {
        var o = ctx.createOscillator(), g = ctx.createGain();
        o.type = "sine"; o.frequency.value = f;
        var s = t0 + i * 0.16;
        g.gain.setValueAtTime(0.0001, s);
        g.gain.exponentialRampToValueAtTime(0.35, s + 0.015);
        g.gain.exponentialRampToValueAtTime(0.0001, s + 0.14);
        o.connect(g); g.connect(ctx.destination);
        o.start(s); o.stop(s + 0.15);
      });
      return "played";
    } catch (e) { return "unavailable"; }
  }
  function askNotificationPermission() {
    if (!("Notification" in window)) return;
    try {
      if (Notification.permission === "default") {
        var p = Notification.requestPermission(function () { renderNotifyButton(); });
        if (p && p.then) p.then(renderNotifyButton, function () {});
      }
    } catch (e) {}
    renderNotifyButton();
  }
  function renderNotifyButton() {
    show($("notify-enable"), "Notification" in window && Notification.permission === "default");
  }
  function desktopNotify(title, body, tag) {
    try {
      if (!("Notification" in window) || Notification.permission !== "granted") return;
      var n = new Notification(title, { body: body, tag: tag, requireInteraction: false });
      n.onclick = function () { window.focus(); n.close(); };
    } catch (e) {}
  }
  function flashTitle(label) {
    var count = st.alerts.length || 1;
    var text = "(" + count + ") " + (label || (count > 1 ? "New chats" : "New chat"));
    stopFlash();
    st.flashOn = true; document.title = text;
    st.flashTimer = setInterval(function () { st.flashOn = !st.flashOn; document.title = st.flashOn ? text : BASE_TITLE; }, 1000);
  }
  function stopFlash() { if (st.flashTimer) clearInterval(st.flashTimer); st.flashTimer = null; document.title = BASE_TITLE; }

  function alertNewTicket(t) {
    if (!t || !t.ticket || st.notified[t.ticket]) return;
    st.notified[t.ticket] = true;
    if (st.me && st.me.presence === "offline") return;
    st.alerts = st.alerts.filter(function (a) { return a.ticket !== t.ticket; });
    t._at = Date.now();
    st.alerts.push(t);
    st.rung = (st.rung || 0) + 1;
    var b = $("banner");
    b.setAttribute("data-rung", String(st.rung));                 // how many handoffs rang (read by the browser test)
    b.setAttribute("data-sound", beep(t.priority === "urgent"));
    b.setAttribute("data-notification", "Notification" in window ? Notification.permission : "unsupported");
    desktopNotify("New chat · " + t.ticket + " · " + deptName(t.department),
      (t.priority === "urgent" ? "URGENT · " : "") + (t.summary || t.intent || ""), t.ticket);
    flashTitle();
    renderBanner();
  }
  function dropAlert(ticket) {
    st.alerts = st.alerts.filter(function (a) { return a.ticket !== ticket; });
    renderBanner();
    if (!st.alerts.length) stopFlash(); else if (st.flashTimer) flashTitle();
  }
  function renderBanner() {
    var b = $("banner");
    if (!st.alerts.length) { show(b, false); return; }
    // The most pressing one (urgent first), the newest among equals.
    var t = st.alerts.reduce(function (best, a) { return (PRIO[a.priority] === undefined ? 2 : PRIO[a.priority]) <= (PRIO[best.priority] === undefined ? 2 : PRIO[best.priority]) ? a : best; });
    var txt = (st.alerts.length > 1 ? st.alerts.length + " new chats waiting — " + (t.priority === "urgent" ? "URGENT: " : "next: ") : t.offered_to_me ? "Chat offered to you: " : "New chat waiting: ") +
      t.ticket + " · " + deptName(t.department) + " · " + (t.priority || "normal") +
      (t.locale && String(t.summary || "").indexOf(t.locale + " ") !== 0 ? " · " + t.locale : "") +
      (t.summary ? " — " + t.summary : "");
    $("banner-text").textContent = txt;
    b.setAttribute("data-ticket", t.ticket);
    b.classList.toggle("urgent", t.priority === "urgent");
    show(b, true);
  }

  /* ---------- sign in / out ---------- */
  function signIn(token, fromForm) {
    st.token = token;
    var btn = $("signin"); btn.disabled = true;
    show($("signin-error"), false);
    return api("GET", "/api/agent/me").then(function (me) {
      st.me = me;
      try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) {}
      show($("signin-view"), false); show($("app"), true);
      renderMe(); fillDepartments();
      if (fromForm) askNotificationPermission(); else renderNotifyButton();
      loadQueue(); connectEvents();
      if (!st.tick) st.tick = setInterval(tick, 1000);
    }).catch(function (e) {
      st.token = null; st.me = null;
      try { sessionStorage.removeItem(TOKEN_KEY); } catch (x) {}
      var msg = e.status === 401 ? "That token was not accepted. Check it and try again." :
        e.status ? "Sign-in failed: " + e.message : "Cannot reach the server. Is it running?";
      showSigninError(msg);
    }).then(function () { btn.disabled = false; });
  }
  function showSigninError(msg) { var p = $("signin-error"); p.textContent = msg; show(p, true); }
  function signOut(reason) {
    if (st.es) { st.es.close(); st.es = null; }
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) {}
    st.token = null; st.me = null; st.snap = null; st.snapAsOf = 0; st.conv = null; st.known = {}; st.firstSnap = true; st.alerts = [];
    stopFlash(); renderBanner(); closeConversation();
    show($("app"), false); show($("signin-view"), true);
    $("token").value = "";
    if (reason) showSigninError(reason);
    $("token").focus();
  }

  $("signin-form").addEventListener("submit", function (e) {
    e.preventDefault();
    unlockAudio();                       // the click on "Sign in" is the user gesture that allows sound
    var v = $("token").value.trim();
    if (!v) { showSigninError("Enter your agent token."); return; }
    signIn(v, true);
  });
  $("signout").addEventListener("click", function () { signOut(); });
  $("notify-enable").addEventListener("click", function () { unlockAudio(); askNotificationPermission(); });
  $("sound-test").addEventListener("click", function () { unlockAudio(); beep(false); });
  // Any later click also unlocks audio (e.g. after a reload that signed in from sessionStorage).
  document.addEventListener("pointerdown", function () { unlockAudio(); if (st.flashTimer) stopFlash(); }, true);
  document.addEventListener("keydown", function () { if (st.flashTimer) stopFlash(); }, true);

  /* ---------- me / presence ---------- */
  function renderMe() {
    var me = st.me; if (!me) return;
    $("me-name").textContent = me.name || me.id;
    var holding = (me.holding || []).length;
    $("me-load").textContent = " " + holding + "/" + (me.capacity || "?") + " chats";
    $("presence").value = me.presence || "offline";
    $("presence-dot").className = "dot " + (me.presence || "offline");
  }
  $("presence").addEventListener("change", function () {
    var p = $("presence").value;
    api("POST", "/api/agent/presence", { presence: p }).then(function (me) { if (me) st.me = me; else st.me.presence = p; renderMe(); loadQueue(); })
      .catch(function (e) { toast("Could not change presence: " + e.message, true); renderMe(); });
  });
  function deptName(id) {
    var d = ((st.me && st.me.departments) || []).filter(function (x) { return x.id === id; })[0];
    if (d) return d.name;
    var q = ((st.snap && st.snap.departments) || []).filter(function (x) { return x.id === id; })[0];
    return q ? q.name : (id || "");
  }
  function fillDepartments() {
    var sel = $("transfer");
    while (sel.options.length > 1) sel.remove(1);
    ((st.me && st.me.departments) || []).forEach(function (d) { sel.appendChild(el("option", { value: d.id, text: d.name })); });
  }

  /* ---------- queue ---------- */
  function loadQueue() {
    var asOf = Date.now();
    return api("GET", "/api/agent/queue").then(function (snap) { applySnapshot(snap, asOf); }).catch(function () {});
  }

  /** A queue snapshot; `asOf` is when it was asked for (a GET) or received (the stream). A GET
      answered after newer news (a stream snapshot or ticket event) is stale and ignored. */
  function applySnapshot(snap, asOf) {
    if (!snap || !snap.departments) return;
    asOf = asOf || Date.now();
    if (asOf < st.snapAsOf) return;
    st.snapAsOf = asOf;
    var fresh = [];
    snap.departments.forEach(function (d) {
      (d.waiting || []).forEach(function (t) {
        t.department = t.department || d.id;
        if (!st.known[t.ticket] && !st.firstSnap) fresh.push(t);
        st.known[t.ticket] = true;
      });
    });
    st.firstSnap = false;
    stamp(snap);
    st.snap = snap;
    // Alerts for tickets that are no longer waiting go away.
    var waiting = {};
    snap.departments.forEach(function (d) { (d.waiting || []).forEach(function (t) { if (!t.claimed_by) waiting[t.ticket] = true; }); });
    st.alerts.filter(function (a) { return !waiting[a.ticket] && a._at <= asOf; }).forEach(function (a) { dropAlert(a.ticket); });
    renderQueue();
    fresh.forEach(alertNewTicket);
  }
  function stamp(snap) {
    var now = Date.now();
    function s(t) {
      if (typeof t.waiting_s === "number") t._since = now - t.waiting_s * 1000;
      else { var q = Date.parse(t.queued_at); t._since = isNaN(q) ? now : q; }
    }
    snap.departments.forEach(function (d) { (d.waiting || []).forEach(s); });
    (snap.mine || []).forEach(s);
  }
  function mySkills() { return (st.me && st.me.skills) || []; }

  function renderQueue() {
    var snap = st.snap; if (!snap) return;
    var box = $("queue"); clear(box);
    var total = 0;
    // Departments with the most pressing ticket first (urgent before high before normal), then
    // those of my skills with nobody waiting; within a department urgent first, then the longest wait.
    function best(d) {
      return (d.waiting || []).reduce(function (m, t) { return t.claimed_by ? m : Math.min(m, PRIO[t.priority] === undefined ? 2 : PRIO[t.priority]); }, 9);
    }
    var deps = snap.departments.slice().sort(function (a, b) {
      var sa = mySkills().indexOf(a.id) >= 0 ? 0 : 1, sb = mySkills().indexOf(b.id) >= 0 ? 0 : 1;
      return (best(a) - best(b)) || (sa - sb);
    });
    deps.forEach(function (d) {
      var items = (d.waiting || []).filter(function (t) { return !t.claimed_by; }).sort(function (a, b) {
        return (PRIO[a.priority] - PRIO[b.priority]) || (a._since - b._since);
      });
      total += items.length;
      var mine = mySkills().indexOf(d.id) >= 0;
      if (!items.length && !mine) return;
      var g = el("section", { class: "group dept" + (mine ? "" : " other"), "data-department": d.id }, [
        el("h3", {}, [d.name || d.id, el("span", { class: "count" + (items.length ? " hot" : ""), text: String(items.length) })])
      ]);
      var ul = el("ul", { class: "list" });
      items.forEach(function (t) { ul.appendChild(queueItem(t)); });
      if (!items.length) g.appendChild(el("p", { class: "empty-line", text: "Nobody waiting." }));
      g.appendChild(ul);
      box.appendChild(g);
    });
    $("queue-count").textContent = String(total);
    $("queue-count").classList.toggle("hot", total > 0);
    renderMine();
    tick();
  }
  function queueItem(t) {
    var li = el("li", { class: "queue-item qi-" + (t.priority || "normal") + (t.offered_to_me ? " offered" : ""), "data-ticket": t.ticket,
      "data-session": t.session, "data-priority": t.priority || "normal", tabindex: "0" }, [
      el("div", { class: "qi-top" }, [
        el("span", { class: "prio prio-" + (t.priority || "normal"), text: t.priority || "normal" }),
        el("span", { class: "qi-ticket", text: t.ticket }),
        t.locale ? el("span", { class: "tag", title: LANG[t.locale] || t.locale, text: t.locale }) : null,
        el("span", { class: "wait", title: "Waiting time", "data-since": String(t._since) })
      ]),
      el("div", { class: "qi-summary", text: t.summary || t.intent || "" }),
      t.offered_to_me ? el("div", { class: "qi-offer", text: "Offered to you" }) : null,
      el("div", { class: "qi-actions" }, [
        el("span", { class: "qi-intent", text: t.intent || "no intent" }),
        el("button", { type: "button", class: "btn btn-small btn-primary claim", "data-ticket": t.ticket, text: "Claim",
          onclick: function (e) { e.stopPropagation(); claim(t.ticket); } })
      ])
    ]);
    li.addEventListener("click", function () { openConversation(t.session, t); });
    li.addEventListener("keydown", function (e) { if (e.key === "Enter" && e.target === li) openConversation(t.session, t); });
    return li;
  }
  function renderMine() {
    var ul = $("mine"); clear(ul);
    var mine = (st.snap && st.snap.mine) || [];
    mine.forEach(function (t) {
      var active = st.conv && st.conv.session === t.session;
      var li = el("li", { class: "mine-item" + (active ? " active" : "") + (st.unread[t.session] ? " unread" : ""), "data-session": t.session, "data-ticket": t.ticket, tabindex: "0" }, [
        el("div", { class: "qi-top" }, [
          el("span", { class: "prio prio-" + (t.priority || "normal"), text: t.priority || "normal" }),
          el("span", { class: "qi-ticket", text: t.ticket }),
          t.locale ? el("span", { class: "tag", text: t.locale }) : null,
          st.unread[t.session] ? el("span", { class: "unread-dot", title: "New message" }) : null
        ]),
        el("div", { class: "qi-summary", text: t.summary || t.intent || "" })
      ]);
      li.addEventListener("click", function () { openConversation(t.session); });
      li.addEventListener("keydown", function (e) { if (e.key === "Enter") openConversation(t.session); });
      ul.appendChild(li);
    });
    show($("mine-empty"), mine.length === 0);
    if (st.me) { st.me.holding = mine.map(function (t) { return t.session; }); renderMe(); }
  }
  function fmtWait(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), ss = s % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(ss).padStart(2, "0");
  }
  function tick() {
    var now = Date.now();
    Array.prototype.forEach.call(document.querySelectorAll(".wait[data-since]"), function (n) {
      var ms = now - Number(n.getAttribute("data-since"));
      n.textContent = fmtWait(ms);
      n.classList.toggle("warn", ms >= 120000 && ms < 300000);
      n.classList.toggle("late", ms >= 300000);
    });
  }

  /* ---------- live events ---------- */
  function connectEvents() {
    if (st.es || !st.token) return;
    var es = new EventSource("/api/agent/events?token=" + encodeURIComponent(st.token));
    st.es = es;
    var conn = $("conn");
    es.onopen = function () { conn.className = "conn ok"; conn.title = "Live: connected"; };
    es.onerror = function () {
      conn.className = "conn bad"; conn.title = "Live: reconnecting…";
      if (es.readyState === EventSource.CLOSED) {
        st.es = null;
        if (!st.token) return;
        api("GET", "/api/agent/me").then(function () { setTimeout(connectEvents, 2000); }).catch(function () { if (st.token) setTimeout(connectEvents, 5000); });
      }
    };
    function on(name, fn) { es.addEventListener(name, function (ev) { var d; try { d = JSON.parse(ev.data); } catch (e) { return; } fn(d); }); }
    on("queue", function (snap) { applySnapshot(snap, Date.now()); });
    on("ticket", onTicket);
    on("user_message", onUserMessage);
    on("user_left", onUserLeft);
    on("typing", onUserTyping);   // not in API.md; the server sends {"session"} while the user types
  }
  function onTicket(t) {
    if (!t || !t.ticket) return;
    var change = t.change || "changed";
    if (st.snap && (change === "queued" || change === "offered") && !t.claimed_by) {
      // Merge at once so the ticket shows without waiting for the next queue snapshot.
      var d = st.snap.departments.filter(function (x) { return x.id === t.department; })[0];
      if (!d) { d = { id: t.department, name: deptName(t.department), waiting: [] }; st.snap.departments.push(d); }
      st.snap.departments.forEach(function (x) { x.waiting = (x.waiting || []).filter(function (w) { return w.ticket !== t.ticket; }); });
      d.waiting.push(t);
      stamp({ departments: [{ waiting: [t] }], mine: [] });
      st.known[t.ticket] = true;
      st.snapAsOf = Date.now();
      renderQueue();
      alertNewTicket(t);
    } else if (change === "claimed" || change === "closed") {
      dropAlert(t.ticket);
    }
    loadQueue();
  }
  function onUserMessage(m) {
    if (!m || !m.session) return;
    if (st.conv && st.conv.session === m.session) {
      show($("user-typing"), false);
      appendTurn({ role: "user", text: m.text, at: m.at });
      if (document.hidden) { beep(false); flashTitle("New message"); }
    } else {
      st.unread[m.session] = true; renderMine();
      beep(false); flashTitle("New message");
      desktopNotify("New message", m.text, "msg-" + m.session);
    }
  }
  var typingTimer = null;
  function onUserTyping(d) {
    if (!d || !st.conv || d.session !== st.conv.session) return;
    var n = $("user-typing"); show(n, true);
    clearTimeout(typingTimer); typingTimer = setTimeout(function () { show(n, false); }, 4000);
  }
  function onUserLeft(m) {
    if (!m || !m.session) return;
    if (st.conv && st.conv.session === m.session) {
      show($("user-left"), true);
      appendTurn({ role: "system", text: "The user left the chat.", at: new Date().toISOString() });
    }
    toast("A user left their chat.");
    loadQueue();
  }

  /* ---------- claim / conversation ---------- */
  function claim(ticket) {
    unlockAudio();
    var body = ticket ? { ticket: ticket } : {};
    return api("POST", "/api/agent/claim", body).then(function (conv) {
      if (ticket) dropAlert(ticket);
      if (conv && conv.ticket) dropAlert(conv.ticket);
      stopFlash();
      if (conv && conv.session) { renderConversation(conv, true); }
      loadQueue();
      $("reply").focus();
    }).catch(function (e) {
      if (e.status === 404 && !ticket) toast("Nobody is waiting for your departments.");
      else if (e.status === 409) toast("That chat was just taken by someone else (or you are at capacity).", true);
      else if (e.status === 403) toast("That chat belongs to a department you are not skilled for.", true);
      else toast("Claim failed: " + e.message, true);
      loadQueue();
    });
  }
  $("claim-next").addEventListener("click", function () { claim(null); });
  $("banner-claim").addEventListener("click", function () { var t = $("banner").getAttribute("data-ticket"); if (t) claim(t); });
  $("banner-dismiss").addEventListener("click", function () { st.alerts = []; renderBanner(); stopFlash(); });

  function isMine(session) {
    return ((st.snap && st.snap.mine) || []).some(function (t) { return t.session === session; }) ||
      ((st.me && st.me.holding) || []).indexOf(session) >= 0;
  }
  function openConversation(session, preview) {
    if (!session) return;
    return api("GET", "/api/agent/conversations/" + encodeURIComponent(session)).then(function (conv) {
      renderConversation(conv, isMine(session));
    }).catch(function (e) { toast("Cannot open the conversation: " + e.message, true); });
  }
  function closeConversation() {
    st.conv = null;
    $("conversation").setAttribute("data-session", "");
    show($("conv"), false); show($("empty-state"), true);
    renderMine();
  }

  function renderConversation(conv, held) {
    st.conv = conv; st.conv._held = !!held;
    delete st.unread[conv.session];
    var root = $("conversation");
    root.setAttribute("data-session", conv.session);
    root.setAttribute("data-ticket", conv.ticket || "");
    root.setAttribute("data-locale", conv.locale || "");
    root.setAttribute("data-intent", conv.intent || "");
    show($("empty-state"), false); show($("conv"), true);
    show($("user-left"), false);
    $("c-ticket").textContent = conv.ticket || conv.session;
    var p = $("c-priority"); p.textContent = conv.priority || "normal"; p.className = "prio prio-" + (conv.priority || "normal");
    $("c-dept").textContent = deptName(conv.department);
    $("c-state").textContent = (conv.state || "").replace(/_/g, " ");
    $("c-summary").textContent = conv.summary || "";
    $("x-locale").textContent = conv.locale ? conv.locale + " · " + (LANG[conv.locale] || "") : "—";
    $("x-intent").textContent = conv.intent || "—";
    $("x-confidence").textContent = "";
    $("x-confidence").appendChild(confBar(conv.confidence));
    $("x-reason").textContent = conv.reason ? String(conv.reason).replace(/_/g, " ") : "—";
    $("x-session").textContent = conv.session;
    var dl = $("x-collected"); clear(dl);
    var coll = conv.collected || {};
    var keys = Object.keys(coll);
    if (!keys.length) dl.appendChild(el("dd", { class: "muted", text: "Nothing collected." }));
    keys.forEach(function (k) { dl.appendChild(el("dt", { text: k.replace(/_/g, " ") })); dl.appendChild(el("dd", { text: String(coll[k]) })); });
    var ents = $("x-entities"); clear(ents);
    (conv.entities || []).forEach(function (e) { ents.appendChild(el("span", { class: "chip", title: e.kind }, [el("b", { text: e.kind }), " " + e.text])); });
    if (!(conv.entities || []).length) ents.appendChild(el("span", { class: "muted", text: "None found." }));
    var turns = $("turns"); clear(turns);
    (conv.turns || []).forEach(appendTurn);
    // Reply, transfer, hand back and resolve only for a chat this agent holds.
    var canAct = !!held;
    ["reply", "send", "resolve", "handback", "transfer", "canned"].forEach(function (id) { $(id).disabled = !canAct; });
    $("transfer-go").disabled = true; $("transfer").value = "";
    $("reply").placeholder = canAct ? "Write a reply… (Enter sends, Shift+Enter for a new line)" : "Claim this chat to reply.";
    showConvError(null);
    renderPreviewClaim(conv, canAct);
    loadCanned(conv.locale || "en");
    renderMine();
  }
  function renderPreviewClaim(conv, held) {
    var old = document.querySelector(".preview-claim"); if (old) old.parentNode.removeChild(old);
    if (held || !conv.ticket) return;
    var b = el("button", { type: "button", class: "btn btn-primary preview-claim claim", "data-ticket": conv.ticket, text: "Claim this chat",
      onclick: function () { claim(conv.ticket); } });
    document.querySelector(".conv-actions").insertBefore(b, $("transfer"));
  }
  function confBar(c) {
    if (typeof c !== "number") return document.createTextNode("—");
    var pct = Math.round(c * 100);
    return el("span", { class: "conf " + (c >= 0.7 ? "hi" : c >= 0.4 ? "mid" : "lo") }, [el("span", { class: "conf-bar" }, [el("span", { style: "width:" + pct + "%" })]), " " + c.toFixed(2)]);
  }
  function fmtTime(at) { var d = new Date(at); return isNaN(d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }
  function appendTurn(turn) {
    var role = ["user", "bot", "agent", "system"].indexOf(turn.role) >= 0 ? turn.role : "system";
    var who = role === "user" ? "User" : role === "bot" ? "Bot" : role === "agent" ? (turn.agent || (st.me && st.me.name) || "Agent") : "System";
    var meta = el("div", { class: "turn-meta" }, [el("span", { class: "who", text: who }), el("span", { class: "at", text: fmtTime(turn.at) })]);
    if (role === "user" && turn.intent) meta.appendChild(el("span", { class: "intent-badge", text: turn.intent }));
    if (role === "user" && typeof turn.confidence === "number") meta.appendChild(confBar(turn.confidence));
    var node = el("div", { class: "turn " + role, "data-role": role }, [meta, el("div", { class: "turn-text", text: turn.text || "" })]);
    if (turn.intent) node.setAttribute("data-intent", turn.intent);
    var box = $("turns"); box.appendChild(node); box.scrollTop = box.scrollHeight;
    return node;
  }
  function showConvError(msg) { var p = $("conv-error"); p.textContent = msg || ""; show(p, !!msg); }

  /* ---------- reply / actions ---------- */
  function sendReply() {
    if (!st.conv || !st.conv._held) return;
    var ta = $("reply"); var text = ta.value.trim();
    if (!text) return;
    $("send").disabled = true;
    var session = st.conv.session;
    api("POST", "/api/agent/conversations/" + encodeURIComponent(session) + "/messages", { text: text }).then(function () {
      ta.value = ""; showConvError(null);
      if (st.conv && st.conv.session === session) appendTurn({ role: "agent", text: text, at: new Date().toISOString(), agent: st.me && st.me.name });
    }).catch(function (e) {
      showConvError(e.status === 409 ? "You no longer hold this chat (it was resolved, transferred or timed out)." : "Not sent: " + e.message);
    }).then(function () { $("send").disabled = !(st.conv && st.conv._held); ta.focus(); });
  }
  $("send").addEventListener("click", sendReply);
  $("reply").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendReply(); }
  });
  $("reply").addEventListener("input", function () {
    if (!st.conv || !st.conv._held || Date.now() - st.lastTyping < 3000) return;
    st.lastTyping = Date.now();
    api("POST", "/api/agent/conversations/" + encodeURIComponent(st.conv.session) + "/typing").catch(function () {});
  });
  function convAction(sub, body, done) {
    if (!st.conv) return;
    var session = st.conv.session;
    return api("POST", "/api/agent/conversations/" + encodeURIComponent(session) + "/" + sub, body).then(function () {
      toast(done); closeConversation(); loadQueue();
    }).catch(function (e) { showConvError((e.status === 409 ? "Refused: " : "Failed: ") + e.message); });
  }
  $("resolve").addEventListener("click", function () { convAction("resolve", undefined, "Resolved — the user is asked for a rating."); });
  $("handback").addEventListener("click", function () { convAction("handback", undefined, "Handed back to the bot."); });
  $("transfer").addEventListener("change", function () { $("transfer-go").disabled = !$("transfer").value || !(st.conv && st.conv._held); });
  $("transfer-go").addEventListener("click", function () {
    var d = $("transfer").value; if (!d) return;
    convAction("transfer", { department: d }, "Transferred to " + deptName(d) + ".");
  });

  /* ---------- canned answers (searchable dropdown) ---------- */
  function loadCanned(locale) {
    if (st.canned[locale]) return Promise.resolve(st.canned[locale]);
    return api("GET", "/api/agent/canned?locale=" + encodeURIComponent(locale)).then(function (r) {
      st.canned[locale] = (r && r.answers) || []; return st.canned[locale];
    }).catch(function () { return []; });
  }
  function fold(s) { return String(s || "").toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ı/g, "i"); }
  function renderCanned() {
    var input = $("canned"), list = $("canned-list");
    var all = (st.conv && st.canned[st.conv.locale || "en"]) || [];
    var q = fold(input.value.trim());
    var items = all.filter(function (a) { return !q || fold(a.id + " " + a.title + " " + a.text).indexOf(q) >= 0; }).slice(0, 30);
    st.cannedItems = items; st.cannedIndex = items.length ? 0 : -1;
    clear(list);
    items.forEach(function (a, i) {
      var li = el("li", { role: "option", id: "canned-opt-" + i, class: "canned-opt", "data-id": a.id, "aria-selected": i === 0 ? "true" : "false" }, [
        el("div", { class: "canned-title" }, [el("b", { text: a.title || a.id }), el("span", { class: "canned-id", text: a.id })]),
        el("div", { class: "canned-preview", text: a.text })
      ]);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); insertCanned(a); });
      list.appendChild(li);
    });
    if (!items.length) list.appendChild(el("li", { class: "canned-none", text: all.length ? "No match." : "No canned answers for this language." }));
    show(list, true); input.setAttribute("aria-expanded", "true");
    highlightCanned();
  }
  function highlightCanned() {
    var opts = document.querySelectorAll("#canned-list .canned-opt");
    Array.prototype.forEach.call(opts, function (o, i) { o.setAttribute("aria-selected", i === st.cannedIndex ? "true" : "false"); if (i === st.cannedIndex) o.scrollIntoView({ block: "nearest" }); });
    $("canned").setAttribute("aria-activedescendant", st.cannedIndex >= 0 ? "canned-opt-" + st.cannedIndex : "");
  }
  function hideCanned() { show($("canned-list"), false); $("canned").setAttribute("aria-expanded", "false"); }
  function insertCanned(a) {
    var ta = $("reply");
    var start = ta.selectionStart, end = ta.selectionEnd, v = ta.value;
    if (!v.trim()) ta.value = a.text;
    else ta.value = v.slice(0, start) + (start > 0 && !/\s$/.test(v.slice(0, start)) ? " " : "") + a.text + v.slice(end);
    $("canned").value = ""; hideCanned();
    ta.focus(); ta.setSelectionRange(ta.value.length, ta.value.length);
  }
  $("canned").addEventListener("focus", function () { if (st.conv) loadCanned(st.conv.locale || "en").then(renderCanned); });
  $("canned").addEventListener("input", renderCanned);
  $("canned").addEventListener("blur", function () { setTimeout(hideCanned, 100); });
  $("canned").addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); st.cannedIndex = Math.min(st.cannedItems.length - 1, st.cannedIndex + 1); highlightCanned(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); st.cannedIndex = Math.max(0, st.cannedIndex - 1); highlightCanned(); }
    else if (e.key === "Enter") { e.preventDefault(); if (st.cannedItems[st.cannedIndex]) insertCanned(st.cannedItems[st.cannedIndex]); }
    else if (e.key === "Escape") { hideCanned(); $("reply").focus(); }
  });
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (e.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA" && tag !== "SELECT" && st.conv && st.conv._held) { e.preventDefault(); $("canned").focus(); }
  });

  /* ---------- toast ---------- */
  var toastTimer = null;
  function toast(msg, bad) {
    var t = $("toast"); t.textContent = msg; t.classList.toggle("bad", !!bad); show(t, true);
    clearTimeout(toastTimer); toastTimer = setTimeout(function () { show(t, false); }, 4000);
  }

  /* ---------- start ---------- */
  var saved = null; try { saved = sessionStorage.getItem(TOKEN_KEY); } catch (e) {}
  if (saved) signIn(saved, false); else $("token").focus();
})();

/* Firstline chat widget. Embed with <script src="https://HOST/widget.js" defer></script>.
   Plain JavaScript, no dependencies. It injects its own stylesheet (widget.css from the same
   origin as this script) and its DOM: a launcher bubble bottom-right and the chat panel.
   Every text from the server or the user is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  if (window.__firstlineWidget) return;
  window.__firstlineWidget = true;

  var script = document.currentScript;
  var BASE = "";
  try { BASE = new URL(script && script.src ? script.src : location.href).origin; } catch (e) { BASE = ""; }
  var STORE_KEY = "firstline.chat";
  var LANG_KEY = "firstline.lang";
  var OPEN_KEY = "firstline.open";
  var LOCALES = ["tr", "az", "lt", "pl", "ru", "en"];
  var NATIVE = { tr: "Türkçe", az: "Azərbaycan", lt: "Lietuvių", pl: "Polski", ru: "Русский", en: "English" };

  /* ---- UI strings of the widget itself ---- */
  var T = {
    en: { title: "Live support", botStatus: "Virtual assistant · replies instantly", placeholder: "Type your message…",
      send: "Send", position: "Position in queue: {n}", wait: "~{n} min", waitLess: "< 1 min", waiting: "Waiting for an agent",
      rate: "Rate this chat", comment: "Comment (optional)", submit: "Send rating", skip: "Skip", thanks: "Thank you!",
      connected: "Connected to {name}", agent: "Agent", end: "End chat", endAsk: "End this chat?", yes: "Yes", no: "No",
      minimize: "Minimize", open: "Chat with us", newChat: "Start a new chat", ended: "This chat has ended.",
      reconnecting: "Reconnecting…", failed: "Not sent. Tap to retry.", language: "Language", auto: "Auto",
      typing: "is typing", star: "{n} of 5 stars", you: "You", unread: "{n} new messages", error: "Something went wrong. Please try again.",
      busy: "Too many messages — please wait a moment." },
    tr: { title: "Canlı destek", botStatus: "Dijital asistan · anında yanıt", placeholder: "Mesajınızı yazın…",
      send: "Gönder", position: "Sıradaki yeriniz: {n}", wait: "~{n} dk", waitLess: "< 1 dk", waiting: "Temsilci bekleniyor",
      rate: "Sohbeti değerlendirin", comment: "Yorum (isteğe bağlı)", submit: "Puanı gönder", skip: "Geç", thanks: "Teşekkürler!",
      connected: "{name} ile bağlısınız", agent: "Temsilci", end: "Sohbeti bitir", endAsk: "Sohbet sonlandırılsın mı?", yes: "Evet", no: "Hayır",
      minimize: "Küçült", open: "Bize yazın", newChat: "Yeni sohbet başlat", ended: "Sohbet sona erdi.",
      reconnecting: "Yeniden bağlanılıyor…", failed: "Gönderilemedi. Tekrar denemek için dokunun.", language: "Dil", auto: "Otomatik",
      typing: "yazıyor", star: "5 üzerinden {n} yıldız", you: "Siz", unread: "{n} yeni mesaj", error: "Bir sorun oluştu. Lütfen tekrar deneyin.",
      busy: "Çok fazla mesaj — lütfen biraz bekleyin." },
    az: { title: "Canlı dəstək", botStatus: "Virtual köməkçi · dərhal cavab", placeholder: "Mesajınızı yazın…",
      send: "Göndər", position: "Növbədəki yeriniz: {n}", wait: "~{n} dəq", waitLess: "< 1 dəq", waiting: "Əməkdaş gözlənilir",
      rate: "Söhbəti qiymətləndirin", comment: "Şərh (istəyə görə)", submit: "Qiyməti göndər", skip: "Keç", thanks: "Təşəkkür edirik!",
      connected: "{name} ilə əlaqədəsiniz", agent: "Əməkdaş", end: "Söhbəti bitir", endAsk: "Söhbət bitirilsin?", yes: "Bəli", no: "Xeyr",
      minimize: "Kiçilt", open: "Bizə yazın", newChat: "Yeni söhbət", ended: "Söhbət bitdi.",
      reconnecting: "Yenidən qoşulur…", failed: "Göndərilmədi. Təkrar üçün toxunun.", language: "Dil", auto: "Avtomatik",
      typing: "yazır", star: "5-dən {n} ulduz", you: "Siz", unread: "{n} yeni mesaj", error: "Xəta baş verdi. Yenidən cəhd edin.",
      busy: "Çox mesaj — bir az gözləyin." },
    lt: { title: "Pagalba internetu", botStatus: "Virtualus asistentas · atsako iš karto", placeholder: "Rašykite žinutę…",
      send: "Siųsti", position: "Vieta eilėje: {n}", wait: "~{n} min.", waitLess: "< 1 min.", waiting: "Laukiama konsultanto",
      rate: "Įvertinkite pokalbį", comment: "Komentaras (nebūtina)", submit: "Siųsti įvertinimą", skip: "Praleisti", thanks: "Ačiū!",
      connected: "Jus aptarnauja {name}", agent: "Konsultantas", end: "Baigti pokalbį", endAsk: "Baigti pokalbį?", yes: "Taip", no: "Ne",
      minimize: "Suskleisti", open: "Parašykite mums", newChat: "Pradėti naują pokalbį", ended: "Pokalbis baigtas.",
      reconnecting: "Jungiamasi iš naujo…", failed: "Neišsiųsta. Bakstelėkite, kad bandytumėte dar kartą.", language: "Kalba", auto: "Automatiškai",
      typing: "rašo", star: "{n} iš 5 žvaigždučių", you: "Jūs", unread: "Naujų žinučių: {n}", error: "Įvyko klaida. Bandykite dar kartą.",
      busy: "Per daug žinučių — palaukite akimirką." },
    pl: { title: "Czat z pomocą", botStatus: "Wirtualny asystent · odpowiada od razu", placeholder: "Napisz wiadomość…",
      send: "Wyślij", position: "Miejsce w kolejce: {n}", wait: "~{n} min", waitLess: "< 1 min", waiting: "Czekasz na konsultanta",
      rate: "Oceń rozmowę", comment: "Komentarz (opcjonalnie)", submit: "Wyślij ocenę", skip: "Pomiń", thanks: "Dziękujemy!",
      connected: "Rozmawiasz z: {name}", agent: "Konsultant", end: "Zakończ czat", endAsk: "Zakończyć rozmowę?", yes: "Tak", no: "Nie",
      minimize: "Zwiń", open: "Napisz do nas", newChat: "Rozpocznij nowy czat", ended: "Rozmowa zakończona.",
      reconnecting: "Ponowne łączenie…", failed: "Nie wysłano. Dotknij, aby ponowić.", language: "Język", auto: "Automatycznie",
      typing: "pisze", star: "{n} z 5 gwiazdek", you: "Ty", unread: "Nowe wiadomości: {n}", error: "Coś poszło nie tak. Spróbuj ponownie.",
      busy: "Za dużo wiadomości — poczekaj chwilę." },
    ru: { title: "Онлайн-поддержка", botStatus: "Виртуальный помощник · отвечает сразу", placeholder: "Введите сообщение…",
      send: "Отправить", position: "Ваше место в очереди: {n}", wait: "~{n} мин", waitLess: "< 1 мин", waiting: "Ожидание оператора",
      rate: "Оцените чат", comment: "Комментарий (необязательно)", submit: "Отправить оценку", skip: "Пропустить", thanks: "Спасибо!",
      connected: "Вас обслуживает {name}", agent: "Оператор", end: "Завершить чат", endAsk: "Завершить чат?", yes: "Да", no: "Нет",
      minimize: "Свернуть", open: "Напишите нам", newChat: "Начать новый чат", ended: "Чат завершён.",
      reconnecting: "Переподключение…", failed: "Не отправлено. Нажмите, чтобы повторить.", language: "Язык", auto: "Авто",
      typing: "печатает", star: "{n} из 5 звёзд", you: "Вы", unread: "Новых сообщений: {n}", error: "Что-то пошло не так. Попробуйте ещё раз.",
      busy: "Слишком много сообщений — подождите немного." }
  };

  /* ---- state ---- */
  var st = {
    pref: readLang(),            // "auto" or a locale: the picker's value
    session: null, token: null,  // from POST /api/chat/sessions
    state: null, locale: null, queue: null, agentName: null, rating: null,
    userTurns: 0, lastEventId: 0, seenKeys: {}, es: null, open: false, sending: false,
    unread: 0, typingTimer: null, lastTypingPost: 0, starting: null
  };

  function readLang() {
    try { var v = localStorage.getItem(LANG_KEY); if (v === "auto" || LOCALES.indexOf(v) >= 0) return v; } catch (e) {}
    return "auto";
  }
  function uiLang() {
    if (st.pref !== "auto") return st.pref;
    if (st.locale && T[st.locale]) return st.locale;
    var nav = (navigator.language || "en").slice(0, 2).toLowerCase();
    return T[nav] ? nav : "en";
  }
  function t(key, vars) {
    var s = (T[uiLang()] || T.en)[key] || T.en[key] || key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }

  /* ---- DOM helpers (no innerHTML for content) ---- */
  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") n.textContent = attrs[k];
      else if (k === "class") n.className = attrs[k];
      else if (k.slice(0, 2) === "on") n.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== null && attrs[k] !== undefined) n.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }
  var SVG_NS = "http://www.w3.org/2000/svg";
  function icon(pathD, size) {
    var s = document.createElementNS(SVG_NS, "svg");
    s.setAttribute("viewBox", "0 0 24 24"); s.setAttribute("width", size || 20); s.setAttribute("height", size || 20);
    s.setAttribute("aria-hidden", "true"); s.setAttribute("focusable", "false");
    var p = document.createElementNS(SVG_NS, "path"); p.setAttribute("d", pathD); p.setAttribute("fill", "currentColor");
    s.appendChild(p); return s;
  }
  var ICON_CHAT = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm5 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm5 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z";
  var ICON_MIN = "M5 11h14v2H5z";
  var ICON_CLOSE = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z";
  var ICON_SEND = "M3 20.5 21 12 3 3.5 3 10l12 2-12 2z";
  var ICON_STAR = "M12 2.8l2.8 5.9 6.4.8-4.7 4.4 1.2 6.4L12 17.2 6.3 20.3l1.2-6.4L2.8 9.5l6.4-.8z";

  /* ---- build the DOM ---- */
  var css = el("link", { rel: "stylesheet", href: BASE + "/widget.css" });
  document.head.appendChild(css);

  var root = el("div", { id: "fl-root", class: "fl-root", "data-state": "none" });
  var badge = el("span", { id: "fl-badge", class: "fl-badge", hidden: "" });
  var launcher = el("button", { id: "fl-launcher", type: "button", class: "fl-launcher", "aria-expanded": "false", "aria-controls": "fl-panel" },
    [icon(ICON_CHAT, 28), badge]);
  var titleEl = el("div", { id: "fl-title", class: "fl-title" });
  var statusEl = el("div", { id: "fl-status", class: "fl-status" });
  var avatar = el("div", { class: "fl-avatar", "aria-hidden": "true", text: "DB" });
  var langSel = el("select", { id: "fl-lang", class: "fl-lang" });
  var minBtn = el("button", { id: "fl-min", type: "button", class: "fl-icon-btn" }, [icon(ICON_MIN, 18)]);
  var closeBtn = el("button", { id: "fl-close", type: "button", class: "fl-icon-btn" }, [icon(ICON_CLOSE, 18)]);
  var header = el("div", { class: "fl-header" }, [
    avatar, el("div", { class: "fl-head-text" }, [titleEl, statusEl]),
    el("div", { class: "fl-head-actions" }, [langSel, minBtn, closeBtn])
  ]);
  var confirmText = el("span");
  var confirmYes = el("button", { type: "button", class: "fl-btn fl-btn-danger", id: "fl-end-yes" });
  var confirmNo = el("button", { type: "button", class: "fl-btn fl-btn-ghost", id: "fl-end-no" });
  var confirmBar = el("div", { id: "fl-confirm", class: "fl-confirm", hidden: "" }, [confirmText, confirmYes, confirmNo]);
  var queueText = el("span", { class: "fl-queue-pos" });
  var queueWait = el("span", { class: "fl-queue-wait" });
  var queueDept = el("span", { class: "fl-queue-dept" });
  var queueBar = el("div", { id: "fl-queue", class: "fl-queue", hidden: "", role: "status" },
    [el("span", { class: "fl-queue-spinner", "aria-hidden": "true" }), el("div", { class: "fl-queue-text" }, [queueDept, el("div", {}, [queueText, queueWait])])]);
  var connBar = el("div", { id: "fl-conn", class: "fl-conn", hidden: "", role: "status" });
  var list = el("div", { id: "fl-messages", class: "fl-messages", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
  var typingName = el("span", { class: "fl-typing-name" });
  var typingEl = el("div", { id: "fl-typing", class: "fl-typing", hidden: "", "aria-hidden": "true" },
    [el("span", { class: "fl-dot" }), el("span", { class: "fl-dot" }), el("span", { class: "fl-dot" }), typingName]);
  var input = el("textarea", { id: "fl-input", class: "fl-input", rows: "1", maxlength: "2000", autocomplete: "off" });
  var sendBtn = el("button", { id: "fl-send", type: "submit", class: "fl-send" }, [icon(ICON_SEND, 20), el("span", { class: "fl-sr" })]);
  var form = el("form", { id: "fl-form", class: "fl-composer" }, [input, sendBtn]);
  var newChatBtn = el("button", { id: "fl-new", type: "button", class: "fl-btn fl-btn-primary fl-new", hidden: "" });
  var footer = el("div", { class: "fl-footer" }, [form, newChatBtn]);
  var brand = el("div", { class: "fl-brand", text: "Firstline" });
  var panel = el("div", { id: "fl-panel", class: "fl-panel", role: "dialog", "aria-modal": "false", hidden: "" },
    [header, confirmBar, queueBar, connBar, list, typingEl, footer, brand]);
  root.appendChild(panel);
  root.appendChild(launcher);

  ["auto"].concat(LOCALES).forEach(function (l) { langSel.appendChild(el("option", { value: l })); });
  langSel.value = st.pref;

  function mount() { document.body.appendChild(root); applyTexts(); resume(); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);

  function applyTexts() {
    titleEl.textContent = t("title");
    launcher.setAttribute("aria-label", t("open"));
    launcher.title = t("open");
    panel.setAttribute("aria-label", t("title"));
    langSel.setAttribute("aria-label", t("language"));
    langSel.title = t("language");
    Array.prototype.forEach.call(langSel.options, function (o) { o.textContent = o.value === "auto" ? t("auto") : NATIVE[o.value]; });
    minBtn.setAttribute("aria-label", t("minimize")); minBtn.title = t("minimize");
    closeBtn.setAttribute("aria-label", t("end")); closeBtn.title = t("end");
    input.placeholder = t("placeholder");
    input.setAttribute("aria-label", t("placeholder"));
    sendBtn.setAttribute("aria-label", t("send")); sendBtn.title = t("send");
    sendBtn.querySelector(".fl-sr").textContent = t("send");
    confirmText.textContent = t("endAsk"); confirmYes.textContent = t("yes"); confirmNo.textContent = t("no");
    newChatBtn.textContent = t("newChat");
    connBar.textContent = t("reconnecting");
    typingEl.setAttribute("data-label", t("typing"));
    renderStatus(); renderQueue();
    var r = list.querySelector(".fl-rating"); if (r) fillRatingTexts(r);
  }

  /* ---- storage ---- */
  function save() {
    try {
      if (st.session) localStorage.setItem(STORE_KEY, JSON.stringify({ session: st.session, token: st.token, base: BASE, agent: st.agentName || null }));
      else localStorage.removeItem(STORE_KEY);
    } catch (e) {}
  }
  function loadSaved() {
    try { var v = JSON.parse(localStorage.getItem(STORE_KEY) || "null"); if (v && v.session && v.token && (!v.base || v.base === BASE)) return v; } catch (e) {}
    return null;
  }
  function setOpenFlag(v) { try { if (v) sessionStorage.setItem(OPEN_KEY, "1"); else sessionStorage.removeItem(OPEN_KEY); } catch (e) {} }

  /* ---- HTTP ---- */
  function api(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (st.token) headers["Authorization"] = "Bearer " + st.token;
    return fetch(BASE + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (txt) {
          var data = null;
          try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
          if (!r.ok) { var err = new Error((data && data.error && data.error.message) || ("HTTP " + r.status)); err.status = r.status; err.data = data; throw err; }
          return data;
        });
      });
  }
  /** The chat no longer exists for us (unknown, archived, or our token is not accepted): start a new one. */
  function isGone(e) { return e && (e.status === 404 || e.status === 401 || e.status === 403 || e.status === 410); }
  function sessPath(sub) { return "/api/chat/sessions/" + encodeURIComponent(st.session) + (sub || ""); }

  /* ---- session lifecycle ---- */
  function resume() {
    var saved = loadSaved();
    var wasOpen = false;
    try { wasOpen = sessionStorage.getItem(OPEN_KEY) === "1"; } catch (e) {}
    if (!saved) { if (wasOpen) openPanel(); return; }
    st.session = saved.session; st.token = saved.token;
    st.agentName = saved.agent || null;   // the snapshot has no agent name; keep the one the state event gave
    api("GET", sessPath()).then(function (snap) {
      clearTranscript();
      st.locale = snap.locale || null;
      st.rating = snap.rating == null ? null : snap.rating;
      st.lastEventId = Number(snap.last_event_id) || 0;
      (snap.messages || []).forEach(function (m) { addMessage(m, { fromHistory: true }); });
      // Buttons still waiting for a press ("did that help?", a choice) come back after a reload.
      if (snap.quick_replies && snap.quick_replies.length && snap.state !== "awaiting_survey") addQuick(snap.quick_replies);
      setQueue(snap.queue || null);
      setState(snap.state, { agent_name: snap.agent_name || null, fromHistory: true });
      if (snap.state !== "closed") connectEvents();
      if (wasOpen) openPanel();
      scrollDown();
    }).catch(function (e) {
      if (isGone(e)) { resetSession(); if (wasOpen) openPanel(); }
      else { showConn(true); setTimeout(resume, 3000); }
    });
  }

  function resetSession() {
    if (st.es) { st.es.close(); st.es = null; }
    st.session = null; st.token = null; st.state = null; st.locale = null; st.queue = null; st.agentName = null;
    st.rating = null; st.userTurns = 0; st.lastEventId = 0; st.seenKeys = {};
    save(); clearTranscript(); setQueue(null); setState(null); showConn(false);
  }
  function clearTranscript() { while (list.firstChild) list.removeChild(list.firstChild); st.seenKeys = {}; st.userTurns = 0; }

  function startSession() {
    if (st.session) return Promise.resolve();
    if (st.starting) return st.starting;
    var body = st.pref === "auto" ? {} : { locale: st.pref };
    st.token = null;
    showTyping(true, null);
    st.starting = api("POST", "/api/chat/sessions", body).then(function (r) {
      st.session = r.session; st.token = r.token; st.locale = r.locale || st.pref;
      save();
      clearTranscript();
      (r.messages || []).forEach(function (m) { addMessage(m); });
      setState(r.state || "open");
      connectEvents();
      applyTexts();
    }).catch(function (e) {
      addNotice(e.status === 429 ? t("busy") : t("error"), true);
      throw e;
    }).then(function () { st.starting = null; showTyping(false); }, function (e) { st.starting = null; showTyping(false); throw e; });
    return st.starting;
  }

  /* ---- live events ---- */
  function connectEvents() {
    if (!st.session || st.es || typeof EventSource === "undefined") return;
    var url = BASE + sessPath("/events") + "?token=" + encodeURIComponent(st.token) +
      (st.lastEventId ? "&last_event_id=" + encodeURIComponent(String(st.lastEventId)) : "");
    var es = new EventSource(url);
    st.es = es;
    es.onopen = function () { showConn(false); };
    es.onerror = function () {
      if (es.readyState === EventSource.CLOSED) {
        // The server refused the stream (e.g. session gone): check it once, then retry or start anew.
        st.es = null;
        if (!st.session) return;
        api("GET", sessPath()).then(function () { setTimeout(connectEvents, 2000); })
          .catch(function (e) { if (isGone(e)) resetSession(); else setTimeout(connectEvents, 3000); });
      } else if (st.state !== "closed") showConn(true);
    };
    function handler(fn, dedupe) {
      return function (ev) {
        if (dedupe && ev.lastEventId) {
          var n = Number(ev.lastEventId);
          if (!isNaN(n)) { if (n <= st.lastEventId) return; st.lastEventId = n; }
        }
        var data; try { data = JSON.parse(ev.data); } catch (e) { return; }
        fn(data);
      };
    }
    es.addEventListener("message", handler(function (m) {
      if (m.role === "agent") showTyping(false);
      addMessage(m, { live: true });
    }, true));
    es.addEventListener("queue", handler(function (q) { setQueue(q); }));
    es.addEventListener("state", handler(function (s) { setState(s.state, s); }));
    es.addEventListener("typing", handler(function (d) { if (!d || d.role !== "user") showTyping(true, st.agentName || t("agent"), 5000); }));
  }

  /* ---- rendering ---- */
  // Not the kind: the snapshot's turns have none, the stream's messages do.
  function msgKey(m) { return [m.role, m.at || "", m.text].join("\u0001"); }

  function addMessage(m, opts) {
    opts = opts || {};
    if (!m || typeof m.text !== "string") return;
    var key = msgKey(m);
    if (m.at && st.seenKeys[key]) return;      // the same message already shown (e.g. POST reply echoed on the stream)
    st.seenKeys[key] = true;
    var role = ["bot", "agent", "system", "user"].indexOf(m.role) >= 0 ? m.role : "bot";
    if (role === "user") st.userTurns++;
    removeQuick();
    var bubble = el("div", { class: "fl-bubble" });
    if (role === "user") bubble.textContent = m.text; else linkify(bubble, m.text);
    var row = el("div", { class: "fl-msg fl-" + role, "data-kind": m.kind || role, "data-role": role });
    if (m.at) { var d = new Date(m.at); if (!isNaN(d)) row.title = d.toLocaleString(); }
    if (role === "agent") row.appendChild(el("div", { class: "fl-name", text: st.agentName || t("agent") }));
    row.appendChild(bubble);
    append(row);
    // The survey's own quick replies (1…5) are replaced by the star rating card.
    if (m.kind === "survey") { if (!list.querySelector(".fl-rating") && st.state !== "closed" && st.rating == null) addRating(); }
    else if (m.quick_replies && m.quick_replies.length && role !== "user") addQuick(m.quick_replies);
    if (opts.live && !st.open && role !== "user") { st.unread++; renderBadge(); }
    scrollDown();
    return row;
  }

  /** Appends to the transcript, keeping the "chat ended" line last. */
  function append(node) {
    var ended = list.querySelector(".fl-ended");
    if (ended) list.insertBefore(node, ended); else list.appendChild(node);
  }

  /** Text with its web addresses and e-mail addresses as links — built as DOM nodes, never HTML. */
  var LINK_RE = /(https?:\/\/[^\s<>"']+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
  function linkify(node, text) {
    var last = 0, m;
    LINK_RE.lastIndex = 0;
    while ((m = LINK_RE.exec(text))) {
      var raw = m[0], trail = "";
      while (/[.,;:!?)\]»“”"']$/.test(raw)) { trail = raw.slice(-1) + trail; raw = raw.slice(0, -1); }
      if (m.index > last) node.appendChild(document.createTextNode(text.slice(last, m.index)));
      var isMail = raw.indexOf("://") < 0;
      var a = el("a", { href: isMail ? "mailto:" + raw : raw, target: isMail ? null : "_blank", rel: "noopener noreferrer nofollow", text: raw });
      node.appendChild(a);
      if (trail) node.appendChild(document.createTextNode(trail));
      last = m.index + m[0].length;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
  }

  function addNotice(text, isError) {
    var row = el("div", { class: "fl-msg fl-notice" + (isError ? " fl-error" : ""), "data-kind": "notice" }, [el("div", { class: "fl-bubble", text: text })]);
    append(row); scrollDown(); return row;
  }

  function addQuick(qrs) {
    var box = el("div", { class: "fl-quick", role: "group" });
    qrs.forEach(function (q) {
      if (!q || typeof q.label !== "string") return;
      box.appendChild(el("button", { type: "button", class: "fl-chip", "data-value": q.value, text: q.label,
        onclick: function () { if (!st.sending) sendMessage(q.label, q.value); } }));
    });
    append(box);
  }
  function removeQuick() { Array.prototype.forEach.call(list.querySelectorAll(".fl-quick"), function (n) { n.parentNode.removeChild(n); }); }

  function scrollDown() {
    list.scrollTop = list.scrollHeight;
    (window.requestAnimationFrame || setTimeout)(function () { list.scrollTop = list.scrollHeight; });
  }

  function showTyping(on, name, ms) {
    clearTimeout(st.typingTimer);
    typingEl.hidden = !on;
    typingName.textContent = on && name ? name + " " + t("typing") : "";
    if (on) { scrollDown(); if (ms) st.typingTimer = setTimeout(function () { typingEl.hidden = true; }, ms); }
  }
  function showConn(on) { connBar.hidden = !on; }

  function setQueue(q) {
    st.queue = q && typeof q === "object" ? q : null;
    renderQueue();
  }
  function renderQueue() {
    var q = st.queue;
    var show = !!q && (st.state === "queued" || st.state === null || st.state === undefined);
    queueBar.hidden = !show;
    if (!q) return;
    queueDept.textContent = q.department_name || t("waiting");
    queueText.textContent = t("position", { n: q.position });
    var w = q.expected_wait_s;
    queueWait.textContent = typeof w === "number" && q.staffed !== false ? " · " + (w < 60 ? t("waitLess") : t("wait", { n: Math.round(w / 60) })) : "";
    queueBar.setAttribute("data-position", String(q.position));
  }

  function setState(s, info) {
    info = info || {};
    var prev = st.state;
    st.state = s || null;
    root.setAttribute("data-state", st.state || "none");
    if (info.agent_name) st.agentName = info.agent_name;
    else if (st.state !== "with_agent" && st.state !== "awaiting_survey" && !info.fromHistory) st.agentName = null;
    if (st.session) save();
    renderQueue(); renderStatus();
    var closed = st.state === "closed";
    var survey = st.state === "awaiting_survey";
    form.hidden = closed || survey;
    newChatBtn.hidden = !closed;
    footer.hidden = survey;
    if (survey && !list.querySelector(".fl-rating")) addRating();
    if (closed) {
      if (st.es) { st.es.close(); st.es = null; }
      var r = list.querySelector(".fl-rating");
      // An unanswered card goes; one being sent (the stream's "closed" can beat the POST's reply) or answered stays.
      if (r && !r.classList.contains("fl-done") && !r.classList.contains("fl-busy")) r.parentNode.removeChild(r);
      if (!list.querySelector(".fl-ended")) list.appendChild(el("div", { class: "fl-ended", text: t("ended") }));
      scrollDown();
    }
  }

  function renderStatus() {
    var s = st.state;
    statusEl.classList.remove("fl-live");
    if (s === "with_agent" && st.agentName) { statusEl.textContent = t("connected", { name: st.agentName }); statusEl.classList.add("fl-live"); avatar.textContent = initials(st.agentName); }
    else if (s === "with_agent") { statusEl.textContent = t("agent"); statusEl.classList.add("fl-live"); avatar.textContent = "DB"; }
    else if (s === "queued") { statusEl.textContent = t("waiting"); avatar.textContent = "DB"; }
    else if (s === "closed") { statusEl.textContent = t("ended"); avatar.textContent = "DB"; }
    else if (s === "awaiting_survey") { statusEl.textContent = t("rate"); avatar.textContent = "DB"; }
    else { statusEl.textContent = t("botStatus"); avatar.textContent = "DB"; }
  }
  function initials(name) { return String(name).trim().split(/\s+/).slice(0, 2).map(function (w) { return w.charAt(0).toUpperCase(); }).join("") || "?"; }

  /* ---- rating ---- */
  function addRating() {
    var box = el("div", { class: "fl-rating", role: "group" });
    var heading = el("div", { class: "fl-rating-title" });
    var stars = el("div", { class: "fl-stars" });
    var chosen = 0;
    for (var i = 1; i <= 5; i++) (function (n) {
      stars.appendChild(el("button", { type: "button", class: "fl-star", "data-rating": String(n), "aria-pressed": "false",
        onclick: function () { chosen = n; paint(); submit.disabled = false; comment.hidden = false; scrollDown(); } }, [icon(ICON_STAR, 30)]));
    })(i);
    var comment = el("textarea", { class: "fl-rating-comment", rows: "2", maxlength: "1000", hidden: "" });
    var submit = el("button", { type: "button", class: "fl-btn fl-btn-primary fl-rating-submit", disabled: "" });
    function paint() {
      Array.prototype.forEach.call(stars.children, function (b) {
        var n = parseInt(b.getAttribute("data-rating"), 10);
        b.classList.toggle("fl-on", n <= chosen); b.setAttribute("aria-pressed", n === chosen ? "true" : "false");
      });
    }
    submit.addEventListener("click", function () {
      if (!chosen || submit.disabled) return;
      submit.disabled = true;
      box.classList.add("fl-busy");
      var body = { rating: chosen }; var c = comment.value.trim(); if (c) body.comment = c;
      api("POST", sessPath("/rating"), body).then(function (r) {
        box.classList.add("fl-done");
        while (box.firstChild) box.removeChild(box.firstChild);
        var th = el("div", { class: "fl-thanks", id: "fl-thanks" });
        th.appendChild(el("div", { class: "fl-thanks-stars", "aria-hidden": "true", text: "★★★★★".slice(0, chosen) + "☆☆☆☆☆".slice(0, 5 - chosen) }));
        th.appendChild(el("div", { class: "fl-thanks-text", "data-i18n": "thanks", text: t("thanks") }));
        box.appendChild(th);
        st.rating = chosen;
        (r && r.messages || []).forEach(function (m) { addMessage(m); });
        setState(r && r.state || "closed");
      }).catch(function (e) {
        submit.disabled = false;
        box.classList.remove("fl-busy");
        if (e.status === 409 || isGone(e)) { if (box.parentNode) box.parentNode.removeChild(box); setState("closed"); } else addNotice(t("error"), true);
      });
    });
    var skip = el("button", { type: "button", class: "fl-link fl-rating-skip" });
    skip.addEventListener("click", function () {
      // No rating: closing a chat that awaits its survey closes it for good.
      skip.disabled = true;
      api("POST", sessPath("/close")).then(function (r) {
        if (box.parentNode) box.parentNode.removeChild(box);
        (r && r.messages || []).forEach(function (m) { addMessage(m); });
        setState(r && r.state || "closed");
      }).catch(function (e) { skip.disabled = false; if (isGone(e)) { if (box.parentNode) box.parentNode.removeChild(box); setState("closed"); } else addNotice(t("error"), true); });
    });
    box.appendChild(heading); box.appendChild(stars); box.appendChild(comment);
    box.appendChild(el("div", { class: "fl-rating-actions" }, [submit, skip]));
    fillRatingTexts(box);
    list.appendChild(box); scrollDown();
  }
  function fillRatingTexts(box) {
    var h = box.querySelector(".fl-rating-title"); if (h) h.textContent = t("rate");
    Array.prototype.forEach.call(box.querySelectorAll(".fl-star"), function (b) { var n = b.getAttribute("data-rating"); b.setAttribute("aria-label", t("star", { n: n })); b.title = t("star", { n: n }); });
    var c = box.querySelector(".fl-rating-comment"); if (c) { c.placeholder = t("comment"); c.setAttribute("aria-label", t("comment")); }
    var s = box.querySelector(".fl-rating-submit"); if (s) s.textContent = t("submit");
    var k = box.querySelector(".fl-rating-skip"); if (k) k.textContent = t("skip");
    var th = box.querySelector(".fl-thanks-text"); if (th) th.textContent = t("thanks");
    box.setAttribute("aria-label", t("rate"));
  }

  /* ---- sending ---- */
  function sendMessage(text, choice) {
    text = String(text || "").trim();
    if (!text || st.sending) return;
    st.sending = true; sendBtn.disabled = true;
    startSession().then(function () {
      var row = addMessage({ role: "user", text: text, kind: "user" });
      var body = { text: text }; if (choice) body.choice = choice;
      // While an agent holds the chat the bot stays silent: no typing dots for our own turn then.
      if (st.state !== "with_agent") showTyping(true, null);
      return post(body, row);
    }).catch(function () {}).then(function () { st.sending = false; sendBtn.disabled = false; });
  }
  function post(body, row) {
    return api("POST", sessPath("/messages"), body).then(function (r) {
      showTyping(false);
      if (r.locale) { st.locale = r.locale; if (st.pref === "auto") applyTexts(); }
      (r.messages || []).forEach(function (m) { addMessage(m); });
      if ("queue" in r) setQueue(r.queue);
      if (r.state) setState(r.state);
    }).catch(function (e) {
      showTyping(false);
      if (isGone(e)) {
        // The session is gone (expired or the server lost it): start anew and resend once.
        resetSession();
        return startSession().then(function () { var r2 = addMessage({ role: "user", text: body.text, kind: "user" }); return post(body, r2); });
      }
      if (row) {
        row.classList.add("fl-failed");
        var retry = el("button", { type: "button", class: "fl-retry", text: e.status === 429 ? t("busy") : t("failed"),
          onclick: function () { retry.parentNode.removeChild(retry); row.classList.remove("fl-failed"); showTyping(true, null); post(body, row); } });
        row.appendChild(retry);
      }
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = input.value;
    if (!v.trim()) return;
    input.value = ""; autosize();
    sendMessage(v);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true })); }
    if (e.key === "Escape") closePanel();
  });
  input.addEventListener("input", function () {
    autosize();
    if (st.state === "with_agent" && Date.now() - st.lastTypingPost > 3000) {
      st.lastTypingPost = Date.now();
      api("POST", sessPath("/typing")).catch(function () {});
    }
  });
  function autosize() { input.style.height = "auto"; input.style.height = Math.min(input.scrollHeight, 120) + "px"; }

  /* ---- open / close / language ---- */
  function openPanel() {
    st.open = true; setOpenFlag(true);
    panel.hidden = false; root.classList.add("fl-open");
    launcher.setAttribute("aria-expanded", "true");
    st.unread = 0; renderBadge();
    if (!st.session) startSession().catch(function () {});
    setTimeout(function () { scrollDown(); input.focus(); }, 30);
  }
  function closePanel() {
    st.open = false; setOpenFlag(false);
    panel.hidden = true; root.classList.remove("fl-open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  function renderBadge() {
    badge.hidden = st.unread === 0;
    badge.textContent = st.unread > 9 ? "9+" : String(st.unread);
    badge.setAttribute("aria-label", t("unread", { n: st.unread }));
  }
  window.addEventListener("resize", function () { if (st.open) scrollDown(); });
  launcher.addEventListener("click", function () { if (st.open) closePanel(); else openPanel(); });
  minBtn.addEventListener("click", closePanel);
  closeBtn.addEventListener("click", function () {
    if (!st.session || st.state === "closed") { closePanel(); return; }
    confirmBar.hidden = false; confirmYes.focus();
  });
  confirmNo.addEventListener("click", function () { confirmBar.hidden = true; input.focus(); });
  confirmYes.addEventListener("click", function () {
    confirmBar.hidden = true;
    api("POST", sessPath("/close")).then(function (r) {
      (r.messages || []).forEach(function (m) { addMessage(m); });
      setQueue(null);
      setState(r.state || "closed");
    }).catch(function (e) { if (isGone(e)) { resetSession(); closePanel(); } else addNotice(t("error"), true); });
  });
  newChatBtn.addEventListener("click", function () {
    resetSession();
    startSession().then(function () { input.focus(); }).catch(function () {});
  });
  langSel.addEventListener("change", function () {
    st.pref = langSel.value;
    try { localStorage.setItem(LANG_KEY, st.pref); } catch (e) {}
    applyTexts();
    // Nothing said yet: start the chat again in the chosen language (the greeting follows).
    // Once the user has written, the bot already follows the user's language; only the widget's own texts change.
    if (st.session && st.userTurns === 0 && st.state === "open" && st.pref !== "auto" && st.pref !== st.locale) {
      // Close the untouched chat so the desk does not keep it open until it idles out.
      var old = { path: sessPath("/close"), token: st.token };
      fetch(BASE + old.path, { method: "POST", headers: { "Authorization": "Bearer " + old.token } }).catch(function () {});
      resetSession();
      startSession().catch(function () {});
    }
  });
})();

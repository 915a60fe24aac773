// The agent workspace's live parts: the inbox and the transcript follow /ws/staff, replies go through the
// staff API. The pages work without this file; it only adds to them. Everything it shows comes from the
// page (texts in #ws-data, markup in <template>s) and is written with textContent, never as HTML.
(function () {
  "use strict";

  const dataElement = document.getElementById("ws-data");
  if (!dataElement) return;
  const data = JSON.parse(dataElement.textContent);
  const texts = data.texts || {};
  const lang = document.documentElement.lang || "nl";
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";

  function t(key, values) {
    let text = texts[key] || key;
    for (const name of Object.keys(values || {})) text = text.split("{" + name + "}").join(String(values[name]));
    return text;
  }

  function reasonLabel(reason) {
    return texts["ws.reason." + reason] || reason;
  }

  // --- times ---------------------------------------------------------------------------------------------

  function ago(date) {
    const minutes = Math.floor(Math.max(0, Date.now() - date.getTime()) / 60000);
    if (minutes < 1) return t("ws.ago.now");
    if (minutes < 60) return t("ws.ago.minutes", { n: minutes });
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return hours === 1 ? t("ws.ago.hour") : t("ws.ago.hours", { n: hours });
    const days = Math.floor(hours / 24);
    return days === 1 ? t("ws.ago.day") : t("ws.ago.days", { n: days });
  }

  function showTimes(root) {
    for (const el of root.querySelectorAll("time[data-ago]")) {
      const date = new Date(el.dateTime);
      if (!isNaN(date)) el.textContent = ago(date);
    }
    for (const el of root.querySelectorAll("time[data-clock]")) {
      const date = new Date(el.dateTime);
      if (isNaN(date)) continue;
      el.textContent = date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
      el.title = date.toLocaleString(lang);
    }
  }

  showTimes(document);
  setInterval(function () { showTimes(document); }, 30000);

  // --- announcements and the connection indicator --------------------------------------------------------

  const announcer = document.getElementById("ws-announcer");

  function announce(text) {
    if (!announcer) return;
    // Emptied first, so the same words said twice are announced twice.
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = text; }, 60);
  }

  const live = document.getElementById("ws-live");

  function setLive(state) {
    if (!live) return;
    live.hidden = false;
    live.dataset.state = state;
    live.textContent = t({ live: "ws.live.connected", reconnecting: "ws.live.reconnecting", expired: "ws.live.expired" }[state] || "ws.live.connecting");
  }

  function sessionEnded() {
    setLive("expired");
    announce(t("ws.live.expired"));
  }

  // --- the queue length in the header, on every page ---------------------------------------------------

  const queueBadge = document.getElementById("ws-queue");
  const queue = new Set();
  const queueLimit = 500;

  function showQueue() {
    if (!queueBadge) return;
    queueBadge.hidden = false;
    const n = queue.size >= queueLimit ? queueLimit + "+" : queue.size;
    queueBadge.textContent = t("ws.live.queue", { n: n });
  }

  async function countQueue() {
    if (!queueBadge) return;
    try {
      const response = await fetch("/api/v1/staff/conversations?status=waiting&limit=" + queueLimit, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      queue.clear();
      for (const c of (await response.json()).items) queue.add(c.id);
      showQueue();
    } catch (err) {
      // the count is a convenience; the next change brings it back
    }
  }

  function trackQueue(c) {
    if (c.status === "waiting") queue.add(c.id);
    else queue.delete(c.id);
    showQueue();
  }

  // --- my state in the header (available, improvement time, break, offline) ---------------------------

  const stateForm = document.getElementById("ws-state-form");
  const stateNow = document.getElementById("ws-state-now");
  const offlineForm = document.getElementById("ws-offline-form");

  function showMyState(state) {
    if (!stateNow) return;
    stateNow.textContent = t("ws.state.now", {
      state: t("ws.state." + state.state),
      n: state.open_chats,
      max: state.max_chats,
    });
    const select = document.getElementById("ws-state");
    if (select && document.activeElement !== select) select.value = state.chosen_state;
    if (offlineForm) offlineForm.hidden = state.chosen_state !== "offline";
  }

  async function saveMyState(value, button) {
    button.disabled = true;
    try {
      const response = await fetch("/api/v1/staff/routing/state", {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ state: value }),
      });
      if (response.status === 401) return sessionEnded();
      if (!response.ok) throw new Error(String(response.status));
      const state = await response.json();
      showMyState(state);
      stateNow.textContent = t("ws.state.saved", { state: t("ws.state." + state.chosen_state) });
    } catch (err) {
      stateNow.textContent = t("ws.state.failed");
    } finally {
      button.disabled = false;
    }
  }

  if (stateForm) {
    // Without this the form posts and the page reloads; with it the state changes in place. Changing the
    // selection alone does nothing: the button confirms, so moving through the options never switches.
    stateForm.addEventListener("submit", function (event) {
      event.preventDefault();
      saveMyState(document.getElementById("ws-state").value, stateForm.querySelector("button[type=submit]"));
    });
  }

  if (offlineForm) {
    // "Become available" in one click; the note goes away, so the keyboard goes on from the state selector.
    offlineForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      await saveMyState("available", offlineForm.querySelector("button[type=submit]"));
      const select = document.getElementById("ws-state");
      if (offlineForm.hidden && select) select.focus();
    });
  }

  // --- the staff socket ----------------------------------------------------------------------------------

  function connect(handlers) {
    let socket = null;
    let attempt = 0;
    let connectedBefore = false;
    let pinger = null;
    const api = {
      send: function (frame) {
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
      },
    };

    function open() {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + location.host + "/ws/staff");
      socket.addEventListener("open", function () {
        socket.send(JSON.stringify({ type: "hello" }));
      });
      socket.addEventListener("message", function (event) {
        let frame;
        try {
          frame = JSON.parse(event.data);
        } catch (err) {
          return;
        }
        if (frame.type === "ready") {
          const again = connectedBefore;
          connectedBefore = true;
          attempt = 0;
          setLive("live");
          countQueue();
          if (handlers.ready) handlers.ready(api, again);
        } else if (frame.type === "conversation") {
          trackQueue(frame.conversation);
          if (handlers.conversation) handlers.conversation(frame.conversation);
        } else if (frame.type === "message" && handlers.message) {
          handlers.message(frame.conversation_id, frame.message);
        } else if (frame.type === "agent") {
          if (frame.agent && frame.agent.staff_id === data.me) showMyState(frame.agent);
          if (handlers.agent) handlers.agent(frame.agent);
        }
      });
      socket.addEventListener("close", function (event) {
        clearInterval(pinger);
        if (event.code === 4401 || event.code === 4403) {
          sessionEnded();
          return;
        }
        // 1012 and every other loss: come back, then catch up on what was missed.
        setLive("reconnecting");
        const delay = Math.min(15000, 500 * Math.pow(2, attempt)) + Math.random() * 400;
        attempt += 1;
        setTimeout(open, delay);
      });
      pinger = setInterval(function () { api.send({ type: "ping" }); }, 25000);
    }

    open();
    return api;
  }

  // --- the inbox ---------------------------------------------------------------------------------------------

  function initInbox() {
    const body = document.getElementById("ws-rows");
    const template = document.getElementById("ws-row-template");
    const empty = document.getElementById("ws-empty");
    if (!body || !template) return;
    const rows = new Map();
    for (const row of body.querySelectorAll("tr[data-id]")) rows.set(row.dataset.id, row);

    function belongs(c) {
      if (data.tab === "mine") return c.status === "assigned" && !!c.assigned_staff && c.assigned_staff.id === data.me;
      return c.status === data.status;
    }

    function nameOf(c) {
      return (c.customer && c.customer.name) || t("ws.inbox.unknown_customer");
    }

    function slot(row, name) {
      return row.querySelector('[data-slot="' + name + '"]');
    }

    function fill(row, c) {
      row.dataset.id = c.id;
      row.dataset.updated = c.updated_at;
      const link = slot(row, "link");
      link.href = "/workspace/conversations/" + encodeURIComponent(c.id);
      link.textContent = nameOf(c);
      const segment = (c.customer && c.customer.segment) || "standard";
      const badge = slot(row, "segment");
      badge.hidden = !texts["ws.segment." + segment] || segment === "standard";
      badge.className = "badge badge-" + segment;
      badge.textContent = badge.hidden ? "" : texts["ws.segment." + segment];
      slot(row, "preview").textContent = c.last_message || t("ws.inbox.no_messages");
      const reasons = slot(row, "reasons");
      reasons.replaceChildren();
      for (const reason of (c.handoff && c.handoff.reasons) || []) {
        const item = document.createElement("li");
        item.className = "reason reason-" + reason;
        item.textContent = reasonLabel(reason);
        reasons.append(item);
      }
      slot(row, "language").textContent = c.language || "–";
      const time = slot(row, "ago");
      time.dateTime = c.updated_at;
      time.textContent = ago(new Date(c.updated_at));
      slot(row, "agent").textContent = c.assigned_staff ? c.assigned_staff.name : t("ws.inbox.unassigned");
    }

    function place(row) {
      // Newest activity first, as the server lists them.
      const when = Date.parse(row.dataset.updated);
      for (const other of body.children) {
        if (other !== row && Date.parse(other.dataset.updated) < when) {
          body.insertBefore(row, other);
          return;
        }
      }
      body.append(row);
    }

    function update(c, speak) {
      let row = rows.get(c.id);
      if (!belongs(c)) {
        if (row) {
          row.remove();
          rows.delete(c.id);
          if (speak) announce(t("ws.live.left_row", { name: nameOf(c) }));
        }
      } else if (!row) {
        row = template.content.firstElementChild.cloneNode(true);
        fill(row, c);
        rows.set(c.id, row);
        place(row);
        if (speak) announce(t(data.tab === "waiting" ? "ws.live.new_waiting" : "ws.live.new_row", { name: nameOf(c) }));
      } else if (Date.parse(c.updated_at) >= Date.parse(row.dataset.updated)) {
        fill(row, c);
        place(row);
      }
      if (empty) empty.hidden = rows.size > 0;
    }

    async function catchUp() {
      // After a lost connection: what the list should be now, from the staff API.
      const response = await fetch("/api/v1/staff/conversations?status=" + encodeURIComponent(data.status) + "&limit=" + data.limit, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.status === 401) return sessionEnded();
      if (!response.ok) return;
      const items = (await response.json()).items.filter(belongs);
      const keep = new Set(items.map(function (c) { return c.id; }));
      for (const [id, row] of rows) {
        if (!keep.has(id)) {
          row.remove();
          rows.delete(id);
        }
      }
      for (const c of items) update(c, false);
    }

    connect({
      ready: function (socket, again) {
        if (again) catchUp();
      },
      conversation: function (c) {
        update(c, true);
      },
    });
  }

  // --- a conversation ------------------------------------------------------------------------------------

  function initConversation() {
    const id = data.conversationId;
    const transcript = document.getElementById("ws-transcript");
    const template = document.getElementById("ws-message-template");
    if (!transcript || !template) return;
    const customerName = transcript.dataset.customerName;
    const seen = new Set();
    for (const el of transcript.querySelectorAll("[data-id]")) seen.add(el.dataset.id);

    function lastSeq() {
      let seq = 0;
      for (const el of transcript.children) seq = Math.max(seq, Number(el.dataset.seq) || 0);
      return seq;
    }

    function authorName(m) {
      if (m.author === "customer") return customerName || t("ws.author.customer");
      if (m.author === "agent") return m.author_name || t("ws.author.agent");
      return t("ws.author." + m.author);
    }

    function nearBottom() {
      return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
    }

    function addMessage(m) {
      if (!m || seen.has(m.id)) return;
      seen.add(m.id);
      const el = template.content.firstElementChild.cloneNode(true);
      const slot = function (name) { return el.querySelector('[data-slot="' + name + '"]'); };
      el.className = "msg msg-" + m.author;
      el.dataset.id = m.id;
      el.dataset.seq = m.seq;
      slot("author").textContent = authorName(m);
      slot("time").dateTime = m.created_at;
      slot("language").textContent = m.language || "";
      slot("text").textContent = m.text;
      const translations = slot("translations");
      for (const code of Object.keys(m.translations || {})) {
        const p = document.createElement("p");
        p.className = "msg-translation";
        const labelEl = document.createElement("span");
        labelEl.className = "msg-translation-label";
        labelEl.textContent = t("ws.transcript.translation", { lang: code });
        const text = document.createElement("span");
        text.lang = code;
        text.textContent = m.translations[code];
        p.append(labelEl, " ", text);
        translations.append(p);
      }
      if (m.sources && m.sources.length) {
        slot("sources").hidden = false;
        slot("source-list").textContent = m.sources.map(function (s) { return s.title; }).join(", ");
      }
      showTimes(el);
      const follow = nearBottom();
      // In order of seq, whatever order they arrive in.
      let before = null;
      for (const other of transcript.children) {
        if (Number(other.dataset.seq) > m.seq) {
          before = other;
          break;
        }
      }
      transcript.insertBefore(el, before);
      if (follow) transcript.scrollTop = transcript.scrollHeight;
      if (m.author === "assistant") refreshAside();
    }

    transcript.scrollTop = transcript.scrollHeight;

    // The side panel (status, buttons, decisions) comes from the server again when the conversation changes.
    let stateKey = (document.getElementById("ws-aside-body") || {}).dataset.stateKey;
    let refreshing = null;
    let again = false;

    function applyReplyState(state) {
      const form = document.getElementById("ws-reply");
      if (form) form.hidden = state !== "ok";
      for (const el of document.querySelectorAll("[data-reply-state]")) {
        if (el.classList.contains("ws-reply-state")) el.hidden = el.dataset.replyState !== state;
      }
    }

    async function loadAside() {
      const response = await fetch("/workspace/conversations/" + encodeURIComponent(id) + "/aside", {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (response.redirected && new URL(response.url).pathname === "/workspace/login") return sessionEnded();
      if (!response.ok) return;
      // The fragment is rendered (and escaped) by the server; it is parsed inert and adopted whole.
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.getElementById("ws-aside-body");
      const old = document.getElementById("ws-aside-body");
      if (!fresh || !old) return;
      // Keep what the agent was typing or had open.
      const values = new Map();
      for (const field of old.querySelectorAll("input[id], select[id], textarea[id]")) {
        if (field.type !== "hidden") values.set(field.id, { value: field.value, checked: field.checked });
      }
      const opened = new Set();
      for (const d of old.querySelectorAll("details[data-decision-id]")) if (d.open) opened.add(d.dataset.decisionId);
      const focused = old.contains(document.activeElement) ? document.activeElement.id : "";
      const adopted = document.adoptNode(fresh);
      for (const [fieldId, v] of values) {
        const field = adopted.querySelector("#" + CSS.escape(fieldId));
        if (!field) continue;
        if (field.type === "checkbox") field.checked = v.checked;
        else if (field.tagName !== "SELECT" || field.querySelector('option[value="' + CSS.escape(v.value) + '"]')) field.value = v.value;
      }
      for (const d of adopted.querySelectorAll("details[data-decision-id]")) if (opened.has(d.dataset.decisionId)) d.open = true;
      old.replaceWith(adopted);
      showTimes(adopted);
      if (focused) {
        const target = document.getElementById(focused);
        if (target) target.focus();
      }
      stateKey = adopted.dataset.stateKey;
      applyReplyState(adopted.dataset.replyState);
    }

    function refreshAside() {
      // One at a time; a change during a refresh asks for one more.
      if (refreshing) {
        again = true;
        return;
      }
      refreshing = loadAside().catch(function () {}).finally(function () {
        refreshing = null;
        if (again) {
          again = false;
          refreshAside();
        }
      });
    }

    connect({
      ready: function (socket) {
        socket.send({ type: "watch", conversation_id: id, after_seq: lastSeq() });
      },
      message: function (conversationId, m) {
        if (conversationId === id) addMessage(m);
      },
      conversation: function (c) {
        if (c.id !== id) return;
        const key = c.status + "|" + (c.assigned_staff ? c.assigned_staff.id : "") + "|" + ((c.handoff && c.handoff.reasons) || []).join(",");
        if (key !== stateKey) {
          const statusChanged = !stateKey || stateKey.split("|")[0] !== c.status;
          stateKey = key;
          refreshAside();
          if (statusChanged) announce(t("ws.live.status_changed", { status: texts["ws.status." + c.status] || c.status }));
        }
      },
    });

    initComposer(addMessage, refreshAside);
  }

  function clientId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return "ws-" + Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function initComposer(addMessage, refreshAside) {
    const form = document.getElementById("ws-reply");
    const box = document.getElementById("reply");
    if (!form || !box) return;
    const button = form.querySelector('button[type="submit"]');
    const feedback = document.getElementById("reply-feedback");
    const error = document.getElementById("reply-error");
    let pendingId = null;
    let sending = false;

    function say(text) {
      feedback.textContent = text;
    }

    function fail(text) {
      say("");
      error.textContent = text;
      error.hidden = false;
    }

    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    // The draft survives a reload (a take-over, a lost session) until it is sent.
    const draftKey = "samenspel.draft." + data.conversationId;
    function keepDraft(text) {
      try {
        if (text) sessionStorage.setItem(draftKey, text);
        else sessionStorage.removeItem(draftKey);
      } catch (err) {
        // storage may be off; the draft then lives only in the page
      }
    }
    try {
      const saved = sessionStorage.getItem(draftKey);
      if (saved && !box.value) box.value = saved;
    } catch (err) {
      // as above
    }

    // A changed text is a new message; the same text sent again after a failure keeps its id, so it is stored once.
    box.addEventListener("input", function () {
      pendingId = null;
      keepDraft(box.value);
    });

    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (sending) return;
      const text = box.value;
      error.hidden = true;
      if (!text.trim()) return fail(t("ws.reply.empty"));
      if (text.length > data.maxChars) return fail(t("ws.reply.too_long"));
      pendingId = pendingId || clientId();
      sending = true;
      button.disabled = true;
      say(t("ws.reply.sending"));
      try {
        const response = await fetch("/api/v1/staff/conversations/" + encodeURIComponent(data.conversationId) + "/messages", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ text: text, client_id: pendingId }),
        });
        if (response.ok) {
          const body = await response.json();
          addMessage(body.message);
          box.value = "";
          keepDraft("");
          pendingId = null;
          say(t("ws.reply.sent"));
          refreshAside();
        } else if (response.status === 401) {
          sessionEnded();
          fail(t("ws.live.expired"));
        } else if (response.status === 403) {
          fail(t("ws.reply.forbidden"));
          refreshAside();
        } else if (response.status === 409) {
          fail(t("ws.reply.closed"));
          refreshAside();
        } else if (response.status === 413) {
          fail(t("ws.reply.too_long"));
        } else {
          let message = t("ws.reply.failed");
          try {
            message = (await response.json()).error.message || message;
          } catch (err) {
            // not JSON: keep the general text
          }
          fail(message);
        }
      } catch (err) {
        fail(t("ws.reply.failed"));
      } finally {
        sending = false;
        button.disabled = false;
      }
    });

    if (location.hash === "#reply" && !form.hidden) box.focus();
  }

  // A notice after a form ("taken over") belongs to that moment, not to a reload or a bookmark.
  const url = new URL(location.href);
  if (url.searchParams.has("done")) {
    url.searchParams.delete("done");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  // Drafts hold customers' matters: they leave with the agent.
  const logoutForm = document.querySelector('form[action="/workspace/logout"]');
  if (logoutForm) {
    logoutForm.addEventListener("submit", function () {
      try {
        for (const key of Object.keys(sessionStorage)) if (key.startsWith("samenspel.draft.")) sessionStorage.removeItem(key);
      } catch (err) {
        // nothing stored
      }
    });
  }

  // --- the team page ------------------------------------------------------------------------------------

  function initTeam() {
    let refreshing = null;
    let again = false;
    let timer = null;

    async function loadPanel() {
      const response = await fetch("/workspace/team/panel", { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (response.redirected && new URL(response.url).pathname === "/workspace/login") return sessionEnded();
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.getElementById("ws-team");
      const old = document.getElementById("ws-team");
      if (!fresh || !old) return;
      // Keep what the supervisor had chosen or was on.
      const chosen = new Map();
      for (const select of old.querySelectorAll("select[id]")) if (select.value) chosen.set(select.id, select.value);
      const focused = old.contains(document.activeElement) ? document.activeElement.id : "";
      const adopted = document.adoptNode(fresh);
      for (const [selectId, value] of chosen) {
        const select = adopted.querySelector("#" + CSS.escape(selectId));
        if (select && select.querySelector('option[value="' + CSS.escape(value) + '"]')) select.value = value;
      }
      const changed = adopted.dataset.summaryKey !== old.dataset.summaryKey;
      old.replaceWith(adopted);
      showTimes(adopted);
      if (focused) {
        const target = document.getElementById(focused);
        if (target) target.focus();
      }
      if (changed) announce(t("ws.team.updated", { summary: adopted.dataset.summary }));
    }

    function refresh() {
      if (refreshing) {
        again = true;
        return;
      }
      refreshing = loadPanel().catch(function () {}).finally(function () {
        refreshing = null;
        if (again) {
          again = false;
          refresh();
        }
      });
    }

    function soon() {
      // Changes come in bursts (a handoff moves a conversation and an agent at once): one refresh for all.
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    }

    connect({
      ready: function (socket, reconnected) {
        if (reconnected) soon();
      },
      conversation: soon,
      agent: soon,
    });
  }

  if (data.page === "inbox") initInbox();
  if (data.page === "conversation") initConversation();
  if (data.page === "team") initTeam();
})();

/*
 * Samenspel chat widget: one file, no build step, no libraries.
 *
 * Embed it on any page with one tag:
 *
 *     <script src="https://chat.example.org/widget.js" async data-lang="nl" data-open></script>
 *
 *   data-lang  "nl" or "en"; otherwise the page's <html lang>, then the browser's language.
 *   data-open  open the chat panel straight away.
 *
 * The server is the origin the script came from, so the widget works cross-origin. A page with a
 * Content-Security-Policy allows that origin in script-src and connect-src (http(s) and ws(s)); the
 * styles are constructable stylesheets inside a Shadow DOM, which need no 'unsafe-inline'.
 * The host page may set --samenspel-accent and --samenspel-accent-ink (colours) on any ancestor.
 *
 * The protocol (src/samenspel/web/ws.py): hello -> ready (everything after after_seq), then message /
 * ack / status / error frames. Every message the customer types goes into an outbox (kept in
 * localStorage) with a client_id, and stays there until the server acknowledges it; after a reconnect
 * the outbox is sent again with the same client_ids, which the server stores only once.
 *
 * The assistant's answers carry their sources (shown as links) and quick replies (buttons under the
 * newest answer): "helped" sends a feedback frame, which waits in a queue of its own until the server's
 * feedback_ack; "person" asks for a colleague; "choice" sends its text as the customer's next message.
 */
(() => {
  "use strict";

  const script =
    document.currentScript || document.querySelector('script[src$="/widget.js"], script[src*="/widget.js?"]');
  // A second copy of the tag on the same page must not give a second widget.
  if (!script || window.__samenspelChat) return;
  window.__samenspelChat = true;

  const ORIGIN = new URL(script.src, location.href).origin;
  const API = `${ORIGIN}/api/v1`;
  const WS_URL = `${ORIGIN.replace(/^http/, "ws")}/ws/chat`;
  // Per server origin, so two Samenspel installations embedded on one site keep apart.
  const STORE_KEY = `samenspel.chat@${ORIGIN}`;

  const MAX_CHARS = 4000;
  const COUNTER_FROM = 400; // show "n characters left" from this many left
  const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000, 30000];
  const READY_WITHIN_MS = 10000;
  const PING_EVERY_MS = 25000;
  const PONG_WITHIN_MS = 10000;
  const LOST_GRACE_MS = 1500; // a reconnect faster than this is not worth announcing
  const GONE_CODES = new Set([4401, 4403, 4404]); // the stored conversation or token is no longer valid
  const AUTHORS = new Set(["customer", "assistant", "agent", "system"]);
  const QUICK_KINDS = new Set(["helped", "person", "choice"]);
  const FEEDBACK_KEPT = 50; // feedback remembered per conversation, for its thank-you after a reload

  // ---------------------------------------------------------------------------------------------
  // Texts

  const TEXTS = {
    nl: {
      launcher: "Chat met ons",
      unread: (n) => (n === 1 ? "1 nieuw bericht" : `${n} nieuwe berichten`),
      title: "Chat met ons",
      close: "Chat sluiten",
      welcome:
        "Hallo! Ik ben de digitale assistent. Stel gerust uw vraag. Wilt u liever iemand spreken? " +
        "Kies dan ‘Medewerker spreken’.",
      assistant: "Digitale assistent",
      agent: "Medewerker",
      you: "U",
      notice: "Melding",
      status: {
        assistant: "U chat met de digitale assistent.",
        waiting: "U wordt doorverbonden met een collega. Een ogenblik geduld.",
        assigned: (name) => `${name} helpt u verder.`,
        closed: "Dit gesprek is afgesloten.",
      },
      lost: "De verbinding is verbroken. We proberen opnieuw te verbinden…",
      restored: "De verbinding is hersteld.",
      person: "Medewerker spreken",
      personText: "Ik wil graag een medewerker spreken",
      label: "Uw bericht",
      placeholder: "Typ uw vraag…",
      hint: "Enter verstuurt het bericht, Shift+Enter begint een nieuwe regel.",
      send: "Versturen",
      sending: "Wordt verstuurd…",
      failed: "Niet verstuurd",
      retry: "Opnieuw versturen",
      left: (n) => (n === 1 ? "Nog 1 teken" : `Nog ${n} tekens`),
      source: "Bron",
      newTab: "opent in een nieuw tabblad",
      replies: "Reageer op dit antwoord",
      helped: "Dit hielp",
      thanks: "Bedankt voor uw reactie",
      ended: "Dit gesprek is afgesloten. Heeft u nog een vraag? Begin dan een nieuw gesprek.",
      gone: "Dit gesprek is niet meer beschikbaar. Begin een nieuw gesprek als u nog een vraag heeft.",
      newConversation: "Nieuw gesprek starten",
      errors: {
        generic: "Er ging iets mis.",
        tooLarge: `Uw bericht is te lang. Een bericht mag ${MAX_CHARS} tekens hebben.`,
        empty: "Uw bericht is leeg.",
        slowDown: "U stuurt veel berichten achter elkaar. Wacht even en probeer het opnieuw.",
        start: "Het gesprek kon niet worden gestart.",
      },
    },
    en: {
      launcher: "Chat with us",
      unread: (n) => (n === 1 ? "1 new message" : `${n} new messages`),
      title: "Chat with us",
      close: "Close chat",
      welcome:
        "Hello! I am the digital assistant. Feel free to ask your question. Would you rather talk to " +
        "someone? Choose ‘Talk to a person’.",
      assistant: "Digital assistant",
      agent: "Agent",
      you: "You",
      notice: "Notice",
      status: {
        assistant: "You are chatting with the digital assistant.",
        waiting: "You are being connected to a colleague. One moment, please.",
        assigned: (name) => `${name} is helping you.`,
        closed: "This conversation has been closed.",
      },
      lost: "The connection was lost. Trying to reconnect…",
      restored: "The connection is back.",
      person: "Talk to a person",
      personText: "I would like to talk to a person",
      label: "Your message",
      placeholder: "Type your question…",
      hint: "Enter sends the message, Shift+Enter starts a new line.",
      send: "Send",
      sending: "Sending…",
      failed: "Not sent",
      retry: "Send again",
      left: (n) => (n === 1 ? "1 character left" : `${n} characters left`),
      source: "Source",
      newTab: "opens in a new tab",
      replies: "Reply to this answer",
      helped: "This helped",
      thanks: "Thanks for your feedback",
      ended: "This conversation has been closed. Do you have another question? Start a new conversation.",
      gone: "This conversation is no longer available. Start a new conversation if you have a question.",
      newConversation: "Start a new conversation",
      errors: {
        generic: "Something went wrong.",
        tooLarge: `Your message is too long. A message may have ${MAX_CHARS} characters.`,
        empty: "Your message is empty.",
        slowDown: "You are sending many messages in a row. Please wait a moment and try again.",
        start: "The conversation could not be started.",
      },
    },
  };

  function pickLanguage() {
    const wanted = script.dataset.lang || document.documentElement.lang || navigator.language || "";
    return /^nl(?:$|[-_])/i.test(wanted.trim()) ? "nl" : "en";
  }

  const LANG = pickLanguage();
  const T = TEXTS[LANG];

  // ---------------------------------------------------------------------------------------------
  // Styles: a constructable stylesheet, which a strict style-src does not block (a <style> would be).

  const CSS = `
    :host { all: initial; }
    [hidden] { display: none !important; }
    *, *::before, *::after { box-sizing: border-box; }
    .root {
      --accent: var(--samenspel-accent, #0b5cad);
      --accent-ink: var(--samenspel-accent-ink, #ffffff);
      --ink: #1d2330; --muted: #4a5260; --line: #c9ced8; --danger: #b3261e;
      font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
      color: var(--ink);
    }
    button, textarea { font: inherit; color: inherit; }
    button { cursor: pointer; }
    /* Yellow with a dark edge: visible on white and on the accent colour alike. */
    :focus-visible { outline: 3px solid #f2a900; outline-offset: 0; box-shadow: 0 0 0 6px #1d2330; }
    .log:focus-visible { outline-offset: -3px; box-shadow: inset 0 0 0 6px #1d2330; }
    .sr-only {
      position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
      clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
    }
    .launcher {
      position: fixed; right: 1.25rem; bottom: 1.25rem; z-index: 2147483000;
      display: inline-flex; align-items: center; gap: .5rem; padding: .75rem 1.15rem;
      border: 2px solid transparent; border-radius: 999px; background: var(--accent); color: var(--accent-ink);
      font-weight: 600; box-shadow: 0 4px 14px rgba(0, 0, 0, .25);
    }
    .launcher svg { width: 1.3em; height: 1.3em; fill: currentColor; }
    .badge {
      min-width: 1.5em; padding: 0 .4em; border-radius: 999px; background: #c0262d; color: #fff;
      font-size: .8rem; line-height: 1.5em; text-align: center;
    }
    .badge:empty { display: none; }
    .panel {
      position: fixed; right: 1.25rem; bottom: 5.5rem; z-index: 2147483000;
      width: min(24rem, calc(100vw - 2.5rem)); height: min(38rem, calc(100vh - 7.5rem));
      display: flex; flex-direction: column; overflow: hidden;
      background: #fff; border: 1px solid var(--line); border-radius: 12px;
      box-shadow: 0 10px 34px rgba(0, 0, 0, .25);
    }
    .head { display: flex; align-items: flex-start; gap: .75rem; padding: .8rem 1rem; background: var(--accent); color: var(--accent-ink); }
    .head-text { flex: 1; min-width: 0; }
    .title { margin: 0; font-size: 1.05rem; font-weight: 700; }
    .status { margin: .15rem 0 0; font-size: .875rem; }
    .close {
      flex: none; width: 2.25rem; height: 2.25rem; padding: 0; border: 0; border-radius: 6px;
      background: transparent; color: inherit; font-size: 1.6rem; line-height: 1;
    }
    .close:hover { background: rgba(255, 255, 255, .18); }
    .conn { margin: 0; padding: .4rem 1rem; background: #fff4d6; border-bottom: 1px solid #e8d28c; font-size: .85rem; }
    .conn:empty { padding: 0; border: 0; }
    .log {
      flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .65rem;
      background: #f5f6f8;
    }
    .msg { max-width: 85%; align-self: flex-start; }
    .msg p, .msg ul { margin: 0; }
    .who { font-size: .8rem; font-weight: 600; color: var(--muted); margin-bottom: .15rem; }
    .text {
      padding: .55rem .8rem; border-radius: 12px; background: #fff; border: 1px solid #dde1e8;
      white-space: pre-wrap; overflow-wrap: anywhere;
    }
    .msg--customer { align-self: flex-end; }
    .msg--customer .text { background: var(--accent); color: var(--accent-ink); border-color: transparent; }
    .msg--agent .who { color: #0b6b3a; }
    .msg--agent .text { border-left: 4px solid #1a7f4b; }
    .msg--system { align-self: center; max-width: 92%; text-align: center; }
    .msg--system .text { background: transparent; border: 0; padding: .15rem .5rem; color: var(--muted); font-size: .85rem; font-style: italic; }
    .meta, .state { display: block; margin-top: .15rem; font-size: .72rem; color: var(--muted); }
    .msg--customer .meta, .msg--customer .state { text-align: right; }
    .msg[data-state="failed"] .state { color: var(--danger); font-weight: 600; }
    .msg[data-state="sending"] .text { opacity: .75; }
    .sources { padding: 0; list-style: none; margin-top: .3rem !important; font-size: .8rem; color: var(--muted); }
    .msg a { color: var(--accent); text-decoration: underline; text-underline-offset: 2px; }
    .msg a:hover { text-decoration-thickness: 2px; }
    .msg--agent .text a, .msg--assistant .text a { overflow-wrap: anywhere; }
    .quick { display: flex; flex-wrap: wrap; gap: .4rem; margin-top: .45rem; }
    .quick .secondary { text-align: left; }
    .thanks { margin: .35rem 0 0 !important; font-size: .8rem; font-weight: 600; color: #0b6b3a; }
    .link-button { margin-left: .4rem; padding: 0; border: 0; background: none; color: var(--accent); text-decoration: underline; font-size: inherit; }
    .actions { padding: .6rem 1rem 0; background: #fff; border-top: 1px solid #e3e6eb; }
    .secondary {
      padding: .35rem .95rem; border: 2px solid var(--accent); border-radius: 999px; background: #fff;
      color: var(--accent); font-weight: 600; font-size: .9rem;
    }
    .primary {
      padding: .55rem 1rem; border: 2px solid transparent; border-radius: 8px; background: var(--accent);
      color: var(--accent-ink); font-weight: 600;
    }
    .alert { margin: .5rem 1rem 0; color: var(--danger); font-size: .875rem; font-weight: 600; }
    .alert:empty { margin: 0; }
    .composer { display: flex; align-items: flex-end; gap: .5rem; padding: .6rem 1rem .4rem; background: #fff; }
    .composer textarea {
      flex: 1; min-width: 0; min-height: 2.7rem; max-height: 8.5rem; resize: none; padding: .55rem .7rem;
      border: 1px solid #8a93a3; border-radius: 8px; background: #fff;
    }
    .counter { margin: 0; padding: 0 1rem .5rem; font-size: .78rem; color: var(--muted); text-align: right; background: #fff; }
    .counter:empty { padding: 0 0 .4rem; }
    .counter.is-low { color: var(--danger); font-weight: 600; }
    .ended { padding: .8rem 1rem 1rem; background: #fff; border-top: 1px solid #e3e6eb; text-align: center; }
    .ended p { margin: 0 0 .6rem; }
    @media (max-width: 30rem), (max-height: 32rem) {
      .panel { inset: 0; width: auto; height: auto; border-radius: 0; border: 0; }
      .root.is-open .launcher { display: none; }
    }
    @media (forced-colors: active) {
      .launcher, .primary, .secondary, .text { border: 2px solid CanvasText; }
    }
  `;

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  /** Builds an element. Strings become text nodes: nothing is ever parsed as HTML. */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value == null || value === false) continue;
      if (key === "class") el.className = value;
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    el.append(...children.filter((child) => child != null && child !== false));
    return el;
  }

  function chatIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    svg.append(path);
    return svg;
  }

  /** A client_id the server accepts ([A-Za-z0-9_.:-], at most 64); randomUUID needs a secure context. */
  function newClientId() {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return `w-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }

  function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    return date.toLocaleTimeString(LANG === "nl" ? "nl-NL" : "en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  function errorText(error) {
    const code = error && error.code;
    if (code === "too_large") return T.errors.tooLarge;
    if (code === "invalid_transition") return T.status.closed;
    if (code === "rate_limited") return T.errors.slowDown;
    const detail = error && typeof error.message === "string" ? error.message : "";
    return detail ? `${T.errors.generic} (${detail})` : T.errors.generic;
  }

  /** An http(s) address as an absolute href, or null: javascript:, data: and the like never become links. */
  function safeHref(value) {
    if (typeof value !== "string" || !value.trim()) return null;
    let url;
    try {
      url = new URL(value.trim(), ORIGIN); // a bare path such as /kb/grofvuil is on the Samenspel server
    } catch {
      return null;
    }
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  }

  /** A link that opens in a new tab (so the chat stays where it is), and says so to screen readers. */
  function link(href, text) {
    return h(
      "a",
      { href, target: "_blank", rel: "noopener noreferrer" },
      text,
      h("span", { class: "sr-only" }, ` (${T.newTab})`),
    );
  }

  const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;

  /** Where an address in running text ends: closing punctuation and an unmatched ")" belong to the sentence. */
  function trimUrl(url) {
    while (url) {
      const last = url.slice(-1);
      const unmatched = last === ")" && url.split("(").length < url.split(")").length;
      if (!unmatched && !".,;:!?'\"»”’".includes(last)) break;
      url = url.slice(0, -1);
    }
    return url;
  }

  /** The text as text nodes, with each http(s) address in it a link; nothing is parsed as HTML. */
  function linkified(text) {
    const parts = [];
    let at = 0;
    for (const match of text.matchAll(URL_IN_TEXT)) {
      const written = trimUrl(match[0]);
      const href = safeHref(written);
      if (!href) continue;
      parts.push(text.slice(at, match.index), link(href, written));
      at = match.index + written.length;
    }
    parts.push(text.slice(at));
    return parts.filter((part) => part !== "");
  }

  /** Whether a line of the text names this source the way the assistant writes it: "Bron: <title> (<url>)".
   * Any one-word label, so that a reply translated into the customer's language matches too. */
  function namesSource(line, source) {
    const match = /^\s*\p{L}{2,20}:\s*(.+?)\s*$/u.exec(line);
    if (!match) return false;
    return match[1] === source.title || (Boolean(source.url) && match[1] === `${source.title} (${source.url})`);
  }

  // Storage can be switched off or full; the conversation then lives as long as the page.
  const store = {
    read() {
      try {
        const value = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
        return value && typeof value === "object" ? value : null;
      } catch {
        return null;
      }
    },
    write(value) {
      try {
        if (value) localStorage.setItem(STORE_KEY, JSON.stringify(value));
        else localStorage.removeItem(STORE_KEY);
      } catch {
        /* see above */
      }
    },
  };

  // ---------------------------------------------------------------------------------------------
  // State

  const state = {
    conv: null, // {id, token}
    status: null, // assistant | waiting | assigned | closed; null while there is no conversation
    agentName: null,
    language: null, // the conversation's language, for translations
    ended: false, // closed, or no longer available: the composer gives way to "start a new conversation"
    messages: new Map(), // message id -> element
    seqs: new Set(),
    // The highest seq up to which this page has every message. Not simply the highest seq: an ack can
    // overtake another message still on its way, and after_seq must not skip that one on a reconnect.
    syncedSeq: 0,
    seenSeq: 0, // lastSeq stored by the previous page: later messages from others count as unread
    outbox: new Map(), // client_id -> {client_id, text, request_person}
    settled: new Set(), // client_ids acked or refused here, so another tab's stale copy is not kept
    pending: new Map(), // client_id -> element shown as "sending"
    leftover: "", // text that could not be sent before the conversation ended; offered again
    // "This helped" per assistant message id -> {message_id, helpful, acked}; unacked ones go again on
    // every reconnect (the server keeps one per message), acked ones keep their thank-you after a reload.
    feedback: new Map(),
    quickOn: null, // the message element whose quick replies are shown (only ever the newest)
    open: false,
    unread: 0,
  };

  const net = {
    socket: null,
    ready: false,
    creating: false,
    retries: 0,
    connectedOnce: false,
    lostShown: false,
    feedbackSent: [], // message ids of feedback sent on this socket and not answered yet, in order
    timers: { retry: 0, ready: 0, ping: 0, pong: 0, lost: 0, restored: 0 },
  };

  function save() {
    const id = state.conv ? state.conv.id : null;
    const stored = store.read();
    const same = stored && (stored.id || null) === id;
    // Another tab of this site may have queued messages of its own: keep those.
    const theirs =
      same && Array.isArray(stored.outbox)
        ? stored.outbox.filter(
            (item) => item && !state.outbox.has(item.client_id) && !state.settled.has(item.client_id),
          )
        : [];
    const outbox = [...theirs, ...state.outbox.values()];
    const theirFeedback =
      same && Array.isArray(stored.feedback)
        ? stored.feedback.filter(
            (item) => item && typeof item.message_id === "string" && !state.feedback.has(item.message_id),
          )
        : [];
    const feedback = [...theirFeedback, ...state.feedback.values()].slice(-FEEDBACK_KEPT);
    if (!id && !outbox.length) {
      store.write(null);
      return;
    }
    store.write({
      id,
      token: state.conv ? state.conv.token : null,
      lastSeq: Math.max(state.syncedSeq, same ? Number(stored.lastSeq) || 0 : 0),
      status: state.status,
      outbox,
      feedback,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The interface

  const ui = {};

  function build() {
    const host = h("div", { id: "samenspel-chat", "data-samenspel": "chat" });
    const shadow = host.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in Document.prototype && typeof CSSStyleSheet.prototype.replaceSync === "function") {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.append(h("style", {}, CSS)); // older browsers; blocked by a strict CSP, but works elsewhere
    }

    ui.badge = h("span", { class: "badge", "aria-hidden": "true" });
    ui.unreadText = h("span", { class: "sr-only" });
    ui.launcher = h(
      "button",
      {
        type: "button",
        class: "launcher",
        "aria-expanded": "false",
        "aria-controls": "samenspel-panel",
        onclick: () => (state.open ? closePanel() : openPanel()),
      },
      chatIcon(),
      h("span", {}, T.launcher),
      ui.unreadText,
      ui.badge,
    );

    ui.status = h("p", { class: "status", role: "status" });
    ui.conn = h("p", { class: "conn", role: "status" });
    ui.log = h(
      "div",
      {
        class: "log",
        role: "log",
        "aria-live": "polite",
        "aria-relevant": "additions",
        "aria-labelledby": "samenspel-title",
        tabindex: "0", // so keyboard users can scroll back through the conversation
      },
      welcome(),
    );
    ui.person = h("button", { type: "button", class: "secondary", onclick: requestPerson }, T.person);
    ui.actions = h("div", { class: "actions" }, ui.person);
    ui.alert = h("p", { class: "alert", role: "alert" });
    ui.text = h("textarea", {
      id: "samenspel-text",
      rows: "1",
      maxlength: String(MAX_CHARS),
      placeholder: T.placeholder,
      "aria-describedby": "samenspel-hint samenspel-counter",
      autocomplete: "off",
      onkeydown: onTextKey,
      oninput: onTextInput,
    });
    ui.counter = h("p", { class: "counter", id: "samenspel-counter" });
    ui.form = h(
      "form",
      { class: "composer", onsubmit: onSubmit, novalidate: true },
      h("label", { class: "sr-only", for: "samenspel-text" }, T.label),
      h("span", { class: "sr-only", id: "samenspel-hint" }, T.hint),
      ui.text,
      h("button", { type: "submit", class: "primary" }, T.send),
    );
    ui.endedText = h("p", {}, T.ended);
    ui.newButton = h("button", { type: "button", class: "primary", onclick: startNewConversation }, T.newConversation);
    ui.ended = h("div", { class: "ended", hidden: true }, ui.endedText, ui.newButton);

    ui.panel = h(
      "div",
      {
        id: "samenspel-panel",
        class: "panel",
        role: "dialog",
        "aria-labelledby": "samenspel-title",
        hidden: true,
        onkeydown: (event) => {
          if (event.key === "Escape" && !event.isComposing) {
            event.preventDefault();
            closePanel();
          }
        },
      },
      h(
        "div",
        { class: "head" },
        h("div", { class: "head-text" }, h("h2", { class: "title", id: "samenspel-title" }, T.title), ui.status),
        h("button", { type: "button", class: "close", "aria-label": T.close, onclick: closePanel }, "×"),
      ),
      ui.conn,
      ui.log,
      ui.actions,
      ui.alert,
      ui.form,
      ui.counter,
      ui.ended,
    );

    ui.root = h("div", { class: "root", lang: LANG }, ui.launcher, ui.panel);
    shadow.append(ui.root);
    document.body.append(host);
    showStatus();
  }

  function welcome() {
    return h(
      "div",
      { class: "msg msg--assistant", "data-author": "assistant", "data-seq": "0" },
      h("p", { class: "who" }, T.assistant, h("span", { class: "sr-only" }, ":")),
      h("p", { class: "text" }, T.welcome),
    );
  }

  function openPanel({ focus = true } = {}) {
    state.open = true;
    ui.panel.hidden = false;
    ui.root.classList.add("is-open");
    ui.launcher.setAttribute("aria-expanded", "true");
    state.unread = 0;
    showUnread();
    scrollToEnd();
    if (focus) (state.ended ? ui.newButton : ui.text).focus();
  }

  function closePanel() {
    state.open = false;
    ui.panel.hidden = true;
    ui.root.classList.remove("is-open");
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
  }

  function showUnread() {
    ui.badge.textContent = state.unread ? String(state.unread) : "";
    ui.unreadText.textContent = state.unread ? ` (${T.unread(state.unread)})` : "";
  }

  function showStatus() {
    const status = state.status || "assistant";
    const text =
      status === "assigned" && state.agentName
        ? T.status.assigned(state.agentName)
        : status === "assigned"
          ? T.status.waiting
          : T.status[status] || T.status.assistant;
    // role="status": a screen reader announces the change (moved to a person, agent joined, closed).
    if (ui.status.textContent !== text) ui.status.textContent = text;
    showQuickReplies();
    const personAllowed = status === "assistant" && !state.ended;
    const personQueued = [...state.outbox.values()].some((item) => item.request_person);
    // A "talk to a person" quick reply right above would make this one a second button saying the same.
    const personOffered = Boolean(state.quickOn) && quickOf.get(state.quickOn).some((q) => q.id === "person");
    setHidden(ui.actions, !personAllowed || personQueued || personOffered);
  }

  /** Hides an element; focus inside it moves to the text box so keyboard users are not stranded. */
  function setHidden(el, hidden) {
    const focused = ui.root.getRootNode().activeElement;
    el.hidden = hidden;
    if (hidden && focused && el.contains(focused)) (state.ended ? ui.newButton : ui.text).focus();
  }

  function showAlert(text) {
    ui.alert.textContent = text || "";
  }

  function showConnection(text) {
    clearTimeout(net.timers.restored);
    ui.conn.textContent = text || "";
  }

  function nearBottom() {
    return ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 80;
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // ---------------------------------------------------------------------------------------------
  // Messages in the transcript

  function whoIs(message) {
    if (message.author === "assistant") return T.assistant;
    if (message.author === "agent") return message.author_name || T.agent;
    if (message.author === "customer") return T.you;
    return T.notice;
  }

  /** The text in the customer's language where the server has a translation (agents may write in theirs). */
  function displayText(message) {
    const translations = message.translations || {};
    if (message.author !== "customer" && message.language && message.language !== LANG) {
      const translated = translations[LANG] || (state.language && translations[state.language]);
      if (typeof translated === "string" && translated) return translated;
    }
    return String(message.text ?? "");
  }

  /** content: a string, or text and link nodes. */
  function messageElement(author, who, content) {
    // Others' names are shown; "You" and "Notice" only for screen readers, who need to know who speaks.
    const named = author === "assistant" || author === "agent";
    return h(
      "div",
      { class: `msg msg--${author}`, "data-author": author },
      h("p", { class: named ? "who" : "sr-only" }, who, h("span", { class: "sr-only" }, ":")),
      h("p", { class: "text" }, ...(Array.isArray(content) ? content : [content])),
    );
  }

  function sourcesOf(message) {
    if (message.author !== "assistant" || !Array.isArray(message.sources)) return [];
    const seen = new Set();
    return message.sources.filter((source) => {
      if (!source || typeof source.title !== "string" || !source.title || seen.has(source.id)) return false;
      seen.add(source.id);
      return true;
    });
  }

  /** The assistant's buttons, with labels to show: the server's, or ours where it sent none. */
  function quickRepliesOf(message) {
    if (message.author !== "assistant" || !Array.isArray(message.quick_replies)) return [];
    const replies = [];
    for (const reply of message.quick_replies) {
      if (!reply || !QUICK_KINDS.has(reply.id)) continue;
      const label = typeof reply.label === "string" ? reply.label.trim() : "";
      const text = typeof reply.text === "string" && reply.text.trim() ? reply.text.trim() : label;
      if (reply.id === "choice" && !text) continue;
      const fallback = reply.id === "helped" ? T.helped : reply.id === "person" ? T.person : text;
      replies.push({ id: reply.id, label: label || fallback, text });
    }
    return replies;
  }

  // Message element -> its quick replies; they are put on screen only while it is the newest message.
  const quickOf = new WeakMap();

  function renderMessage(message) {
    const quick = quickRepliesOf(message);
    // A clarifying question ("about A or about B?") offers its articles as choices: they are options,
    // not the source of an answer.
    const sources = quick.some((reply) => reply.id === "choice") ? [] : sourcesOf(message);
    let text = displayText(message);
    if (sources.length) {
      // The text names its source on a line of its own; the link under the message says it once.
      const lines = text.split("\n");
      const kept = lines.filter((line) => !sources.some((source) => namesSource(line, source)));
      if (kept.length < lines.length) text = kept.join("\n").replace(/\n{3,}/g, "\n\n").trim();
    }
    // What the customer typed stays exactly as typed; others' addresses become links.
    const content = message.author === "customer" ? text : linkified(text);
    const el = messageElement(message.author, whoIs(message), content);
    if (sources.length) {
      el.append(
        h(
          "ul",
          { class: "sources" },
          ...sources.map((source) => {
            const href = safeHref(source.url);
            return h("li", {}, `${T.source}: `, href ? link(href, source.title) : source.title);
          }),
        ),
      );
    }
    addTime(el, message);
    if (quick.length) quickOf.set(el, quick);
    if (state.feedback.has(message.id)) el.append(thanks());
    return el;
  }

  function thanks() {
    // Added inside the log, whose aria-live="polite" announces it.
    return h("p", { class: "thanks" }, T.thanks);
  }

  /** Quick replies go with the newest message only, and only while the assistant is the one answering:
   * once the customer writes again, or someone else speaks, they are gone. */
  function showQuickReplies() {
    const newest = ui.log.lastElementChild;
    const offer =
      newest &&
      quickOf.has(newest) &&
      (state.status || "assistant") === "assistant" &&
      !state.ended &&
      !state.feedback.has(newest.dataset.id);
    const wanted = offer ? newest : null;
    if (state.quickOn === wanted) return;
    if (state.quickOn) removeKeepingFocus(state.quickOn.querySelector(".quick"));
    state.quickOn = wanted;
    if (!wanted) return;
    wanted.append(
      h(
        "div",
        { class: "quick", role: "group", "aria-label": T.replies },
        ...quickOf.get(wanted).map((reply) =>
          h("button", { type: "button", class: "secondary", onclick: () => onQuickReply(wanted, reply) }, reply.label),
        ),
      ),
    );
  }

  /** Removes an element; focus inside it moves to the text box so keyboard users are not stranded. */
  function removeKeepingFocus(el) {
    if (!el) return;
    const focused = ui.root.getRootNode().activeElement;
    const hadFocus = focused && el.contains(focused);
    el.remove();
    if (hadFocus) (state.ended ? ui.newButton : ui.text).focus();
  }

  function onQuickReply(el, reply) {
    if (state.ended || el !== state.quickOn) return;
    showAlert("");
    if (reply.id === "helped") giveFeedback(el);
    else if (reply.id === "person") requestPerson();
    else {
      queue({ client_id: newClientId(), text: reply.text, request_person: false });
      ui.text.focus();
    }
  }

  function addTime(el, message) {
    if (message.author === "system") return; // notices are about the moment itself; no clutter
    const time = formatTime(message.created_at);
    if (time) el.append(h("time", { class: "meta", datetime: message.created_at }, time));
  }

  /** Places a message by seq: after every earlier one, before later ones and before unsent messages. */
  function place(el, seq) {
    let before = null;
    for (const child of ui.log.children) {
      if (child === el) continue;
      const childSeq = child.dataset.seq;
      if (childSeq === undefined || Number(childSeq) > seq) {
        before = child;
        break;
      }
    }
    if (el.parentNode === ui.log && el.nextElementSibling === before) return; // moving would re-announce it
    ui.log.insertBefore(el, before);
  }

  function addMessage(message) {
    if (!message || typeof message.id !== "string" || !Number.isInteger(message.seq)) return;
    if (message.client_id && state.outbox.has(message.client_id)) settle(message.client_id);
    if (state.messages.has(message.id)) return; // every message is shown once, however often it arrives
    if (!AUTHORS.has(message.author)) message = { ...message, author: "system" };

    const stick = nearBottom() || message.author === "customer";
    let el = message.client_id ? state.pending.get(message.client_id) : null;
    if (el) {
      // Our own message, shown as "sending" until now: it becomes the stored one in place.
      state.pending.delete(message.client_id);
      el.removeAttribute("data-state");
      el.querySelector(".state")?.remove();
      addTime(el, message);
    } else {
      el = renderMessage(message);
    }
    el.dataset.id = message.id;
    el.dataset.seq = String(message.seq);
    state.messages.set(message.id, el);
    place(el, message.seq);

    state.seqs.add(message.seq);
    while (state.seqs.has(state.syncedSeq + 1)) state.syncedSeq += 1;
    if (!state.open && message.author !== "customer" && message.seq > state.seenSeq) {
      state.unread += 1;
      showUnread();
    }
    showStatus(); // the quick replies follow the newest message
    if (stick) scrollToEnd();
  }

  function showPending(item) {
    const el = messageElement("customer", T.you, item.text);
    el.dataset.state = "sending";
    el.append(h("span", { class: "state" }, T.sending));
    state.pending.set(item.client_id, el);
    ui.log.append(el);
    showStatus();
    scrollToEnd();
  }

  /** The server has the message: out of the outbox for good. */
  function settle(clientId) {
    state.outbox.delete(clientId);
    state.settled.add(clientId);
    save();
    showStatus();
  }

  /** The message will not be delivered: say so at the message; retrying is offered where it may help. */
  function fail(clientId, error, { retry = false } = {}) {
    const item = state.outbox.get(clientId);
    settle(clientId);
    const el = state.pending.get(clientId);
    if (!el) return;
    el.dataset.state = "failed";
    const mark = el.querySelector(".state");
    mark.textContent = error ? `${T.failed}: ${error}` : T.failed;
    if (retry && item) {
      mark.append(
        h(
          "button",
          {
            type: "button",
            class: "link-button",
            onclick: () => {
              state.pending.delete(clientId);
              el.remove();
              queue({ ...item, client_id: newClientId() });
            },
          },
          T.retry,
        ),
      );
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sending

  function queue(item) {
    state.outbox.set(item.client_id, item);
    save();
    showPending(item);
    showStatus();
    if (net.ready) sendItem(item);
    else connect();
  }

  function sendItem(item) {
    const frame = { type: "message", text: item.text, client_id: item.client_id };
    if (item.request_person) frame.request_person = true;
    send(frame);
  }

  function onSubmit(event) {
    event.preventDefault();
    if (state.ended) return;
    // Outer blank lines go; the ones inside the message stay.
    const text = ui.text.value.replace(/^\s*\n/, "").trimEnd();
    if (!text.trim()) {
      ui.text.focus();
      return;
    }
    showAlert("");
    queue({ client_id: newClientId(), text, request_person: false });
    ui.text.value = "";
    onTextInput();
    ui.text.focus();
  }

  function requestPerson() {
    if (state.ended) return;
    showAlert("");
    queue({ client_id: newClientId(), text: T.personText, request_person: true });
    ui.text.focus();
  }

  /** "This helped": thanked at once; the feedback waits for the connection like a message does. */
  function giveFeedback(el) {
    const messageId = el.dataset.id;
    if (!messageId || state.feedback.has(messageId)) return;
    const item = { message_id: messageId, helpful: true, acked: false };
    state.feedback.set(messageId, item);
    save();
    el.append(thanks());
    showStatus(); // takes the quick replies away (and the focus from them to the text box)
    if (net.ready) sendFeedback(item);
    else connect();
  }

  function sendFeedback(item) {
    if (!net.ready) return;
    net.feedbackSent.push(item.message_id);
    send({ type: "feedback", message_id: item.message_id, helpful: item.helpful });
  }

  function onFeedbackAck(frame) {
    const item = state.feedback.get(frame.message_id);
    net.feedbackSent = net.feedbackSent.filter((id) => id !== frame.message_id);
    if (!item) return;
    item.acked = true;
    save();
  }

  function onTextKey(event) {
    // Enter sends, Shift+Enter is a new line; not while an input method is composing a character.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      ui.form.requestSubmit();
    }
  }

  function onTextInput() {
    const left = MAX_CHARS - ui.text.value.length;
    ui.counter.textContent = left <= COUNTER_FROM ? T.left(Math.max(0, left)) : "";
    ui.counter.classList.toggle("is-low", left <= 50);
    // Grow with the text up to max-height (CSSOM: allowed under a strict CSP).
    ui.text.style.height = "auto";
    ui.text.style.height = `${ui.text.scrollHeight + 2}px`;
  }

  // ---------------------------------------------------------------------------------------------
  // The end of a conversation

  function endConversation(text) {
    state.ended = true;
    disconnect();
    clearTimeout(net.timers.retry);
    // Whatever was still waiting to go cannot be delivered any more; give its text back later.
    const unsent = [...state.outbox.values()].filter((item) => !item.request_person).map((item) => item.text);
    if (unsent.length) state.leftover = unsent.join("\n\n");
    for (const clientId of [...state.outbox.keys()]) fail(clientId);
    showConnection("");
    ui.endedText.textContent = text;
    const hadFocus = ui.panel.contains(ui.root.getRootNode().activeElement);
    ui.form.hidden = true;
    ui.counter.hidden = true;
    ui.ended.hidden = false;
    showStatus();
    if (hadFocus) ui.newButton.focus();
    save();
  }

  function startNewConversation() {
    resetConversation();
    save();
    ui.text.value = state.leftover;
    state.leftover = "";
    onTextInput();
    ui.text.focus();
  }

  /** Forgets the conversation on this page (not on the server) and empties the transcript. */
  function resetConversation() {
    disconnect();
    clearTimeout(net.timers.retry);
    net.timers.retry = 0;
    net.retries = 0;
    Object.assign(state, {
      conv: null,
      status: null,
      agentName: null,
      language: null,
      ended: false,
      syncedSeq: 0,
      seenSeq: 0,
      unread: 0,
    });
    state.messages.clear();
    state.seqs.clear();
    state.outbox.clear();
    state.pending.clear();
    state.feedback.clear();
    state.quickOn = null;
    ui.log.replaceChildren(welcome());
    ui.form.hidden = false;
    ui.counter.hidden = false;
    ui.ended.hidden = true;
    showAlert("");
    showConnection("");
    showUnread();
    showStatus();
  }

  // ---------------------------------------------------------------------------------------------
  // The connection

  function send(frame) {
    if (net.socket && net.socket.readyState === WebSocket.OPEN) net.socket.send(JSON.stringify(frame));
  }

  function connect() {
    clearTimeout(net.timers.retry);
    net.timers.retry = 0;
    if (net.socket || net.creating || state.ended) return;
    if (!state.conv && !state.outbox.size) return; // nothing to talk about yet: no conversation is made
    if (navigator.onLine === false) {
      connectionLost(true); // the browser's online event brings us back
      return;
    }
    if (!state.conv) createConversation();
    else openSocket();
  }

  async function createConversation() {
    net.creating = true;
    let response;
    let body = null;
    try {
      response = await fetch(`${API}/conversations`, {
        method: "POST",
        mode: "cors",
        credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ channel: "webchat", customer: { language: LANG } }),
      });
      body = await response.json().catch(() => null);
    } catch {
      response = null; // offline, or the server is away: try again later
    } finally {
      net.creating = false;
    }
    if (state.conv || state.ended) return;
    if (response && response.ok && body && body.id && body.token) {
      state.conv = { id: body.id, token: body.token };
      state.status = body.status || "assistant";
      save();
      connect();
    } else if (response && response.status < 500 && response.status !== 429) {
      // Refused for good: say so; the typed text goes back into the text box.
      const unsent = [...state.outbox.values()].filter((item) => !item.request_person).map((item) => item.text);
      for (const clientId of [...state.outbox.keys()]) fail(clientId);
      showAlert(`${T.errors.start} ${errorText(body && body.error)}`);
      if (unsent.length && !ui.text.value) {
        ui.text.value = unsent.join("\n\n");
        onTextInput();
      }
    } else {
      connectionLost(false);
      scheduleReconnect();
    }
  }

  function openSocket() {
    let socket;
    try {
      socket = new WebSocket(WS_URL);
    } catch {
      // Refused by the browser itself (e.g. ws: from an https page): retrying later is all we can do.
      connectionLost(false);
      scheduleReconnect();
      return;
    }
    net.socket = socket;
    net.ready = false;
    const { id, token } = state.conv;
    // A fresh page has nothing yet and asks for everything, which brings the history back after a reload.
    const afterSeq = state.syncedSeq;
    net.timers.ready = setTimeout(lose, READY_WITHIN_MS);
    socket.addEventListener("open", () => {
      if (net.socket === socket) send({ type: "hello", conversation_id: id, token, after_seq: afterSeq });
    });
    socket.addEventListener("message", (event) => {
      if (net.socket !== socket) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame && typeof frame === "object") onFrame(frame);
    });
    socket.addEventListener("close", (event) => {
      if (net.socket === socket) onClosed(event.code);
    });
  }

  /** Stops listening to the socket and closes it; nothing from it is handled any more. */
  function disconnect() {
    const socket = net.socket;
    net.socket = null;
    net.ready = false;
    net.feedbackSent = [];
    for (const name of ["ready", "pong", "lost"]) clearTimeout(net.timers[name]);
    clearInterval(net.timers.ping);
    if (socket) {
      try {
        socket.close(1000);
      } catch {
        /* already closing */
      }
    }
  }

  /** The connection is (or may be) dead: give it up and start over. */
  function lose() {
    disconnect();
    connectionLost(false);
    scheduleReconnect();
  }

  function onClosed(code) {
    disconnect();
    if (GONE_CODES.has(code)) {
      // The stored conversation can no longer be used (erased, or its token is wrong).
      if (!state.messages.size && !state.outbox.size) {
        // Nothing of it is on the screen: quietly start afresh, as if it never was.
        resetConversation();
        save();
        return;
      }
      state.conv = null;
      endConversation(T.gone);
      ui.status.textContent = T.gone;
      return;
    }
    // 1012: the server asks us to come back and catch up; do so quickly (with jitter, see below).
    if (code === 1012) net.retries = 0;
    connectionLost(false);
    scheduleReconnect();
  }

  function scheduleReconnect() {
    if (net.timers.retry || state.ended) return;
    const base = BACKOFF_MS[Math.min(net.retries, BACKOFF_MS.length - 1)];
    net.retries += 1;
    // Random spread, so that widgets on many pages do not all come back at the same moment.
    net.timers.retry = setTimeout(connect, base / 2 + Math.random() * (base / 2));
  }

  /** Announces a lost connection, at once or only if it is not back within a moment. */
  function connectionLost(now) {
    if (!net.connectedOnce && !state.conv && !state.outbox.size) return; // nothing to miss yet
    if (net.lostShown || net.timers.lost) {
      if (now && !net.lostShown) showLost();
      return;
    }
    if (now) showLost();
    else net.timers.lost = setTimeout(showLost, LOST_GRACE_MS);
  }

  function showLost() {
    clearTimeout(net.timers.lost);
    net.timers.lost = 0;
    if (net.ready || state.ended) return;
    net.lostShown = true;
    showConnection(T.lost);
  }

  function connectionBack() {
    clearTimeout(net.timers.lost);
    net.timers.lost = 0;
    if (!net.lostShown) return;
    net.lostShown = false;
    showConnection(T.restored);
    net.timers.restored = setTimeout(() => showConnection(""), 5000);
  }

  function onFrame(frame) {
    // Any frame shows the connection is alive.
    clearTimeout(net.timers.pong);
    net.timers.pong = 0;
    switch (frame.type) {
      case "ready":
        onReady(frame);
        break;
      case "ack":
        if (frame.message) addMessage(frame.message);
        if (frame.client_id && state.outbox.has(frame.client_id)) settle(frame.client_id);
        break;
      case "message":
        addMessage(frame.message);
        break;
      case "status":
        onStatus(frame.status, frame.agent);
        break;
      case "feedback_ack":
        onFeedbackAck(frame);
        break;
      case "error":
        onError(frame);
        break;
      default: // pong, and frame types added later
    }
  }

  function onReady(frame) {
    clearTimeout(net.timers.ready);
    net.ready = true;
    net.retries = 0;
    net.connectedOnce = true;
    connectionBack();
    const conversation = frame.conversation || {};
    state.language = conversation.language || state.language;
    const messages = Array.isArray(frame.messages) ? [...frame.messages] : [];
    messages.sort((a, b) => a.seq - b.seq);
    for (const message of messages) addMessage(message);
    // The server sent everything up to here; a seq missing below it is not meant for the customer.
    const highest = messages.reduce((max, m) => (Number.isInteger(m.seq) ? Math.max(max, m.seq) : max), 0);
    state.syncedSeq = Math.max(state.syncedSeq, highest);
    save();
    onStatus(conversation.status, conversation.agent);
    if (state.ended) return;
    // Whatever is still unacknowledged goes again, with the same client_id: the server keeps it once.
    for (const item of state.outbox.values()) sendItem(item);
    for (const item of state.feedback.values()) if (!item.acked) sendFeedback(item);
    clearInterval(net.timers.ping);
    net.timers.ping = setInterval(() => {
      send({ type: "ping" });
      if (!net.timers.pong) net.timers.pong = setTimeout(lose, PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  function onStatus(status, agent) {
    if (!status) return;
    state.status = status;
    state.agentName = agent && agent.name ? String(agent.name) : null;
    save();
    if (status === "closed") endConversation(T.ended);
    else showStatus();
  }

  function onError(frame) {
    const error = frame.error || {};
    if (error.code === "invalid_transition") {
      // Only a closed conversation refuses the customer's messages.
      onStatus("closed", null);
      return;
    }
    if (!frame.client_id && net.feedbackSent.length) {
      // The server answers a socket's frames in order, and only feedback is refused without a client_id.
      // Sending it again would be refused again; the customer has been thanked, and has nothing to fix.
      const item = state.feedback.get(net.feedbackSent.shift());
      if (item) item.acked = true;
      save();
      return;
    }
    const text = errorText(error);
    if (frame.client_id && state.outbox.has(frame.client_id)) {
      const hopeless = ["invalid_input", "too_large"].includes(error.code);
      fail(frame.client_id, "", { retry: !hopeless });
    }
    showAlert(text);
  }

  // ---------------------------------------------------------------------------------------------
  // Start

  function adopt(saved) {
    if (saved.id && saved.token) {
      state.conv = { id: String(saved.id), token: String(saved.token) };
      state.status = saved.status || null;
      state.seenSeq = Number(saved.lastSeq) || 0;
    }
    for (const item of Array.isArray(saved.outbox) ? saved.outbox : []) {
      if (item && typeof item.client_id === "string" && typeof item.text === "string" && !state.outbox.has(item.client_id)) {
        state.outbox.set(item.client_id, {
          client_id: item.client_id,
          text: item.text,
          request_person: Boolean(item.request_person),
        });
        showPending(item);
      }
    }
    if (state.conv) {
      for (const item of Array.isArray(saved.feedback) ? saved.feedback : []) {
        if (item && typeof item.message_id === "string" && !state.feedback.has(item.message_id)) {
          state.feedback.set(item.message_id, {
            message_id: item.message_id,
            helpful: item.helpful !== false,
            acked: Boolean(item.acked),
          });
        }
      }
    }
    showStatus();
  }

  function start() {
    build();
    const saved = store.read();
    if (saved) adopt(saved);
    connect();
    if (script.hasAttribute("data-open") && script.dataset.open !== "false") {
      // Opened by the page, not by the customer: focus stays where the customer is.
      openPanel({ focus: false });
    }

    window.addEventListener("offline", () => {
      // Chromium keeps a socket open while offline, silently holding its frames: give it up now.
      if (net.socket) lose();
      connectionLost(true);
    });
    window.addEventListener("online", () => {
      net.retries = 0;
      connect();
    });
    document.addEventListener("visibilitychange", () => {
      // Timers in hidden tabs are slowed down; catch up as soon as the customer looks again.
      if (document.visibilityState === "visible" && !net.socket) connect();
    });
    window.addEventListener("storage", (event) => {
      // Another tab of this site started a new conversation: follow it.
      if (event.key !== STORE_KEY || !event.newValue) return;
      const saved = store.read();
      if (!saved || !saved.id || (state.conv && state.conv.id === saved.id)) return;
      resetConversation();
      adopt(saved);
      connect();
    });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
})();

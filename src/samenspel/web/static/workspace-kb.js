// The knowledge-base editor's live parts: the Markdown preview and the plain-language (B1) check follow the
// text as it is typed, through POST /workspace/kb/check. The editor works without this file (its Preview
// button asks the server for the same); this only adds to it. The HTML it shows is made by the server (the
// article's Markdown rendered safely, the check's markup escaped) and parsed inert before it is adopted.
(function () {
  "use strict";

  const form = document.getElementById("kb-editor");
  const body = document.getElementById("kb-body");
  const language = document.getElementById("kb-language");
  const preview = document.getElementById("kb-preview-body");
  const check = document.getElementById("kb-check-body");
  const status = document.getElementById("kb-live-status");
  const problem = document.getElementById("kb-check-error");
  if (!form || !body || !preview || !check) return;

  const dataElement = document.getElementById("ws-data");
  const texts = dataElement ? JSON.parse(dataElement.textContent).texts || {} : {};
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";
  const DELAY = 350;

  function t(key) {
    return texts[key] || key;
  }

  // The first field that needs correcting gets the focus, so the error is read out where it is.
  const invalid = form.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();

  let timer = null;
  let controller = null;
  let lastSent = "";
  let checkedText = null;
  let lastSummary = "";

  function say(text) {
    if (status) status.textContent = text;
  }

  // Failures are said and also shown: the preview next to the text is out of date until the next try.
  function fail(text) {
    say(text);
    if (problem) {
      problem.textContent = text;
      problem.hidden = false;
    }
  }

  function adopt(target, html) {
    const doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
    const wrapper = doc.body.firstElementChild;
    target.replaceChildren.apply(target, Array.from(wrapper ? wrapper.childNodes : []).map(function (node) {
      return document.adoptNode(node);
    }));
  }

  function showLocateButtons() {
    for (const button of check.querySelectorAll(".kb-locate")) button.hidden = checkedText !== body.value;
  }

  async function refresh() {
    timer = null;
    const text = body.value;
    const lang = language ? language.value : "";
    const payload = JSON.stringify({ body: text, language: lang });
    if (payload === lastSent) return;
    lastSent = payload;
    if (controller) controller.abort();
    controller = new AbortController();
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch("/workspace/kb/check", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
        body: payload,
        signal: controller.signal,
      });
      if (!response.ok) {
        lastSent = "";
        fail(t(response.status === 401 ? "kb.check.expired" : "kb.check.failed"));
        return;
      }
      const result = await response.json();
      if (problem) problem.hidden = true;
      if (result.preview_html) {
        adopt(preview, result.preview_html);
      } else {
        const hint = document.createElement("p");
        hint.className = "hint";
        hint.textContent = t("kb.edit.preview_empty");
        preview.replaceChildren(hint);
      }
      preview.lang = result.language || lang;
      body.lang = result.language || lang;
      adopt(check, result.check_html || "");
      checkedText = text;
      showLocateButtons();
      // Said once when the verdict changes, not at every key.
      const summary = result.summary || "";
      if (summary !== lastSummary) {
        lastSummary = summary;
        say(summary ? t("kb.check.updated") + " " + summary : "");
      }
    } catch (err) {
      if (err.name !== "AbortError") {
        lastSent = "";
        fail(t("kb.check.failed"));
      }
    } finally {
      form.removeAttribute("aria-busy");
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY);
    // Until the check catches up, its places in the text may be off.
    for (const button of check.querySelectorAll(".kb-locate")) button.hidden = true;
  }

  body.addEventListener("input", schedule);
  if (language) {
    language.addEventListener("input", schedule);
    language.addEventListener("change", schedule);
  }

  // "Show in text": selects the words a remark is about, in the textarea, and brings them into view.
  check.addEventListener("click", function (event) {
    const button = event.target.closest(".kb-locate");
    if (!button || checkedText !== body.value) return;
    const start = Number(button.dataset.start);
    const end = Number(button.dataset.end);
    body.focus();
    body.setSelectionRange(start, end);
    // Bring the selection into view, roughly: by the share of lines before it (long lines wrap).
    const before = body.value.slice(0, start).split("\n").length - 1;
    const lines = Math.max(1, body.value.split("\n").length);
    body.scrollTop = Math.max(0, (before / lines) * body.scrollHeight - body.clientHeight / 3);
  });

  refresh();
})();

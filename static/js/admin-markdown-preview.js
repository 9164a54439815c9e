/*
 * Rendered preview of the Markdown fields in the admin's change forms.
 *
 * Each <textarea data-markdown-preview="URL"> gets a box below it showing the HTML the public
 * page will show. The text is POSTed (with the form's CSRF token) to the staff-only endpoint at
 * URL, which renders it with the site's own pipeline (Markdown, then sanitised by nh3), so the
 * preview is exactly what visitors will see. It refreshes shortly after the editor stops typing.
 *
 * Loaded from a file through ModelAdmin.Media, never inline, so it runs under the site's strict
 * Content Security Policy (script-src 'self'). Without JavaScript the form works as before.
 */
(function () {
  "use strict";

  var DELAY_MS = 400;
  var SELECTOR = "textarea[data-markdown-preview]";
  var timers = new WeakMap();
  var latest = new WeakMap();

  function inTemplateRow(textarea) {
    // The empty row an inline formset clones when "Add another" is clicked.
    return textarea.closest(".empty-form") !== null || textarea.name.indexOf("__prefix__") !== -1;
  }

  function csrfToken(textarea) {
    var scope = textarea.form || document;
    var input = scope.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function previewBox(textarea) {
    var id = textarea.id + "-markdown-preview";
    var box = document.getElementById(id);
    if (box) {
      return box;
    }
    box = document.createElement("div");
    box.id = id;
    box.className = "markdown-preview";
    var label = document.createElement("p");
    label.className = "markdown-preview__label";
    label.textContent = "Preview, as the page will show it";
    var body = document.createElement("div");
    body.className = "markdown-preview__body";
    box.appendChild(label);
    box.appendChild(body);
    var anchor = textarea.closest(".flex-container") || textarea;
    anchor.insertAdjacentElement("afterend", box);
    textarea.setAttribute("aria-describedby", ((textarea.getAttribute("aria-describedby") || "") + " " + id).trim());
    return box;
  }

  function show(box, html, failed) {
    var body = box.querySelector(".markdown-preview__body");
    box.classList.toggle("markdown-preview--error", Boolean(failed));
    if (failed || !html) {
      body.textContent = failed || "Nothing to preview yet.";
    } else {
      body.innerHTML = html; // Sanitised by the server (nh3), and the CSP forbids inline script.
    }
  }

  function refresh(textarea) {
    var box = previewBox(textarea);
    var request = (latest.get(textarea) || 0) + 1;
    latest.set(textarea, request);
    if (!textarea.value.trim()) {
      show(box, "");
      return;
    }
    fetch(textarea.dataset.markdownPreview, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": csrfToken(textarea),
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        "Accept": "application/json"
      },
      body: new URLSearchParams({ text: textarea.value })
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        }, function () {
          return { ok: false, data: { error: "The preview is unavailable (" + response.status + ")." } };
        });
      })
      .then(function (result) {
        if (latest.get(textarea) !== request) {
          return; // A newer preview is on its way.
        }
        show(box, result.data.html, result.ok ? "" : result.data.error || "The preview is unavailable.");
      })
      .catch(function () {
        if (latest.get(textarea) === request) {
          show(box, "", "The preview is unavailable (no connection).");
        }
      });
  }

  function schedule(textarea) {
    clearTimeout(timers.get(textarea));
    timers.set(textarea, setTimeout(function () { refresh(textarea); }, DELAY_MS));
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.matches && target.matches(SELECTOR) && !inTemplateRow(target)) {
      schedule(target);
    }
  });

  function start() {
    document.querySelectorAll(SELECTOR).forEach(function (textarea) {
      if (!inTemplateRow(textarea) && textarea.value.trim()) {
        refresh(textarea);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

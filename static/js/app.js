/*
 * Knowhow: progressive enhancement only.
 *
 * Every page works without this file. It adds: drafts kept in the browser,
 * a live Markdown preview, tag suggestions, confirmations before destructive
 * actions, relative times that stay current, and focus on the error summary
 * (or, on pages without one, on the first invalid field).
 * No libraries, no inline scripts or styles (the CSP forbids both).
 */
(function () {
  "use strict";

  var DRAFT_PREFIX = "knowhow-draft:";

  /** Return a function that runs fn once calls have stopped for `wait` ms. */
  function debounce(fn, wait) {
    var timer = null;
    var lastArgs = null;
    function debounced() {
      lastArgs = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () {
        timer = null;
        fn.apply(null, lastArgs);
      }, wait);
    }
    debounced.flush = function () {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
        fn.apply(null, lastArgs);
      }
    };
    return debounced;
  }

  /** Return the content of a <meta name=...>, or an empty string. */
  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") || "" : "";
  }

  /** Return localStorage, or null where the browser blocks it. */
  function storage() {
    try {
      var s = window.localStorage;
      var probe = DRAFT_PREFIX + "probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (err) {
      return null;
    }
  }

  /* a. Drafts ------------------------------------------------------------- */

  /** Drop every saved field of the drafts the server says were sent. */
  function clearSentDrafts(store) {
    var keys = meta("clear-drafts").split(/\s+/).filter(Boolean);
    if (!keys.length) {
      return;
    }
    var doomed = [];
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (!name) {
        continue;
      }
      for (var k = 0; k < keys.length; k++) {
        if (name.indexOf(DRAFT_PREFIX + keys[k] + ":") === 0) {
          doomed.push(name);
        }
      }
    }
    doomed.forEach(function (name) {
      store.removeItem(name);
    });
  }

  /** Return the draft status line for a field's form, if it has one. */
  function draftStatus(field) {
    var form = field.form || field.closest("form");
    return form ? form.querySelector("[data-draft-status]") : null;
  }

  /** Show a short message in a status line, without repeating it for screen readers. */
  function setStatus(el, text) {
    if (el && el.textContent !== text) {
      el.textContent = text;
    }
  }

  /** Save and restore every field marked with data-draft. */
  function initDrafts() {
    var fields = document.querySelectorAll("[data-draft]");
    var store = storage();
    if (!store) {
      return;
    }
    clearSentDrafts(store);
    var pending = [];

    Array.prototype.forEach.call(fields, function (field) {
      if (!field.name) {
        return;
      }
      var key = DRAFT_PREFIX + field.getAttribute("data-draft") + ":" + field.name;
      var status = draftStatus(field);

      // Server-rendered values win: only fill a field that is empty.
      var saved = null;
      try {
        saved = store.getItem(key);
      } catch (err) {
        saved = null;
      }
      if (saved && !field.value.trim()) {
        field.value = saved;
        setStatus(status, "Draft restored");
        var details = field.closest("details");
        if (details) {
          details.open = true;
        }
      }

      var save = debounce(function () {
        try {
          store.setItem(key, field.value);
          setStatus(status, "Draft saved");
        } catch (err) {
          // Storage full or blocked: the form itself still works.
        }
      }, 400);

      field.addEventListener("input", save);
      pending.push(save);
    });

    // Never lose the last few keystrokes: write them before leaving the page.
    function flushAll() {
      pending.forEach(function (save) {
        save.flush();
      });
    }
    document.addEventListener("submit", flushAll, true);
    window.addEventListener("pagehide", flushAll);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        flushAll();
      }
    });
  }

  /* Scrollable boxes must be reachable by keyboard -------------------------- */

  /** Let keyboard users scroll code blocks and tables that overflow. */
  function makeScrollersFocusable(root) {
    var boxes = (root || document).querySelectorAll(".prose pre, .prose table, pre.diff-text");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("data-scroll-focus", "");
        }
      } else if (box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }

  /* b. Live Markdown preview ---------------------------------------------- */

  /** Render a textarea's Markdown on the server and show it below the field. */
  function initPreviews() {
    var inputs = document.querySelectorAll("textarea[data-preview]");
    var token = meta("csrf-token");

    Array.prototype.forEach.call(inputs, function (input) {
      var target = document.getElementById(input.getAttribute("data-preview"));
      if (!target || !window.fetch) {
        return;
      }
      var wrap = target.closest(".preview-wrap") || target;
      var controller = null;
      var sequence = 0;

      function hide() {
        wrap.hidden = true;
        target.innerHTML = "";
      }

      var update = debounce(function () {
        var text = input.value;
        if (!text.trim()) {
          hide();
          return;
        }
        if (controller && window.AbortController) {
          controller.abort();
        }
        controller = window.AbortController ? new AbortController() : null;
        var mine = ++sequence;
        fetch("/posts/preview", {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
            "X-CSRFToken": token,
            Accept: "application/json",
          },
          body: new URLSearchParams({ text: text }).toString(),
          signal: controller ? controller.signal : undefined,
        })
          .then(function (response) {
            if (!response.ok) {
              throw new Error("preview failed: " + response.status);
            }
            return response.json();
          })
          .then(function (data) {
            if (mine !== sequence) {
              return;
            }
            if (!data || typeof data.html !== "string" || !input.value.trim()) {
              hide();
              return;
            }
            // The server sanitises this HTML with the same policy as stored posts.
            target.innerHTML = data.html;
            wrap.hidden = false;
            makeScrollersFocusable(target);
          })
          .catch(function (err) {
            if (err && err.name === "AbortError") {
              return;
            }
            if (mine === sequence) {
              hide();
            }
          });
      }, 500);

      input.addEventListener("input", update);
      if (input.value.trim()) {
        update();
      }
    });
  }

  /* c. Tag suggestions ---------------------------------------------------- */

  /** Suggest existing tags for the word being typed in a tag field. */
  function initTagInputs() {
    var inputs = document.querySelectorAll("input[data-tag-input]");

    Array.prototype.forEach.call(inputs, function (input) {
      var url = input.getAttribute("data-tag-input");
      var listId = input.getAttribute("list");
      var datalist = listId ? document.getElementById(listId) : null;
      if (!url || !datalist || !window.fetch) {
        return;
      }
      var controller = null;

      function split(value) {
        var match = /[^\s,]*$/.exec(value);
        var token = match ? match[0] : "";
        return { earlier: value.slice(0, value.length - token.length), token: token };
      }

      function fill(earlier, items) {
        var taken = earlier.toLowerCase().split(/[\s,]+/).filter(Boolean);
        var fragment = document.createDocumentFragment();
        items.forEach(function (item) {
          if (!item || !item.name || taken.indexOf(item.name.toLowerCase()) !== -1) {
            return;
          }
          var option = document.createElement("option");
          var count = Number(item.question_count) || 0;
          option.value = earlier + item.name + " ";
          option.label = count + (count === 1 ? " question" : " questions");
          fragment.appendChild(option);
        });
        datalist.textContent = "";
        datalist.appendChild(fragment);
      }

      var suggest = debounce(function () {
        var parts = split(input.value);
        if (controller && window.AbortController) {
          controller.abort();
        }
        if (parts.token.length < 1) {
          datalist.textContent = "";
          return;
        }
        controller = window.AbortController ? new AbortController() : null;
        var query =
          (url.indexOf("?") === -1 ? "?" : "&") +
          "prefix=" +
          encodeURIComponent(parts.token) +
          "&limit=8";
        fetch(url + query, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
          signal: controller ? controller.signal : undefined,
        })
          .then(function (response) {
            if (!response.ok) {
              throw new Error("tags failed: " + response.status);
            }
            return response.json();
          })
          .then(function (data) {
            var now = split(input.value);
            if (now.token !== parts.token || now.earlier !== parts.earlier) {
              return;
            }
            fill(parts.earlier, (data && data.items) || []);
          })
          .catch(function () {
            // Suggestions are a convenience: typing still works without them.
          });
      }, 200);

      input.addEventListener("input", suggest);
    });
  }

  /* c2. Microlearn suggestions ------------------------------------------- */

  /** Suggest catalogue items by key or title in a "which microlearn" field. */
  function initMicrolearnInputs() {
    var inputs = document.querySelectorAll("input[data-microlearn-input]");

    Array.prototype.forEach.call(inputs, function (input) {
      var url = input.getAttribute("data-microlearn-input");
      var listId = input.getAttribute("list");
      var datalist = listId ? document.getElementById(listId) : null;
      if (!url || !datalist || !window.fetch) {
        return;
      }
      var controller = null;

      var suggest = debounce(function () {
        var text = input.value.trim();
        if (controller && window.AbortController) {
          controller.abort();
        }
        if (text.length < 2) {
          datalist.textContent = "";
          return;
        }
        controller = window.AbortController ? new AbortController() : null;
        fetch(url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(text), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
          signal: controller ? controller.signal : undefined,
        })
          .then(function (response) {
            if (!response.ok) {
              throw new Error("microlearns failed: " + response.status);
            }
            return response.json();
          })
          .then(function (data) {
            if (input.value.trim() !== text) {
              return;
            }
            var fragment = document.createDocumentFragment();
            ((data && data.items) || []).forEach(function (item) {
              if (!item || !item.key) {
                return;
              }
              var option = document.createElement("option");
              option.value = item.key;
              option.label = item.title + " (" + item.format_label + ")";
              fragment.appendChild(option);
            });
            datalist.textContent = "";
            datalist.appendChild(fragment);
          })
          .catch(function () {
            // Suggestions are a convenience: a typed key works without them.
          });
      }, 200);

      input.addEventListener("input", suggest);
    });
  }

  /* d. Confirm before destructive actions --------------------------------- */

  /** Ask before submitting any form that carries data-confirm. */
  function initConfirm() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form || !form.hasAttribute || !form.hasAttribute("data-confirm")) {
        return;
      }
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    });
  }

  /* e. Relative times ----------------------------------------------------- */

  var RELATIVE = /\bago\b|just now/i;

  /** Describe a time relative to now, in the same words as the server. */
  function timeago(date, now) {
    var seconds = Math.floor((now - date) / 1000);
    if (seconds < 60) {
      return "just now";
    }
    var steps = [
      [3600, 60, "min"],
      [86400, 3600, "hour"],
      [86400 * 30, 86400, "day"],
      [86400 * 365, 86400 * 30, "month"],
      [Infinity, 86400 * 365, "year"],
    ];
    for (var i = 0; i < steps.length; i++) {
      if (seconds < steps[i][0]) {
        var count = Math.floor(seconds / steps[i][1]);
        if (steps[i][2] === "min") {
          return count + " min ago";
        }
        return count + " " + steps[i][2] + (count !== 1 ? "s" : "") + " ago";
      }
    }
    return "";
  }

  /** Keep every relative <time> current while the page stays open. */
  function initRelativeTimes() {
    var times = Array.prototype.filter.call(
      document.querySelectorAll("time[datetime]"),
      function (el) {
        return RELATIVE.test(el.textContent);
      }
    );
    if (!times.length) {
      return;
    }
    function refresh() {
      var now = Date.now();
      times.forEach(function (el) {
        var date = Date.parse(el.getAttribute("datetime"));
        if (isNaN(date)) {
          return;
        }
        var text = timeago(date, now);
        if (text && el.textContent !== text) {
          el.textContent = text;
        }
      });
    }
    refresh();
    setInterval(refresh, 60000);
    window.addEventListener("pageshow", refresh);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        refresh();
      }
    });
  }

  /* f. Error summary ------------------------------------------------------ */

  /** Focus the first field marked invalid, where the page has no error summary. */
  function focusFirstInvalid() {
    var field = document.querySelector('[aria-invalid="true"]');
    // The server's autofocus may have done it already; don't fight the member.
    if (!field || (document.activeElement && document.activeElement !== document.body)) {
      return;
    }
    var details = field.closest("details");
    if (details) {
      details.open = true;
    }
    field.focus();
  }

  /** Focus the error summary so it is read out, and make its links focus the fields. */
  function initErrorSummary() {
    var summary = document.getElementById("form-errors");
    if (!summary) {
      focusFirstInvalid();
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest('a[href^="#"]');
      if (!link) {
        return;
      }
      var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) {
        return;
      }
      event.preventDefault();
      var wrapper = field.closest(".field") || field;
      wrapper.scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  /* Start ----------------------------------------------------------------- */

  function start() {
    initDrafts();
    initPreviews();
    initTagInputs();
    initMicrolearnInputs();
    initConfirm();
    initRelativeTimes();
    initErrorSummary();
    makeScrollersFocusable(document);
    window.addEventListener("resize", debounce(function () {
      makeScrollersFocusable(document);
    }, 250));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/*
 * Votes: the arrows post to a JSON endpoint instead of reloading the page.
 *
 * Without this script each arrow is a plain form post that comes back to the
 * post with a message. With it, the score and the pressed arrows change in
 * place and messages (a missing privilege, the daily limit) are read out from
 * the post's status line.
 */
(function () {
  "use strict";

  /** Return the content of a <meta name=...>, or an empty string. */
  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") || "" : "";
  }

  /** Show a message in a vote form's status line. */
  function say(form, text, isError) {
    var status = document.getElementById(form.getAttribute("data-vote-status"));
    if (!status) {
      return;
    }
    status.classList.toggle("is-error", !!isError);
    // Clear first so the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 30);
  }

  /** Show a vote's outcome: the score, the pressed arrows and a short message. */
  function show(form, data) {
    var score = Number(data.score) || 0;
    var value = form.querySelector("[data-score]");
    var label = form.querySelector("[data-score-label]");
    if (value) {
      value.textContent = String(score);
      var wrap = value.closest(".comment-score");
      if (wrap) {
        wrap.classList.toggle("is-zero", score === 0);
      }
    }
    if (label) {
      label.textContent = score === 1 || score === -1 ? "vote" : "votes";
    }
    var vote = Number(data.vote) || 0;
    Array.prototype.forEach.call(form.querySelectorAll("button[name=direction]"), function (button) {
      var pressed = (button.value === "up" && vote > 0) || (button.value === "down" && vote < 0);
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
    var what = vote > 0 ? "Voted up" : vote < 0 ? "Voted down" : "Vote taken back";
    say(form, what + ". Score " + score + ".", false);
  }

  /** Send one click on an arrow to the server. */
  function send(form, direction) {
    if (form.getAttribute("aria-busy") === "true") {
      return;
    }
    form.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-vote-api"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": meta("csrf-token"),
        Accept: "application/json",
      },
      body: JSON.stringify({ direction: direction }),
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            return { ok: response.ok, data: data || {} };
          });
      })
      .then(function (result) {
        if (result.ok) {
          show(form, result.data);
        } else {
          var error = result.data.error || {};
          say(form, error.message || "Your vote was not counted. Please try again.", true);
        }
      })
      .catch(function () {
        say(form, "Could not reach Knowhow, so your vote was not counted. Try again.", true);
      })
      .then(function () {
        form.removeAttribute("aria-busy");
      });
  }

  /** Send vote forms with fetch; the plain form post stays as the fallback. */
  function initVotes() {
    if (!window.fetch || !document.querySelector("form[data-vote-api]")) {
      return;
    }
    var lastClicked = null;
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("form[data-vote-api] button[name=direction]");
      lastClicked = button || null;
    });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form || !form.hasAttribute || !form.hasAttribute("data-vote-api")) {
        return;
      }
      var button = event.submitter || lastClicked;
      if (!button || button.form !== form || !button.value) {
        return;
      }
      event.preventDefault();
      send(form, button.value);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initVotes);
  } else {
    initVotes();
  }
})();

/*
 * Knowhow search helpers, loaded with defer on every page; each part looks for
 * its markup and does nothing without it. Without JavaScript the pages still
 * work: the ask form lists similar questions when it comes back from the
 * server (its "Check for similar questions" button asks for that).
 *
 * a. Similar questions: while a title is typed on the ask page, list up to five
 *    existing questions like it (GET /search/similar?title=, 300 ms after the
 *    last key), in a polite live region.
 */
(function () {
  "use strict";

  var DELAY_MS = 300;
  // Shorter titles match too much to help.
  var MIN_TITLE_CHARS = 8;

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      var self = this;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        fn.apply(self, args);
      }, wait);
    };
  }

  function paragraph(text) {
    var p = document.createElement("p");
    p.className = "help";
    p.textContent = text;
    return p;
  }

  /** Return the list markup the server renders in search/_similar.html. */
  function questionList(items) {
    var list = document.createElement("ul");
    list.className = "compact-list";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var count = document.createElement("span");
      count.className = "compact-score";
      count.title = "Answers";
      var label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = "Answers: ";
      count.appendChild(label);
      count.appendChild(document.createTextNode(String(Number(item.answer_count) || 0)));
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      li.appendChild(count);
      li.appendChild(link);
      list.appendChild(li);
    });
    return list;
  }

  /* a. Similar questions ------------------------------------------------- */

  function initSimilarQuestions() {
    var section = document.querySelector("[data-similar-url]");
    if (!section || !window.fetch) {
      return;
    }
    var url = section.getAttribute("data-similar-url");
    var title = document.getElementById(section.getAttribute("data-similar-title"));
    var results = section.querySelector("[data-similar-results]");
    if (!title || !results) {
      return;
    }
    var form = title.form;
    var tags = form ? form.querySelector("input[name=tags]") : null;
    var check = section.querySelector("[data-similar-check]");
    if (check && check.parentNode) {
      // The list follows the title as it is typed, so the button goes; removed
      // rather than hidden, as Enter in the title would still press it.
      check.parentNode.removeChild(check);
    }
    var controller = null;
    // What the region shows now, so that it is replaced (and announced) only
    // when the list changes.
    var shown = null;

    function show(key, nodes) {
      if (key === shown) {
        return;
      }
      shown = key;
      results.textContent = "";
      nodes.forEach(function (node) {
        results.appendChild(node);
      });
    }

    var update = debounce(function () {
      var text = title.value.trim();
      if (controller && window.AbortController) {
        controller.abort();
      }
      if (text.length < MIN_TITLE_CHARS) {
        show("hint", [
          paragraph("Type your title: questions that may already answer it appear here."),
        ]);
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      var query = "?title=" + encodeURIComponent(text);
      if (tags && tags.value.trim()) {
        query += "&tags=" + encodeURIComponent(tags.value.trim());
      }
      fetch(url + query, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("similar questions failed: " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (title.value.trim() !== text) {
            return;
          }
          var items = (data && data.items) || [];
          if (!items.length) {
            show("none", [paragraph("No similar questions yet: yours may well be the first.")]);
            return;
          }
          var key = items
            .map(function (item) {
              return item.id + ":" + item.answer_count;
            })
            .join(",");
          show(key, [
            paragraph("One of these may already answer yours:"),
            questionList(items),
          ]);
        })
        .catch(function () {
          // The list is a help: asking works without it.
        });
    }, DELAY_MS);

    title.addEventListener("input", update);
    if (tags) {
      tags.addEventListener("change", update);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initSimilarQuestions);
  } else {
    initSimilarQuestions();
  }
})();

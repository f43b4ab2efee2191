// Suggestions as one types, keyboard-only use of the list, drag and drop of uploads.
// Names reach the page as text only (textContent), never as HTML.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (input && list) {
    var composing = false, active = -1, hits = [], asked = 0, timer = null;
    var KIND = { unit: "单位", leader: "领导", item: "事项" };
    function close() {
      list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function show() {
      list.textContent = "";
      hits.forEach(function (h, i) {
        var li = document.createElement("li");
        li.id = "suggestion-" + i; li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        var kind = document.createElement("span"); kind.className = "kind"; kind.textContent = KIND[h.kind] || h.kind;
        li.appendChild(kind);
        li.appendChild(document.createTextNode(h.kind === "item"
          ? h.document.replace(/^doc:/, "") + " 第" + h.number + "项 " + h.title
          : h.city + " " + h.name + (h.alias ? "（又作 " + h.alias + "）" : "")));
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = h.url; });
        list.appendChild(li);
      });
      list.hidden = hits.length === 0;
      input.setAttribute("aria-expanded", hits.length ? "true" : "false");
      if (active >= 0) { input.setAttribute("aria-activedescendant", "suggestion-" + active); }
    }
    function ask() {
      var q = input.value.trim(), n = ++asked;
      if (!q) { hits = []; close(); return; }
      fetch("/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (found) { if (n === asked) { hits = found; active = -1; show(); } })
        .catch(function () {});
    }
    function later() { clearTimeout(timer); timer = setTimeout(ask, 120); }
    // Chinese input methods: a half-typed pinyin is not a query; ask when the composition ends.
    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; later(); });
    input.addEventListener("input", function (e) { if (!composing && !e.isComposing) { later(); } });
    input.addEventListener("keydown", function (e) {
      if (e.isComposing || composing || e.keyCode === 229) { return; }  // Enter that confirms a composition
      if (e.key === "ArrowDown" && hits.length) { e.preventDefault(); active = (active + 1) % hits.length; show(); }
      else if (e.key === "ArrowUp" && hits.length) { e.preventDefault(); active = (active + hits.length - 1) % hits.length; show(); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0 && hits[active]) { e.preventDefault(); window.location.href = hits[active].url; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  var drop = document.getElementById("drop"), file = document.getElementById("file");
  if (drop && file) {
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) { file.files = e.dataTransfer.files; }
    });
  }
  // The picture a page prints is fetched when printing begins, not on every visit (it costs the server a drawing).
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("img.print-picture").forEach(function (img) { img.loading = "eager"; });
  });
})();

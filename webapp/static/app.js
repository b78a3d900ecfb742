// Progressive enhancement only: every page works without this file.
// "复制引用": the citation is visible text; the button copies it to the clipboard.
// On a phone the search page's charts start closed.
// A matrix wider than the screen starts at the first year that has a mention.
(function () {
  "use strict";
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }
  document.addEventListener("DOMContentLoaded", function () {
    // On a phone the charts would fill the first screen: closed, the passages come first.
    if (window.matchMedia && window.matchMedia("(max-width: 760px)").matches) {
      document.querySelectorAll("details.charts[open]").forEach(function (d) { d.open = false; });
    }
    document.querySelectorAll(".matrix-wrap").forEach(function (wrap) {
      var lefts = Array.prototype.map.call(wrap.querySelectorAll("td[data-status=mentioned]"),
                                           function (td) { return td.offsetLeft; });
      var sticky = wrap.querySelector("tbody th");
      if (!lefts.length || !sticky || wrap.scrollWidth <= wrap.clientWidth) { return; }
      var first = Math.min.apply(null, lefts);
      if (first + 120 > wrap.clientWidth) { wrap.scrollLeft = first - sticky.offsetWidth; }
    });
    document.querySelectorAll(".cite").forEach(function (line) {
      var button = line.querySelector(".copy-citation");
      var text = line.querySelector(".citation");
      if (!button || !text) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(text.textContent.trim()).then(function () {
          button.textContent = "已复制";
          button.dataset.copied = "1";
        }, function () {
          button.textContent = "请手动选择文字复制";
        });
        window.setTimeout(function () { button.textContent = "复制引用"; }, 2000);
      });
    });
  });
}());

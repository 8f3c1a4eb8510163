// Accessibility changes to mkdocs-material's pages, loaded on every page (mkdocs.yml,
// extra_javascript). A file of its own, not written into each page, so browsers fetch it once
// and every page is smaller.
//
// Progressive enhancement only: every page works without JavaScript.
// 1. Tables and code blocks that scroll sideways become named, focusable regions, so
//    keyboard users can scroll them and screen readers say what they are.
// 2. Heading permalinks (the ¶ after a heading) get a name that makes sense alone.
// 3. The header's menu and search icons are <label>s, which keyboards cannot reach; they
//    become buttons with names (Enter or Space opens them, Escape closes the menu).
// 4. The colour scheme toggle takes focus where its label is visible.
(function () {
  "use strict";
  function text(el) { return (el.textContent || "").replace(/\s+/g, " ").trim(); }

  function labelScroller(box, kind, name) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name ? kind + ": " + name : kind);
      box.classList.add("kb-scroll-region");
    } else if (box.classList.contains("kb-scroll-region")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      box.classList.remove("kb-scroll-region");
    }
  }

  function scrollers() {
    var tables = document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset table:not([class])");
    tables.forEach(function (box) {
      if (box.tagName === "TABLE" && box.closest(".md-typeset__scrollwrap")) return;
      var table = box.tagName === "TABLE" ? box : box.querySelector("table");
      if (!table) return;
      var caption = table.querySelector("caption");
      var head = table.querySelector("th");
      var name = caption ? text(caption) : head ? "starting " + text(head) : "";
      labelScroller(box, "Table, scrolls sideways", name);
    });
    // The boxes the build put Markdown's tables in: a focus stop only where they scroll.
    document.querySelectorAll(".kb-table-wrap").forEach(function (box) {
      labelScroller(box, "Table, scrolls sideways", (box.getAttribute("aria-label") || "").replace(/^Table:? ?/, ""));
    });
    document.querySelectorAll(".md-typeset pre > code").forEach(function (code) {
      labelScroller(code, "Code, scrolls sideways", "");
    });
  }

  function permalinks() {
    document.querySelectorAll(".md-typeset .headerlink").forEach(function (a) {
      var heading = a.parentElement;
      if (!heading || a.hasAttribute("aria-label")) return;
      var copy = heading.cloneNode(true);
      copy.querySelectorAll(".headerlink").forEach(function (h) { h.remove(); });
      a.setAttribute("aria-label", "Link to the section: " + text(copy));
    });
  }

  function labelButton(label, name, onOpen) {
    var input = document.getElementById(label.htmlFor);
    if (!input || label.hasAttribute("role")) return;
    label.setAttribute("role", "button");
    label.setAttribute("tabindex", "0");
    label.setAttribute("aria-label", name);
    label.setAttribute("aria-expanded", String(input.checked));
    input.addEventListener("change", function () {
      label.setAttribute("aria-expanded", String(input.checked));
    });
    label.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      event.stopPropagation(); // the theme's own Enter handler would toggle it back
      input.checked = !input.checked;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      label.setAttribute("aria-expanded", String(input.checked));
      if (input.checked && onOpen) onOpen();
    });
  }

  function headerButtons() {
    var drawer = document.getElementById("__drawer");
    var menu = document.querySelector(".md-header label.md-header__button[for='__drawer']");
    if (menu && drawer) {
      labelButton(menu, "Menu", function () {
        var first = document.querySelector(".md-sidebar--primary a[href], .md-sidebar--primary label[tabindex='0']");
        if (first) window.setTimeout(function () { first.focus(); }, 50);
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && drawer.checked) {
          drawer.checked = false;
          drawer.dispatchEvent(new Event("change", { bubbles: true }));
          menu.focus();
        }
      });
    }
    var search = document.querySelector(".md-header label.md-header__button[for='__search']");
    if (search) {
      labelButton(search, "Search", function () {
        var query = document.querySelector(".md-search__input");
        if (query) window.setTimeout(function () { query.focus(); }, 50);
      });
    }
  }

  function paletteFocus() {
    // The theme leaves every palette radio unchecked, so Tab lands on the first one even in
    // the dark scheme, where its label is hidden: focus vanishes and the control is named
    // "Switch to dark mode". Checking the current scheme's radio fixes both.
    var scheme = document.body.getAttribute("data-md-color-scheme");
    var inputs = document.querySelectorAll("input.md-option[name='__palette']");
    if (!inputs.length || document.querySelector("input.md-option[name='__palette']:checked")) return;
    inputs.forEach(function (input) {
      if (input.getAttribute("data-md-color-scheme") === scheme) input.checked = true;
    });
  }

  function enhance() {
    scrollers();
    permalinks();
    headerButtons();
    paletteFocus();
  }
  var timer;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(scrollers, 150);
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { window.setTimeout(enhance, 0); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();

/*
 * The search page (/search/): a labelled search field, filters as checkboxes in fieldsets with
 * counts, results as a list of links, and a polite status message saying how many were found.
 *
 * Built on Pagefind's JavaScript API (pagefind.js), not its default UI. The query, filters and
 * order live in the page address (?q=advocacy&category=tupe&region=london&sort=newest), so a
 * search can be bookmarked, shared and reloaded. A filter given more than once, or as a comma
 * separated list, matches any of its values; different filters must all match.
 *
 * Everything inserted into the page is made with createElement and textContent. Pagefind's
 * excerpts are HTML with <mark> around matched words: only <mark> is kept (see excerptNodes).
 *
 * search/facets.json (written by kb build) names every filter and value and counts them, so the
 * filters show before Pagefind's own filter files are downloaded.
 *
 * Loaded on every page (mkdocs.yml extra_javascript); it does nothing where #kb-search is absent.
 */
(function () {
  "use strict";

  var root = document.getElementById("kb-search");
  if (!root) return;

  // The site's root, from this script's own address (…/javascripts/search.js), so the search
  // works at https://example.org/ and under a sub-path such as https://example.org/kb/.
  var scriptSrc = document.currentScript && document.currentScript.src;
  var siteRoot = new URL("../", scriptSrc || new URL("../javascripts/", location.href));

  var PAGE_SIZE = 10;
  var TYPING_DELAY = 300; // milliseconds after the last key press
  var WIDE = "(min-width: 60em)";

  var el = {
    nojs: document.getElementById("kb-search-nojs"),
    broken: document.getElementById("kb-search-broken"),
    form: document.getElementById("kb-search-form"),
    input: document.getElementById("kb-search-input"),
    filters: document.getElementById("kb-search-filters"),
    chosen: document.getElementById("kb-search-chosen"),
    groups: document.getElementById("kb-search-groups"),
    clear: document.getElementById("kb-search-clear"),
    sort: document.getElementById("kb-search-sort"),
    status: document.getElementById("kb-search-status"),
    idle: document.getElementById("kb-search-idle"),
    list: document.getElementById("kb-search-list"),
    more: document.getElementById("kb-search-more"),
    heading: document.getElementById("kb-search-heading"),
    chips: document.getElementById("kb-search-chips"),
    unknown: document.getElementById("kb-search-unknown"),
    empty: document.getElementById("kb-search-empty"),
    show: document.getElementById("kb-search-show"),
  };
  var baseTitle = document.title;

  var pagefind = null;
  var facets = null; // search/facets.json: sort key, filter names and counts
  var allCounts = {}; // every value in the index, with how many pages have it
  var filtersLoaded = false; // Pagefind's filter files, needed to count within a search
  var filtersLoading = null;
  var state = { q: "", filters: {}, sort: "" }; // sort "" means automatic
  var unknown = []; // [key, value] pairs from the address that are not filter values
  var latest = 0; // number of the newest search; older answers are dropped
  var results = []; // the current search's results, not yet all shown
  var shown = 0;
  var timer = null;

  // -------------------------------------------------------------------------------------------
  // Start
  // -------------------------------------------------------------------------------------------

  el.nojs.hidden = true;
  el.form.hidden = false;
  el.filters.open = window.matchMedia(WIDE).matches;

  start().catch(function (error) {
    if (window.console) window.console.error("Search could not start:", error);
    el.form.hidden = true;
    el.broken.hidden = false;
  });

  async function start() {
    var bundle = new URL("pagefind/", siteRoot);
    var loaded = await Promise.all([
      import(new URL("pagefind.js", bundle).href),
      loadFacets(),
    ]);
    pagefind = loaded[0];
    facets = loaded[1];
    await pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 24 });
    await pagefind.init();
    // The counts before any search come with the filter names (written by kb build), so the
    // page downloads Pagefind's filter files only once someone uses the filters.
    if (facets.counts) {
      allCounts = facets.counts;
    } else {
      await loadFilters();
    }
    readAddress();
    renderGroups();
    el.input.value = state.q;
    bindEvents();
    await search();
    root.dataset.kbSearch = "ready"; // for tests and measurements
  }

  // Without it the page cannot name the filters: start() fails instead, and the page says
  // search is not working.
  async function loadFacets() {
    var response = await fetch(new URL("search/facets.json", siteRoot).href);
    if (!response.ok) throw new Error("search/facets.json: HTTP " + response.status);
    var data = await response.json();
    if (!Array.isArray(data.filters)) throw new Error("search/facets.json names no filters");
    return data;
  }

  // -------------------------------------------------------------------------------------------
  // The page address
  // -------------------------------------------------------------------------------------------

  function groupKeys() {
    var keys = facets.filters.map(function (group) { return group.key; });
    Object.keys(allCounts).forEach(function (key) {
      if (keys.indexOf(key) === -1) keys.push(key);
    });
    return keys;
  }

  function readAddress() {
    var params = new URLSearchParams(location.search);
    state.q = (params.get("q") || "").trim();
    state.sort = params.get("sort") === "newest" || params.get("sort") === "relevance"
      ? params.get("sort") : "";
    state.filters = {};
    unknown = [];
    groupKeys().forEach(function (key) {
      var values = [];
      params.getAll(key).forEach(function (raw) {
        raw.split(",").forEach(function (value) {
          value = value.trim();
          if (!value || values.indexOf(value) !== -1) return;
          // A value the index does not know (a name instead of an id, a typing mistake) is
          // reported and left out, not applied: applied, it would silently find nothing.
          if (knownValue(key, value)) values.push(value);
          else unknown.push([key, value]);
        });
      });
      if (values.length) state.filters[key] = values;
    });
    showUnknown();
  }

  function knownValue(key, value) {
    var names = group(key).names || {};
    return Object.prototype.hasOwnProperty.call(names, value) ||
      Object.prototype.hasOwnProperty.call(allCounts[key] || {}, value);
  }

  // "“Reserved contracts” is not a category this search knows, so it was left out. Did you
  // mean the category Reserved contracts?" The suggestion is a filter to tick.
  function showUnknown() {
    el.unknown.textContent = "";
    el.unknown.hidden = !unknown.length;
    unknown.forEach(function (pair) {
      var key = pair[0], value = pair[1];
      var line = document.createElement("p");
      line.textContent = "“" + value + "” is not a " + group(key).label.toLowerCase() +
        " this search knows, so it was left out of the search.";
      var names = group(key).names || {};
      Object.keys(names).forEach(function (id) {
        if (names[id].toLowerCase() === value.toLowerCase() || id === value.toLowerCase()) {
          line.appendChild(document.createTextNode(" Did you mean the filter “" + names[id] +
            "”? Tick it under Filters."));
        }
      });
      el.unknown.appendChild(line);
    });
  }

  function writeAddress() {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    groupKeys().forEach(function (key) {
      (state.filters[key] || []).forEach(function (value) { params.append(key, value); });
    });
    if (state.sort) params.set("sort", state.sort);
    var query = params.toString();
    var address = location.pathname + (query ? "?" + query : "") + location.hash;
    if (address !== location.pathname + location.search + location.hash) {
      history.replaceState(history.state, "", address);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Filters
  // -------------------------------------------------------------------------------------------

  function group(key) {
    for (var i = 0; i < facets.filters.length; i++) {
      if (facets.filters[i].key === key) return facets.filters[i];
    }
    return { key: key, label: key.replace(/_/g, " "), names: {} };
  }

  function valueName(key, value) {
    var names = group(key).names || {};
    return Object.prototype.hasOwnProperty.call(names, value) ? names[value] : value;
  }

  // Every value the taxonomy names is a filter, even with no pages yet (it shows 0).
  function orderedValues(key) {
    var present = Object.keys(allCounts[key] || {});
    Object.keys(group(key).names || {}).forEach(function (value) {
      if (present.indexOf(value) === -1) present.push(value);
    });
    (state.filters[key] || []).forEach(function (value) {
      if (present.indexOf(value) === -1) present.push(value);
    });
    var known = Object.keys(group(key).names || {});
    var inOrder = known.filter(function (value) { return present.indexOf(value) !== -1; });
    var others = present.filter(function (value) { return known.indexOf(value) === -1; });
    others.sort(function (a, b) {
      // Years newest first; anything else alphabetically.
      if (/^\d{4}$/.test(a) && /^\d{4}$/.test(b)) return Number(b) - Number(a);
      return a.localeCompare(b);
    });
    return inOrder.concat(others);
  }

  function renderGroups() {
    el.groups.textContent = "";
    groupKeys().forEach(function (key) {
      var values = orderedValues(key);
      if (!values.length) return;
      var fieldset = document.createElement("fieldset");
      fieldset.className = "kb-facet";
      var legend = document.createElement("legend");
      legend.textContent = group(key).label;
      fieldset.appendChild(legend);
      var list = document.createElement("ul");
      list.className = "kb-facet__list";
      list.setAttribute("role", "list"); // list-style: none drops list semantics in Safari
      values.forEach(function (value, index) {
        var item = document.createElement("li");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = key;
        box.value = value;
        box.id = "kb-filter-" + key + "-" + index;
        box.checked = (state.filters[key] || []).indexOf(value) !== -1;
        var label = document.createElement("label");
        label.htmlFor = box.id;
        label.appendChild(document.createTextNode(valueName(key, value) + " "));
        var count = document.createElement("span");
        count.className = "kb-facet__count";
        count.dataset.key = key;
        count.dataset.value = value;
        label.appendChild(count);
        item.appendChild(box);
        item.appendChild(label);
        list.appendChild(item);
      });
      fieldset.appendChild(list);
      el.groups.appendChild(fieldset);
    });
    showCounts(allCounts);
    showChosen();
  }

  function showCounts(counts) {
    el.groups.querySelectorAll(".kb-facet__count").forEach(function (span) {
      if (!counts) {
        span.textContent = "";
        return;
      }
      var n = (counts[span.dataset.key] || {})[span.dataset.value] || 0;
      span.textContent = "(" + n;
      var words = document.createElement("span");
      words.className = "kb-visually-hidden";
      words.textContent = n === 1 ? " result" : " results";
      span.appendChild(words);
      span.appendChild(document.createTextNode(")"));
    });
  }

  function chosenCount() {
    return Object.keys(state.filters).reduce(function (sum, key) {
      return sum + state.filters[key].length;
    }, 0);
  }

  // The count on the Filters button, and each chosen filter as a button above the results
  // that removes it.
  function showChosen() {
    var n = chosenCount();
    el.chosen.textContent = n ? " (" + n + " chosen)" : "";
    el.chips.textContent = "";
    el.chips.hidden = !n;
    if (!n) return;
    var intro = document.createElement("p");
    intro.className = "kb-search__chips-intro";
    intro.textContent = "Chosen filters (choose one to remove it):";
    el.chips.appendChild(intro);
    var list = document.createElement("ul");
    list.setAttribute("role", "list");
    groupKeys().forEach(function (key) {
      (state.filters[key] || []).forEach(function (value) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "kb-search__chip";
        button.dataset.key = key;
        button.dataset.value = value;
        var hidden = document.createElement("span");
        hidden.className = "kb-visually-hidden";
        hidden.textContent = "Remove filter ";
        button.appendChild(hidden);
        button.appendChild(document.createTextNode(group(key).label + ": " +
          valueName(key, value)));
        var cross = document.createElement("span");
        cross.setAttribute("aria-hidden", "true");
        cross.textContent = " ×";
        button.appendChild(cross);
        item.appendChild(button);
        list.appendChild(item);
      });
    });
    el.chips.appendChild(list);
  }

  function removeFilter(key, value) {
    el.groups.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.name === key && box.value === value) box.checked = false;
    });
    readBoxes();
    searchSoon(0);
    el.heading.focus();
  }

  function readBoxes() {
    var filters = {};
    el.groups.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    state.filters = filters;
  }

  function loadFilters() {
    if (!filtersLoading) {
      filtersLoading = pagefind.filters().then(function (counts) {
        allCounts = counts;
        filtersLoaded = true;
      });
    }
    return filtersLoading;
  }

  // Someone is about to use the filters: fetch them, then count the current search.
  function filtersWanted() {
    if (filtersLoaded || filtersLoading) return;
    loadFilters().then(function () {
      var number = latest;
      var term = state.q || null;
      if (term === null && !activeKeys().length) return showCounts(allCounts);
      return pagefind.search(term, { filters: pagefindFilters(null) }).then(function (found) {
        if (found && number === latest) return updateCounts(number, term, found);
      });
    }).catch(report);
  }

  function activeKeys() {
    return Object.keys(state.filters).filter(function (key) {
      return state.filters[key].length;
    });
  }

  // Pagefind filters: any of the values within one filter, all of the filters together.
  function pagefindFilters(except) {
    var out = {};
    Object.keys(state.filters).forEach(function (key) {
      if (key !== except && state.filters[key].length) out[key] = { any: state.filters[key] };
    });
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Searching
  // -------------------------------------------------------------------------------------------

  function effectiveSort() {
    if (state.sort) return state.sort;
    return state.q ? "relevance" : "newest";
  }

  async function search() {
    var number = ++latest;
    root.dataset.kbSearchDone = "0"; // for tests and measurements
    var term = state.q || null;
    var active = activeKeys();
    el.sort.value = effectiveSort();
    showChosen();
    writeAddress();
    if (term === null && !active.length) {
      showCounts(allCounts);
      showIdle();
      finished(0);
      return;
    }
    if (active.length) await loadFilters(); // to count every filter within this search
    var found = await pagefind.search(term, { filters: pagefindFilters(null) });
    if (!found || number !== latest) return;
    var list = found.results;
    if (effectiveSort() === "newest") {
      // Pagefind's sort leaves out pages without the sort key (guides have no date): put
      // them after the dated pages rather than lose them.
      var dated = await newestFirst(term, pagefindFilters(null));
      if (!dated || number !== latest) return;
      var seen = new Set(dated.map(function (result) { return result.id; }));
      list = dated.concat(list.filter(function (result) {
        return !seen.has(result.id);
      }));
    }
    await updateCounts(number, term, found);
    if (number !== latest) return;
    results = list;
    shown = 0;
    el.list.textContent = "";
    el.idle.hidden = true;
    await showMore(false);
    if (number !== latest) return;
    el.status.textContent = describe(results.length);
    finished(results.length);
  }

  // The pages found, newest first. A sorted search of pages none of which has a date returns
  // them unsorted, which is as good as any order.
  async function newestFirst(term, filters) {
    var sort = {};
    sort[facets.sort_key] = "desc";
    var found = await pagefind.search(term, { filters: filters, sort: sort });
    return found ? found.results : null;
  }

  // Each filter's counts ignore its own choices, so they say how many results ticking one
  // more value would give (ticking values within a filter widens the search). Until the
  // filter files are loaded, a search with words shows no counts rather than wrong ones.
  async function updateCounts(number, term, found) {
    if (!filtersLoaded) {
      showCounts(null);
      return;
    }
    var active = activeKeys();
    var counts = {};
    var keys = groupKeys();
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i];
      if (active.indexOf(key) === -1) {
        counts[key] = found.filters[key] || {};
        continue;
      }
      var others = pagefindFilters(key);
      if (term === null && !Object.keys(others).length) {
        counts[key] = allCounts[key] || {};
      } else {
        var wider = await pagefind.search(term, { filters: others });
        if (number !== latest) return;
        counts[key] = (wider && wider.filters[key]) || {};
      }
    }
    if (number === latest) showCounts(counts);
  }

  function finished(count) {
    root.dataset.kbResults = String(count);
    root.dataset.kbSearchDone = "1";
    var searching = state.q || activeKeys().length;
    el.empty.hidden = !searching || count !== 0;
    el.show.textContent = searching ? "Show " + count + (count === 1 ? " result" : " results")
      : "Show results";
    // The page title carries the search, for the browser's history, tabs and screen readers.
    var words = (state.q ? [state.q] : []).concat(activeKeys().map(function (key) {
      return state.filters[key].map(function (value) { return valueName(key, value); })
        .join(" or ");
    }));
    document.title = searching ? "Search: " + words.join(", ") + " (" +
      (count === 1 ? "1 result" : count + " results") + ") - " + baseTitle : baseTitle;
  }

  async function showMore(moveFocus) {
    var number = latest;
    var page = results.slice(shown, shown + PAGE_SIZE);
    var data = await Promise.all(page.map(function (result) { return result.data(); }));
    if (number !== latest) return;
    var first = null;
    data.forEach(function (record) {
      var item = renderResult(record);
      el.list.appendChild(item);
      if (!first) first = item.querySelector("a");
    });
    shown += page.length;
    var left = results.length - shown;
    el.more.hidden = left <= 0;
    el.more.textContent = "Show " + Math.min(left, PAGE_SIZE) + " more results (" + shown +
      " of " + results.length + " shown)";
    if (moveFocus && first) first.focus();
  }

  function showIdle() {
    el.list.textContent = "";
    el.more.hidden = true;
    el.idle.hidden = false;
    el.status.textContent = "";
  }

  // "12 results for advocacy, filtered by TUPE transfers or Section 106 agreements, and by
  // London."
  function describe(count) {
    var text = count === 0 ? "No results" : count + (count === 1 ? " result" : " results");
    if (state.q) text += " for " + state.q;
    var parts = groupKeys().filter(function (key) {
      return (state.filters[key] || []).length;
    }).map(function (key) {
      return state.filters[key].map(function (value) { return valueName(key, value); })
        .join(" or ");
    });
    if (parts.length) text += ", filtered by " + parts.join(", and by ");
    text += ".";
    if (count === 0) {
      text += state.q && chosenCount() ? " Try other words, or fewer filters."
        : state.q ? " Try other words." : " Try fewer filters.";
    }
    return text;
  }

  // -------------------------------------------------------------------------------------------
  // One result
  // -------------------------------------------------------------------------------------------

  function renderResult(record) {
    var meta = record.meta || {};
    var item = document.createElement("li");
    item.className = "kb-result";
    var heading = document.createElement("h3");
    heading.className = "kb-result__title";
    var link = document.createElement("a");
    link.href = record.url;
    link.textContent = meta.title || record.url;
    var entries = state.q ? glossaryEntries(record) : [];
    if (entries.length) {
      link.href = record.url.split("#")[0] + "#" + entries[0].id;
      link.textContent = "Glossary: " + entries[0].text;
    }
    heading.appendChild(link);
    item.appendChild(heading);
    if (entries.length > 1) {
      var others = document.createElement("p");
      others.className = "kb-result__also";
      others.appendChild(document.createTextNode("Also in the glossary: "));
      entries.slice(1, 6).forEach(function (entry, index) {
        if (index) others.appendChild(document.createTextNode("; "));
        var also = document.createElement("a");
        also.href = record.url.split("#")[0] + "#" + entry.id;
        also.textContent = entry.text;
        others.appendChild(also);
      });
      item.appendChild(others);
    }

    var details = [];
    var type = ((record.filters || {}).type || [])[0];
    if (type) details.push(["Type", (facets.result_types || {})[type] || valueName("type", type)]);
    if (meta.dpulo) details.push(["DPULO", meta.dpulo]);
    if (meta.commissioner) details.push(["Commissioner", meta.commissioner]);
    if (meta.region) details.push(["Region", meta.region]);
    if (meta.period) details.push(["When", meta.period]);
    if (meta.outcome) details.push(["Outcome", meta.outcome]);
    if (details.length) {
      var list = document.createElement("dl");
      list.className = "kb-result__meta";
      details.forEach(function (pair) {
        var row = document.createElement("div");
        var term = document.createElement("dt");
        term.textContent = pair[0] + ":";
        var value = document.createElement("dd");
        value.textContent = pair[1];
        row.appendChild(term);
        row.appendChild(value);
        list.appendChild(row);
      });
      item.appendChild(list);
    }
    // With no words, the case study's summary reads better than the start of its page.
    if (!state.q && meta.summary) {
      var summary = document.createElement("p");
      summary.className = "kb-result__excerpt";
      summary.textContent = meta.summary;
      item.appendChild(summary);
    } else if (record.excerpt) {
      var excerpt = document.createElement("p");
      excerpt.className = "kb-result__excerpt";
      excerptNodes(record.excerpt).forEach(function (node) { excerpt.appendChild(node); });
      item.appendChild(excerpt);
    }
    return item;
  }

  // The glossary is one page, but each entry (<dt id>) is an anchor Pagefind records: the
  // result lands on the first entry holding a matched word, and names the others.
  function glossaryEntries(record) {
    var anchors = (record.anchors || []).slice().sort(function (a, b) {
      return a.location - b.location;
    });
    var found = [];
    (record.locations || []).slice().sort(function (a, b) { return a - b; })
      .forEach(function (at) {
        var owner = null;
        anchors.forEach(function (anchor) { if (anchor.location <= at) owner = anchor; });
        if (owner && owner.element === "dt" && found.indexOf(owner) === -1) found.push(owner);
      });
    // An entry named by the words comes before one that only mentions them.
    var words = state.q.toLowerCase().split(/\s+/);
    function named(anchor) {
      var text = (anchor.text || "").toLowerCase();
      return words.some(function (word) { return word && text.indexOf(word) !== -1; }) ? 0 : 1;
    }
    return found.map(function (anchor, index) { return [named(anchor), index, anchor]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (entry) { return entry[2]; });
  }

  // Pagefind's excerpt as safe nodes: text, and <mark> holding text. Any other markup becomes
  // its text. DOMParser makes an inert document: nothing in it runs or loads.
  function excerptNodes(html) {
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    var nodes = [];
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(node.textContent || ""));
      }
    });
    return nodes;
  }

  // -------------------------------------------------------------------------------------------
  // Events
  // -------------------------------------------------------------------------------------------

  function searchSoon(delay) {
    root.dataset.kbSearchDone = "0";
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { search().catch(report); }, delay);
  }

  function report(error) {
    if (window.console) window.console.error("Search failed:", error);
    el.status.textContent = "Sorry, the search failed. Please try again, or browse instead.";
  }

  function bindEvents() {
    el.input.addEventListener("input", function () {
      state.q = el.input.value.trim();
      // The filter files, so the counts follow the words instead of disappearing.
      filtersWanted();
      searchSoon(TYPING_DELAY);
    });
    el.chips.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (button) removeFilter(button.dataset.key, button.dataset.value);
    });
    // "Show N results": on a phone the filters fill the screen; this closes them and takes
    // the reader to the results.
    el.show.addEventListener("click", function () {
      if (!window.matchMedia(WIDE).matches) el.filters.open = false;
      el.heading.focus();
      el.heading.scrollIntoView();
    });
    el.form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.q = el.input.value.trim();
      searchSoon(0);
    });
    el.groups.addEventListener("change", function () {
      readBoxes();
      searchSoon(50);
    });
    el.clear.addEventListener("click", function () {
      el.groups.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        box.checked = false;
      });
      readBoxes();
      searchSoon(0);
    });
    el.sort.addEventListener("change", function () {
      state.sort = el.sort.value;
      searchSoon(0);
    });
    ["focusin", "pointerenter"].forEach(function (type) {
      el.filters.addEventListener(type, filtersWanted);
    });
    el.more.addEventListener("click", function () {
      showMore(true).catch(report);
    });
  }
})();

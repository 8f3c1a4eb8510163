/*
 * The case-study writer (/contribute/write/): a form built in the browser from
 * contribute/writer-fields.json, which `kb generate` makes from the schema and the taxonomy
 * (kb.contrib.writer). Nothing typed here is sent anywhere: it stays in this page and in this
 * browser's storage (a draft) until the person downloads it, opens a GitHub issue with it, or
 * e-mails it themselves.
 *
 * Answers are checked against the schema in the description, with the same words as
 * `kb validate` (kb.content.schema._explain). A field's message is shown under it, linked with
 * aria-describedby and marked with aria-invalid, and said once in a polite live region when the
 * person leaves the field.
 *
 * The file it makes is what kb.content.casestudy.case_study_text writes: the front matter in the
 * schema's order, every text value in double quotes, then the five sections.
 *
 * Everything put into the page is made with createElement and textContent.
 */
(function () {
  "use strict";

  var root = document.getElementById("kb-writer");
  if (!root) return;

  var STORAGE_KEY = "kb-writer-draft-1";
  var SAVE_DELAY = 400;
  var PLACEHOLDER = "Replace this:";

  var described = null; // the writer-fields.json description
  var controls = {}; // path key ("sources.0.url") -> {element, error, label, touched}
  var recordCounts = {}; // records field name -> how many shown
  var live, summaryBox, saveTimer;

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (attributes[name] !== null && attributes[name] !== undefined) {
        node.setAttribute(name, attributes[name]);
      }
    });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function idFor(path) {
    return "w-" + path.join("-").replace(/[^A-Za-z0-9-]/g, "-");
  }

  // -- text, as kb.contrib.scaffold treats it ------------------------------------------------

  // one_line: every control or separator character (line breaks too) becomes a space, and runs
  // of spaces become one.
  function oneLine(text) {
    return String(text || "")
      .replace(/[\p{C}\p{Z}]/gu, " ")
      .split(" ")
      .filter(Boolean)
      .join(" ");
  }

  var MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december"];

  // normalise_partial_date: 'April 2019', '04/2019' or '2019/04' become '2019-04'.
  function partialDate(text) {
    var match = /^([A-Za-z]+)\.?,? (\d{4})$/.exec(text);
    if (match) {
      var name = match[1].toLowerCase();
      for (var i = 0; i < 12; i++) {
        var month = MONTHS[i];
        if (name === month || name === month.slice(0, 3) || (i === 8 && name === "sept")) {
          return match[2] + "-" + String(i + 1).padStart(2, "0");
        }
      }
    }
    match = /^(\d{1,2})[/.-](\d{4})$/.exec(text);
    if (match && +match[1] >= 1 && +match[1] <= 12) {
      return match[2] + "-" + String(+match[1]).padStart(2, "0");
    }
    match = /^(\d{4})[/.](\d{1,2})$/.exec(text);
    if (match && +match[2] >= 1 && +match[2] <= 12) {
      return match[1] + "-" + String(+match[2]).padStart(2, "0");
    }
    return text;
  }

  function slugify(title) {
    var ascii = title.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
    ascii = ascii.replace(/'/g, "").replace(/&/g, " and ");
    var words = ascii.toLowerCase().replace(/[^a-z0-9]+/g, " ").split(" ").filter(Boolean);
    var slug = "";
    for (var i = 0; i < words.length; i++) {
      var next = slug ? slug + "-" + words[i] : words[i];
      if (next.length > 70) break;
      slug = next;
    }
    return slug || "case-study";
  }

  // -- the schema, checked as kb validate checks it -------------------------------------------

  function resolve(node) {
    if (node && node.$ref) {
      var name = node.$ref.split("/").pop();
      var merged = Object.assign({}, described.schema.$defs[name]);
      Object.keys(node).forEach(function (key) {
        if (key !== "$ref") merged[key] = node[key];
      });
      return merged;
    }
    return node || {};
  }

  function show(value) {
    if (typeof value === "string") {
      var cut = value.length <= 60 ? value : value.slice(0, 57) + "...";
      return "'" + cut.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
    }
    return Array.isArray(value) ? "a list" : "a set of fields";
  }

  function quotedList(values, limit) {
    var shown = values.slice(0, limit).map(function (v) { return show(String(v)); }).join(", ");
    return shown + (values.length > limit ? ", …" : "");
  }

  function length(text) {
    return Array.from(text).length; // characters, as Python counts them
  }

  function check(node, value, path, out, inThen) {
    node = resolve(node);
    (node.allOf || []).forEach(function (part) { check(part, value, path, out, inThen); });
    if (node.if) {
      var found = [];
      check(node.if, value, path, found, false);
      var branch = found.length ? node.else : node.then;
      if (branch) check(branch, value, path, out, branch === node.then);
    }
    var type = node.type;
    if (type === "string" && typeof value !== "string") return;
    if (type === "array" && !Array.isArray(value)) return;
    if (type === "object" && (typeof value !== "object" || Array.isArray(value))) return;
    if (node.const !== undefined && value !== node.const) {
      out.push([path, "must be " + show(node.const)]);
    }
    if (node.enum && node.enum.indexOf(value) < 0) {
      out.push([path, "must be one of " + quotedList(node.enum, 20) + "; got " + show(value)]);
    }
    if (typeof value === "string") {
      var count = length(value);
      if (node.minLength !== undefined && count < node.minLength) {
        out.push([path, "is too short: it must be at least " + node.minLength +
          " characters; it has " + count]);
      }
      if (node.maxLength !== undefined && count > node.maxLength) {
        out.push([path, "is too long: it must be at most " + node.maxLength +
          " characters; it has " + count + ", so shorten it"]);
      }
      if (node.pattern !== undefined) {
        var pattern;
        try { pattern = new RegExp(node.pattern, "u"); } catch (e) { pattern = null; }
        if (pattern && !pattern.test(value)) {
          var hint = node["x-hint"] || "must match the pattern " + node.pattern;
          out.push([path, hint + "; got " + show(value)]);
        }
      }
    }
    if (Array.isArray(value)) {
      if (node.minItems !== undefined && value.length < node.minItems) {
        out.push([path, inThen && path.join(".") === "sources"
          ? "must list at least one source, because consent is 'published-sources' " +
            "(the case study is compiled only from published sources)"
          : "must list at least " + node.minItems + "; it is empty"]);
      }
      if (node.maxItems !== undefined && value.length > node.maxItems) {
        out.push([path, "must list at most " + node.maxItems + "; it lists " + value.length]);
      }
      if (node.uniqueItems) {
        var seen = {};
        var repeated = value.filter(function (item) {
          var key = JSON.stringify(item);
          var again = seen[key];
          seen[key] = true;
          return again;
        });
        if (repeated.length) {
          out.push([path, "lists " + quotedList(repeated, 14) + " more than once; remove the repeat"]);
        }
      }
      if (node.items) {
        value.forEach(function (item, index) {
          check(node.items, item, path.concat([index]), out, inThen);
        });
      }
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
      (node.required || []).forEach(function (name) {
        if (!(name in value)) out.push([path.concat([name]), "is missing; add it"]);
      });
      var properties = node.properties || {};
      Object.keys(properties).forEach(function (name) {
        if (name in value) check(properties[name], value[name], path.concat([name]), out, inThen);
      });
    }
  }

  // -- reading the answers --------------------------------------------------------------------

  function controlValue(path) {
    var entry = controls[path.join(".")];
    return entry ? entry.read() : undefined;
  }

  function leafValue(field, path) {
    var raw = controlValue(path);
    if (field.kind === "choices") return raw && raw.length ? raw : undefined;
    if (field.kind === "texts") {
      var lines = String(raw || "").split("\n").map(oneLine).filter(Boolean);
      return lines.length ? lines : undefined;
    }
    var text = oneLine(raw);
    if (field.kind === "partial_date") text = partialDate(text);
    return text || undefined;
  }

  function recordsValue(field) {
    var records = [];
    for (var index = 0; index < (recordCounts[field.name] || 0); index++) {
      var record = {};
      field.children.forEach(function (child) {
        var value = leafValue(child, [field.name, index, child.path[child.path.length - 1]]);
        if (value !== undefined) record[child.path[child.path.length - 1]] = value;
      });
      if (Object.keys(record).length) records.push(record);
    }
    return records;
  }

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
  }

  // The front matter, as kb.contrib.scaffold.build_meta makes it: the schema's order, empty
  // answers left out, a required list of records written [] when empty. With `forChecking`,
  // required groups are kept even when empty, so a missing name is reported on its own field.
  function frontMatter(forChecking) {
    var byName = {};
    (function index(items) {
      items.forEach(function (item) {
        byName[item.name] = item;
        if (item.kind === "object") index(item.children);
      });
    })(described.fields);
    var meta = {};
    described.order.forEach(function (name) {
      if (name === "status") { meta.status = described.automatic.status; return; }
      if (described.automatic.dates.indexOf(name) >= 0) { meta[name] = today(); return; }
      var field = byName[name];
      if (!field) return;
      var value = fieldValue(field, forChecking);
      if (value !== undefined) meta[name] = value;
    });
    return meta;
  }

  function fieldValue(field, forChecking) {
    if (field.kind === "object") {
      var group = {};
      field.children.forEach(function (child) {
        var value = fieldValue(child, forChecking);
        if (value !== undefined) group[child.path[child.path.length - 1]] = value;
      });
      if (Object.keys(group).length || (forChecking && field.required)) return group;
      return undefined;
    }
    if (field.kind === "records") {
      var records = recordsValue(field);
      return records.length || field.required ? records : undefined;
    }
    return leafValue(field, field.path);
  }

  function sectionsText() {
    return described.sections.map(function (section) {
      var text = demoteHeadings(String(controlValue(["section", section.id]) || ""))
        .replace(/^\n+|\n+$/g, "");
      return "## " + section.heading + "\n\n" + (text || PLACEHOLDER + " " + section.prompt) + "\n";
    }).join("\n");
  }

  // A '#' or '##' heading typed in a section becomes '###': only the form makes sections.
  function demoteHeadings(text) {
    var fence = null;
    return text.replace(/\r\n?/g, "\n").split("\n").map(function (line) {
      var opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (opening) {
        if (!fence) fence = opening[1][0];
        else if (opening[1][0] === fence) fence = null;
        return line;
      }
      return fence ? line : line.replace(/^ {0,3}#{1,2}(?=[ \t])/, "###");
    }).join("\n");
  }

  // -- writing the file -----------------------------------------------------------------------

  function quote(text) {
    return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
  }

  function yamlLines(value, indent) {
    var lines = [];
    Object.keys(value).forEach(function (key) {
      var item = value[key];
      if (typeof item === "string") {
        lines.push(indent + key + ": " + quote(item));
      } else if (Array.isArray(item)) {
        if (!item.length) { lines.push(indent + key + ": []"); return; }
        lines.push(indent + key + ":");
        item.forEach(function (entry) {
          if (typeof entry === "string") {
            lines.push(indent + "- " + quote(entry));
          } else {
            yamlLines(entry, indent + "  ").forEach(function (line, number) {
              lines.push(number === 0 ? indent + "- " + line.slice(indent.length + 2) : line);
            });
          }
        });
      } else {
        lines.push(indent + key + ":");
        lines = lines.concat(yamlLines(item, indent + "  "));
      }
    });
    return lines;
  }

  function fileText() {
    var body = sectionsText().replace(/^\n+|\n+$/g, "");
    return "---\n" + yamlLines(frontMatter(false), "").join("\n") + "\n---\n\n" + body + "\n";
  }

  // -- problems -------------------------------------------------------------------------------

  function problems() {
    var found = [];
    check(described.schema, frontMatter(true), [], found, false);
    described.sections.forEach(function (section) {
      if (!oneLine(controlValue(["section", section.id]))) {
        found.push([["section", section.id], "is empty; please write it (" + section.prompt + ")"]);
      }
    });
    return found.map(function (problem) {
      var path = problem[0].slice();
      while (path.length && !controls[path.join(".")]) path.pop();
      return { key: path.join("."), path: problem[0], message: problem[1] };
    }).filter(function (problem) { return problem.key; });
  }

  function showProblems(all, announceKey) {
    var byKey = {};
    all.forEach(function (problem) {
      (byKey[problem.key] = byKey[problem.key] || []).push(problem.message);
    });
    Object.keys(controls).forEach(function (key) {
      var entry = controls[key];
      var messages = entry.touched ? byKey[key] || [] : [];
      entry.error.textContent = messages.length
        ? entry.label + " " + messages.join("; and it ") + "."
        : "";
      entry.error.hidden = !messages.length;
      entry.targets().forEach(function (target) {
        if (messages.length) target.setAttribute("aria-invalid", "true");
        else target.removeAttribute("aria-invalid");
      });
    });
    if (announceKey && controls[announceKey]) {
      live.textContent = controls[announceKey].error.textContent;
    }
    return byKey;
  }

  // -- building the form ----------------------------------------------------------------------

  function helpText(field) {
    return [field.help, field.limits,
      field.kind === "texts" ? "Write each one on a line of its own." : "",
      field.required ? "" : "Optional."]
      .filter(Boolean).join(" ");
  }

  function register(path, label, error, read, targets) {
    controls[path.join(".")] = { label: label, error: error, read: read, targets: targets,
      touched: false };
  }

  function leafControl(field, path, label) {
    var id = idFor(path);
    var wrap = el("div", { class: "kb-writer__field" });
    var help = el("p", { id: id + "-help", class: "kb-writer__help" }, helpText(field));
    var error = el("p", { id: id + "-error", class: "kb-writer__error", hidden: "" });
    var describedBy = id + "-help " + id + "-error";
    if (field.kind === "choices") {
      var set = el("fieldset", { id: id, class: "kb-writer__choices",
        "aria-describedby": describedBy });
      set.appendChild(el("legend", {}, label + (field.required ? " (required)" : "")));
      set.appendChild(help);
      var boxes = [];
      field.choices.forEach(function (choice, number) {
        var row = el("div", { class: "kb-writer__choice" });
        var box = el("input", { type: "checkbox", id: id + "-" + number, value: choice.id,
          "data-key": path.join(".") });
        boxes.push(box);
        var text = el("label", { for: id + "-" + number }, choice.name);
        row.appendChild(box);
        row.appendChild(text);
        if (choice.description) {
          box.setAttribute("aria-describedby", id + "-" + number + "-about");
          row.appendChild(el("span", { id: id + "-" + number + "-about",
            class: "kb-writer__about" }, choice.description));
        }
        set.appendChild(row);
      });
      set.appendChild(error);
      register(path, label, error, function () {
        return boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      }, function () { return [set]; });
      wrap.appendChild(set);
      return wrap;
    }
    wrap.appendChild(el("label", { for: id }, label + (field.required ? " (required)" : "")));
    wrap.appendChild(help);
    var control;
    if (field.choices) {
      control = el("select", { id: id });
      control.appendChild(el("option", { value: "" }, field.required ? "Choose one" : "None"));
      field.choices.forEach(function (choice) {
        control.appendChild(el("option", { value: choice.id }, choice.name));
      });
    } else if (field.kind === "long_text" || field.kind === "texts" || path[0] === "section") {
      control = el("textarea", { id: id, rows: path[0] === "section" ? 8 : 4 });
    } else {
      control = el("input", { id: id, type: "text", autocomplete: "off",
        inputmode: field.kind === "url" ? "url" : null, spellcheck: field.kind === "url" ? "false" : null,
        placeholder: field.placeholder || null });
    }
    control.setAttribute("aria-describedby", describedBy);
    if (field.required) control.setAttribute("aria-required", "true");
    control.setAttribute("data-key", path.join("."));
    wrap.appendChild(control);
    wrap.appendChild(error);
    register(path, label, error, function () { return control.value; },
      function () { return [control]; });
    return wrap;
  }

  function recordGroup(field, list, index) {
    var one = field.one || "one";
    var group = el("fieldset", { class: "kb-writer__record", "data-index": String(index) });
    group.appendChild(el("legend", {}, capital(one) + " " + (index + 1)));
    field.children.forEach(function (child) {
      var key = child.path[child.path.length - 1];
      group.appendChild(leafControl(child, [field.name, index, key], child.label));
    });
    var remove = el("button", { type: "button", class: "md-button kb-writer__remove" },
      "Remove " + one + " " + (index + 1));
    remove.addEventListener("click", function () {
      var values = readRecords(field);
      values.splice(index, 1);
      renderRecords(field, list, values);
      changed();
      live.textContent = capital(one) + " " + (index + 1) + " removed.";
      var next = list.querySelector("input, select, textarea") ||
        document.getElementById(idFor([field.name]) + "-add");
      if (next) next.focus();
    });
    group.appendChild(remove);
    return group;
  }

  function capital(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function readRecords(field) {
    var values = [];
    for (var index = 0; index < (recordCounts[field.name] || 0); index++) {
      var record = {};
      field.children.forEach(function (child) {
        var key = child.path[child.path.length - 1];
        record[key] = controlValue([field.name, index, key]) || "";
      });
      values.push(record);
    }
    return values;
  }

  function renderRecords(field, list, values) {
    Object.keys(controls).forEach(function (key) {
      if (key.indexOf(field.name + ".") === 0 && key !== field.name) delete controls[key];
    });
    list.textContent = "";
    recordCounts[field.name] = values.length;
    values.forEach(function (record, index) {
      list.appendChild(recordGroup(field, list, index));
      Object.keys(record).forEach(function (key) {
        var control = document.getElementById(idFor([field.name, index, key]));
        if (control) control.value = record[key];
      });
    });
  }

  function recordsControl(field) {
    var id = idFor([field.name]);
    var set = el("fieldset", { id: id, class: "kb-writer__records",
      "aria-describedby": id + "-help " + id + "-error" });
    set.appendChild(el("legend", {}, field.label + (field.required ? " (required)" : "")));
    set.appendChild(el("p", { id: id + "-help", class: "kb-writer__help" },
      [field.help, field.limits].filter(Boolean).join(" ")));
    var list = el("div", { class: "kb-writer__list" });
    set.appendChild(list);
    var error = el("p", { id: id + "-error", class: "kb-writer__error", hidden: "" });
    var add = el("button", { type: "button", id: id + "-add", class: "md-button" },
      "Add " + (recordCounts[field.name] ? "another " : "a ") + (field.one || "one"));
    add.addEventListener("click", function () {
      var values = readRecords(field);
      values.push({});
      renderRecords(field, list, values);
      changed();
      var first = list.lastElementChild && list.lastElementChild.querySelector("input, select");
      if (first) first.focus();
    });
    set.appendChild(add);
    set.appendChild(error);
    register([field.name], field.label, error, function () { return null; },
      function () { return [set]; });
    set.kbRender = function (values) { renderRecords(field, list, values); };
    return set;
  }

  function buildFields(items, parent) {
    items.forEach(function (field) {
      if (field.kind === "object") {
        var set = el("fieldset", { class: "kb-writer__group", id: idFor(field.path) });
        set.appendChild(el("legend", {}, field.label));
        if (field.help) set.appendChild(el("p", { class: "kb-writer__help" }, field.help));
        buildFields(field.children, set);
        var error = el("p", { id: idFor(field.path) + "-error", class: "kb-writer__error",
          hidden: "" });
        set.appendChild(error);
        register(field.path, field.label, error, function () { return null; },
          function () { return []; });
        parent.appendChild(set);
      } else if (field.kind === "records") {
        parent.appendChild(recordsControl(field));
      } else {
        parent.appendChild(leafControl(field, field.path, field.label));
      }
    });
  }

  // -- the draft ------------------------------------------------------------------------------

  function answers() {
    var saved = { values: {}, records: {} };
    Object.keys(controls).forEach(function (key) {
      var value = controls[key].read();
      if (value !== null && value !== undefined && value !== "" &&
          !/\.\d+\./.test(key)) saved.values[key] = value;
    });
    described.fields.forEach(function (field) {
      if (field.kind === "records") saved.records[field.name] = readRecords(field);
    });
    return saved;
  }

  function save() {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(answers()));
    } catch (error) {
      // Storage is off or full: the writer still works, the draft is just not kept.
    }
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null"); } catch (e) { saved = null; }
    if (!saved) return false;
    described.fields.forEach(function (field) {
      var records = (saved.records || {})[field.name];
      if (field.kind === "records" && records) {
        document.getElementById(idFor([field.name])).kbRender(records);
      }
    });
    Object.keys(saved.values || {}).forEach(function (key) {
      var value = saved.values[key];
      var target = root.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (!target) return;
      if (Array.isArray(value)) {
        root.querySelectorAll('input[data-key="' + CSS.escape(key) + '"]').forEach(function (box) {
          box.checked = value.indexOf(box.value) >= 0;
        });
      } else {
        target.value = value;
      }
    });
    return true;
  }

  // -- the choices at the end -----------------------------------------------------------------

  function issueUrl() {
    var base = root.getAttribute("data-issue");
    var params = new URLSearchParams();
    params.set("template", described.issue.template);
    var meta = frontMatter(false);
    params.set("title", described.issue.title + (meta.title || ""));
    var names = {};
    (function index(items) {
      items.forEach(function (item) {
        names[item.name] = item;
        (item.children || []).forEach(function (child) { names[child.name] = child; });
        if (item.kind === "object") index(item.children);
      });
    })(described.fields);
    function nameOf(field, id) {
      var found = (field.choices || []).filter(function (c) { return c.id === id; })[0];
      return found ? found.name : id;
    }
    function valueAt(name) {
      var node = meta;
      name.split(".").forEach(function (part) { node = node === undefined ? node : node[part]; });
      return node;
    }
    described.issue.fields.forEach(function (entry) {
      var value = "";
      if (entry.how === "section") {
        value = demoteHeadings(String(controlValue(["section", entry.from]) || "")).trim();
      } else {
        // One part of one record asked as its own question ("other_commissioners.0.type"):
        // described as the list's part ("other_commissioners.type").
        var field = names[entry.from] || names[entry.from.replace(/\.\d+\./, ".")] || {};
        var answer = valueAt(entry.from);
        if (answer === undefined) return;
        if (entry.how === "name") value = nameOf(field, answer);
        else if (entry.how === "names") {
          value = answer.map(function (id) { return nameOf(field, id); }).join(", ");
        } else if (entry.how.indexOf("lines:") === 0) {
          var parts = entry.how.slice(6).split(",");
          value = answer.map(function (record) {
            return parts.filter(function (part) { return record[part]; }).map(function (part) {
              // A list inside a record (a source's quotes): each part in double quotes.
              if (Array.isArray(record[part])) {
                return record[part].map(function (text) { return "\"" + text + "\""; })
                  .join(" " + described.separator + " ");
              }
              return nameOf(names[entry.from + "." + part] || {}, record[part]);
            }).join(" " + described.separator + " ");
          }).join("\n");
        } else if (Array.isArray(answer)) {
          value = answer.join("\n"); // a list of short texts (caveats): one a line
        } else value = String(answer);
      }
      if (value) params.set(entry.id, value);
    });
    return base + "?" + params.toString();
  }

  function download() {
    var text = fileText();
    var meta = frontMatter(false);
    var blob = new Blob([text], { type: "text/markdown;charset=utf-8" });
    var link = el("a", { href: URL.createObjectURL(blob),
      download: slugify(meta.title || "") + ".md" });
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  function finish(parent) {
    var box = el("section", { class: "kb-writer__finish", "aria-labelledby": "kb-writer-finish" });
    box.appendChild(el("h2", { id: "kb-writer-finish" }, "When you have finished"));
    summaryBox = el("div", { class: "kb-writer__summary", id: "kb-writer-summary" });
    box.appendChild(summaryBox);
    var list = el("ul", { class: "kb-writer__routes" });

    var item = el("li");
    var button = el("button", { type: "button", class: "md-button md-button--primary",
      id: "kb-writer-download" }, "Download the file");
    button.addEventListener("click", download);
    item.appendChild(button);
    item.appendChild(el("p", {}, "Saves your case study on this computer as a text file " +
      "(Markdown). You can attach it to an e-mail, or add it to the site on GitHub."));
    list.appendChild(item);

    if (root.getAttribute("data-issue")) {
      item = el("li");
      var issue = el("a", { class: "md-button", id: "kb-writer-issue", href: "#",
        target: "_blank", rel: "noopener" }, "Open it as a GitHub issue (opens in a new tab)");
      issue.addEventListener("click", function () { issue.href = issueUrl(); });
      issue.addEventListener("focus", function () { issue.href = issueUrl(); });
      item.appendChild(issue);
      item.appendChild(el("p", {}, "Opens GitHub's case study form with your answers filled " +
        "in. You need a free GitHub account. Nothing is sent until you press Create there, and " +
        "then everyone can read it. Check each answer there: a very long case study may be cut short."));
      list.appendChild(item);
    }

    var contact = root.getAttribute("data-contact");
    if (contact) {
      item = el("li");
      var mail = el("a", { class: "md-button", id: "kb-writer-mail", href: "#" },
        "E-mail it to the coordinators");
      var refresh = function () {
        var meta = frontMatter(false);
        mail.href = "mailto:" + contact + "?subject=" +
          encodeURIComponent("Case study: " + (meta.title || "")) + "&body=" +
          encodeURIComponent(fileText());
      };
      mail.addEventListener("click", refresh);
      mail.addEventListener("focus", refresh);
      item.appendChild(mail);
      item.appendChild(el("p", {}, "Opens your own e-mail program with the case study in a " +
        "new message to " + contact + ". Nothing is sent until you send it. If the message " +
        "looks cut short, download the file and attach it instead."));
      list.appendChild(item);
    }
    box.appendChild(list);

    var clear = el("button", { type: "button", class: "md-button", id: "kb-writer-clear" },
      "Delete my draft from this browser");
    clear.addEventListener("click", function () {
      try { localStorage.removeItem(STORAGE_KEY); } catch (e) { /* nothing kept */ }
      location.reload();
    });
    box.appendChild(clear);
    parent.appendChild(box);
  }

  function updateSummary(all) {
    summaryBox.textContent = "";
    if (!all.length) {
      summaryBox.appendChild(el("p", {}, "Everything we can check here is ready. The " +
        "coordinators will still read it before it goes on the site."));
      return;
    }
    var keys = [];
    all.forEach(function (problem) { if (keys.indexOf(problem.key) < 0) keys.push(problem.key); });
    summaryBox.appendChild(el("p", {}, (keys.length === 1 ? "1 answer still needs" :
      keys.length + " answers still need") + " attention. You can still download it and " +
      "finish it later."));
    var list = el("ul");
    keys.forEach(function (key) {
      var entry = controls[key];
      var target = entry.targets()[0] || entry.error;
      var row = el("li");
      var link = el("a", { href: "#" + (target.id || "") }, entry.label);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var focusable = target.matches("fieldset") ? target.querySelector("input, select, textarea, button") : target;
        if (focusable) focusable.focus();
      });
      row.appendChild(link);
      list.appendChild(row);
    });
    summaryBox.appendChild(list);
  }

  // -- events ---------------------------------------------------------------------------------

  function changed(key) {
    var all = problems();
    showProblems(all, key);
    updateSummary(all);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, SAVE_DELAY);
  }

  function keyOf(target) {
    var key = target && target.getAttribute && target.getAttribute("data-key");
    return key && controls[key] ? key : null;
  }

  function start(description) {
    described = description;
    root.textContent = "";
    var form = el("form", { class: "kb-writer", novalidate: "", "aria-label": "Case study writer" });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    live = el("div", { class: "kb-writer__live kb-visually-hidden", role: "status", "aria-live": "polite" });
    buildFields(described.fields, form);
    var sections = el("fieldset", { class: "kb-writer__group" });
    sections.appendChild(el("legend", {}, "The five parts of your case study"));
    sections.appendChild(el("p", { class: "kb-writer__help" }, "Write in plain English. You " +
      "can paste from a word processor. Start a new paragraph with an empty line."));
    described.sections.forEach(function (section) {
      sections.appendChild(leafControl({ kind: "section", help: section.prompt, required: true },
        ["section", section.id], section.heading));
    });
    form.appendChild(sections);
    finish(form);
    root.appendChild(form);
    root.appendChild(live);

    var restored = restore();
    form.addEventListener("input", function (event) {
      var key = keyOf(event.target);
      if (key && (controls[key].touched || event.target.type === "checkbox")) {
        controls[key].touched = true;
      }
      changed(null);
    });
    form.addEventListener("change", function (event) {
      var key = keyOf(event.target);
      if (key) controls[key].touched = true;
      changed(key);
    });
    form.addEventListener("focusout", function (event) {
      var key = keyOf(event.target);
      if (!key) return;
      var wasTouched = controls[key].touched;
      controls[key].touched = wasTouched || Boolean(controls[key].read());
      if (!wasTouched && controls[key].touched) changed(key);
    });
    if (restored) {
      Object.keys(controls).forEach(function (key) {
        var value = controls[key].read();
        controls[key].touched = Boolean(value && value.length);
      });
      live.textContent = "Your draft from earlier has been put back.";
    }
    changed(null);
    var fallback = document.getElementById("kb-writer-nojs");
    if (fallback) fallback.hidden = true;
  }

  fetch(root.getAttribute("data-fields"))
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(start)
    .catch(function (error) {
      if (window.console) console.error("kb writer:", error);
      root.textContent = "";
      root.appendChild(el("p", { role: "alert" }, "The writer could not start. Please use one " +
        "of the other ways below."));
    });
})();

"use strict";
// The catalog page: reads the catalog embedded in #catalog-data and draws one view at a time
// (overview, products, a product, lineage, search results) from the address's hash. Nothing
// is drawn before it is looked at, so that 10,000 products open as fast as ten. Contract text
// only ever becomes text nodes (never markup), and nothing is fetched.
(function () {
  var data = JSON.parse(document.getElementById("catalog-data").textContent);
  var products = data.products;
  var domains = data.domains;
  var view = document.getElementById("view");
  var search = document.getElementById("search");
  var SVG = "http://www.w3.org/2000/svg";
  var PAGE = 100;

  // Field flags, as catalog_page.rs packs them.
  var REQUIRED = 1, UNIQUE = 2, PRIMARY = 4, PII = 8, ENCRYPTED = 16, MASKED = 32, CRITICAL = 64;

  // Lineage, by product: who each reads from and who reads it.
  var upstream = products.map(function () { return []; });
  var downstream = products.map(function () { return []; });
  data.lineage.forEach(function (edge) {
    if (upstream[edge[1]] && downstream[edge[0]]) {
      upstream[edge[1]].push(edge);
      downstream[edge[0]].push(edge);
    }
  });

  // ---- small helpers -------------------------------------------------------------------

  /** An element with attributes and children (strings become text, never markup). */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "class") node.setAttribute("class", value);
      else if (name === "text") node.textContent = String(value);
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, String(value));
    });
  }
  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
  function plural(n, word, words) { return n + " " + (n === 1 ? word : (words || word + "s")); }
  function percent(share) { return Math.round(share * 100) + "%"; }
  function grade(share) { return share >= 0.9 ? "good" : share >= 0.6 ? "fair" : "poor"; }
  function domainName(index) {
    var d = domains[index];
    return d && d.domain !== null ? d.domain : "(no domain)";
  }
  function productName(p) { return p.name || p.key; }
  function productShare(p) { return p.counts[0] === 0 ? 1 : 0; }
  function productLink(index, text) {
    return el("a", { href: "#/product/" + index }, text === undefined ? productName(products[index]) : text);
  }
  function domainLink(index) {
    return el("a", { href: "#/products?domain=" + index }, domainName(index));
  }
  function badge(kind, text) { return el("span", { class: "badge " + kind }, text); }
  function shareBar(share, width) {
    width = width || 120;
    var filled = Math.max(0, Math.min(width, Math.round(share * width)));
    return svg("svg", { width: width, height: 12, viewBox: "0 0 " + width + " 12", role: "img", "aria-label": percent(share) + " without errors" },
      svg("rect", { x: 0, y: 0, width: width, height: 12, rx: 3, fill: "#e7eaf0" }),
      svg("rect", { x: 0, y: 0, width: filled, height: 12, rx: 3, fill: share >= 0.9 ? "#1e8a4c" : share >= 0.6 ? "#d08a17" : "#c0392b" }));
  }
  function table(headers, rows, attrs) {
    return el("table", attrs,
      el("thead", null, el("tr", null, headers.map(function (h) {
        return typeof h === "string" ? el("th", null, h) : el("th", { class: h.class }, h.text);
      }))),
      el("tbody", null, rows));
  }
  function td(content, attrs) { return el("td", attrs, content); }
  function show(title, content) {
    view.textContent = "";
    document.title = title + " · Data catalog";
    append(view, content);
  }
  /** Appends rows lazily: the first page now, the next when the user scrolls to the end. */
  function lazyRows(tbody, count, makeRow, after) {
    var shown = 0;
    var more = el("button", { type: "button", class: "more", "data-more": "" });
    function next() {
      var end = Math.min(count, shown + PAGE);
      var fragment = document.createDocumentFragment();
      for (; shown < end; shown++) fragment.appendChild(makeRow(shown));
      tbody.appendChild(fragment);
      if (shown >= count) { more.remove(); if (observer) observer.disconnect(); }
      else more.textContent = "Show more (" + (count - shown) + " left)";
    }
    more.addEventListener("click", next);
    var observer = null;
    if (typeof IntersectionObserver === "function") {
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) next();
      });
    }
    after.appendChild(more);
    next();
    if (observer && more.isConnected) observer.observe(more);
  }

  // ---- the header ----------------------------------------------------------------------

  var ctx = data.context;
  document.getElementById("context").textContent =
    plural(data.summary.products, "product") + " in " + plural(data.summary.domains, "domain") +
    " · policies: " + ctx.policies + " · waivers judged on " + ctx.today + " · " + ctx.generator;

  // ---- overview ------------------------------------------------------------------------

  function overview() {
    var s = data.summary;
    var share = s.products === 0 ? 1 : s.without_errors / s.products;
    var cards = el("div", { class: "cards", "data-summary": "" },
      card(s.products, "products", "products"),
      card(s.domains, "domains", "domains"),
      card(percent(share), "without errors", "share", grade(share)),
      card(s.errors, "errors", "errors", s.errors > 0 ? "poor" : "good"),
      card(s.warnings, "warnings", "warnings", s.warnings > 0 ? "fair" : null),
      card(s.waivers.expiring, "waivers expiring within " + ctx.warning_days + " days", "expiring", s.waivers.expiring > 0 ? "fair" : null),
      card(s.waivers.expired, "waivers expired", "expired", s.waivers.expired > 0 ? "poor" : null),
      card(s.lineage_edges, "lineage edges", "lineage"));

    // Domains, the furthest behind first.
    var order = domains.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      var da = domains[a], db = domains[b];
      return da.share_without_errors - db.share_without_errors || db.errors - da.errors || a - b;
    });
    var rows = order.map(function (i) {
      var d = domains[i];
      var g = grade(d.share_without_errors);
      var owners = d.owners.slice(0, 2).join(", ") + (d.owners.length > 2 ? " +" + (d.owners.length - 2) : "");
      return el("tr", { class: "row-" + g, "data-domain": domainName(i), "data-domain-index": i },
        td([el("span", { class: "dot " + g, title: g }), domainLink(i)]),
        td(d.products, { class: "num", "data-metric": "products" }),
        td([el("span", { "data-metric": "owners" }, d.owners.length), d.owners.length ? el("span", { class: "muted" }, " · " + owners) : null]),
        td(el("div", { class: "bar" }, shareBar(d.share_without_errors),
          el("span", null, el("span", { "data-metric": "without_errors" }, d.without_errors), "/" + d.products + " (" + percent(d.share_without_errors) + ")"))),
        td(d.errors, { class: "num", "data-metric": "errors" }),
        td(d.warnings, { class: "num", "data-metric": "warnings" }),
        td(d.waivers.expiring, { class: "num", "data-metric": "expiring" }),
        td(d.waivers.expired, { class: "num", "data-metric": "expired" }),
        td(d.unprotected_pii_fields, { class: "num", "data-metric": "unprotected_pii" }));
    });
    var scorecard = el("div", { class: "panel" },
      el("h3", { style: "margin-top:0" }, "Domains, furthest behind first"),
      el("div", { class: "legend" },
        el("span", null, el("span", { class: "dot good" }), "90% or more of products without errors"),
        el("span", null, el("span", { class: "dot fair" }), "60–89%"),
        el("span", null, el("span", { class: "dot poor" }), "under 60%")),
      table(["Domain", { text: "Products", class: "num" }, "Owners", "Products without errors",
        { text: "Errors", class: "num" }, { text: "Warnings", class: "num" },
        { text: "Waivers expiring", class: "num" }, { text: "Waivers expired", class: "num" },
        { text: "PII not protected", class: "num" }], rows, { id: "scorecard" }));

    var parts = [el("h2", null, "Overview"), cards, scorecard, byRule(order)];
    if (data.uncatalogued.length) {
      parts.push(el("div", { class: "panel" }, el("h3", { style: "margin-top:0" },
        plural(data.uncatalogued.length, "file") + " not catalogued"),
        table(["File", "Status", "Why"], data.uncatalogued.map(function (u) {
          var first = u.findings[0];
          return el("tr", null, td(el("code", null, u.file)), td(badge(u.status === "failed" ? "error" : "warning", u.status)),
            td(first ? first.rule + ": " + first.message + " (line " + first.line + ")" : ""));
        }))));
    }
    show("Overview", parts);
  }
  function card(value, label, metric, kind) {
    return el("div", { class: "card" + (kind ? " " + kind : ""), "data-card": metric },
      el("div", { class: "value" }, value), el("div", { class: "label" }, label));
  }

  /** Errors and warnings by rule, per domain: a heat map, the worst rules first. */
  function byRule(order) {
    var totals = {};
    domains.forEach(function (d) {
      d.by_rule.forEach(function (r) {
        var t = totals[r.rule] || (totals[r.rule] = { rule: r.rule, errors: 0, warnings: 0 });
        t.errors += r.errors; t.warnings += r.warnings;
      });
    });
    var rules = Object.keys(totals).map(function (k) { return totals[k]; });
    rules.sort(function (a, b) { return b.errors - a.errors || b.warnings - a.warnings || (a.rule < b.rule ? -1 : 1); });
    var panel = el("div", { class: "panel" }, el("h3", { style: "margin-top:0" }, "Errors and warnings by rule"));
    if (!rules.length) { panel.appendChild(el("p", { class: "empty" }, "No finding in any domain.")); return panel; }
    var columns = order.slice(0, 40);
    var shownRules = rules.slice(0, 25);
    var head = ["Rule"].concat(columns.map(function (i) { return domainName(i); }));
    var rows = shownRules.map(function (r) {
      return el("tr", { "data-rule": r.rule }, td(el("code", null, r.rule)), columns.map(function (i) {
        var found = domains[i].by_rule.filter(function (x) { return x.rule === r.rule; })[0];
        if (!found || (found.errors === 0 && found.warnings === 0)) return td("", { class: "cell" });
        var level = found.errors > 0
          ? "e" + Math.min(4, Math.ceil(Math.log(found.errors + 1) / Math.log(3)))
          : "w" + Math.min(2, Math.ceil(Math.log(found.warnings + 1) / Math.log(5)));
        var text = found.errors > 0 ? found.errors + (found.warnings ? " / " + found.warnings + "w" : "") : found.warnings + "w";
        return td(text, { class: "cell " + level, title: found.errors + " errors, " + found.warnings + " warnings" });
      }));
    });
    panel.appendChild(el("p", { class: "muted" }, "Unsuppressed findings: errors, and warnings marked w. Darker is worse."));
    panel.appendChild(table(head, rows, { class: "heat" }));
    if (rules.length > shownRules.length) panel.appendChild(el("p", { class: "muted" }, (rules.length - shownRules.length) + " more rules with fewer findings."));
    return panel;
  }

  // ---- products ------------------------------------------------------------------------

  function productList(params) {
    var domain = params.domain === undefined ? null : Number(params.domain);
    var errorsOnly = params.errors === "1";
    var chosen = [];
    for (var i = 0; i < products.length; i++) {
      if (domain !== null && products[i].domain !== domain) continue;
      if (errorsOnly && products[i].counts[0] === 0) continue;
      chosen.push(i);
    }
    var select = el("select", { "aria-label": "Domain", onchange: function () { go(this.value, errorsOnly); } },
      el("option", { value: "" }, "All domains"),
      domains.map(function (_, i) { return el("option", { value: i, selected: i === domain ? "selected" : null }, domainName(i)); }));
    var check = el("input", { type: "checkbox", checked: errorsOnly ? "checked" : null, onchange: function () { go(select.value, this.checked); } });
    function go(d, e) {
      location.hash = "#/products" + query({ domain: d === "" ? null : d, errors: e ? "1" : null });
    }
    var tbody = el("tbody");
    var t = el("table", { id: "products" }, el("thead", null, el("tr", null,
      el("th", null, "Product"), el("th", null, "Domain"), el("th", null, "Owner"), el("th", null, "Standard"),
      el("th", { class: "num" }, "Fields"), el("th", { class: "num" }, "Errors"), el("th", { class: "num" }, "Warnings"), el("th", null, "Status"))), tbody);
    var panel = el("div", { class: "panel" }, t);
    show("Products", [el("h2", null, domain === null ? "Products" : "Products of " + domainName(domain)),
      el("div", { class: "controls" }, select, el("label", null, check, " only products with errors"),
        el("span", { class: "muted", "data-count": chosen.length }, plural(chosen.length, "product"))), panel]);
    lazyRows(tbody, chosen.length, function (n) { return productRow(chosen[n]); }, panel);
  }
  function productRow(i) {
    var p = products[i];
    return el("tr", { "data-product": i },
      td(productLink(i)), td(domainLink(p.domain)), td(p.owner || ""), td(p.standard),
      td(p.fields.length, { class: "num" }),
      td(p.counts[0], { class: "num" }), td(p.counts[1], { class: "num" }),
      td(p.counts[0] > 0 ? badge("error", "errors") : p.counts[1] > 0 ? badge("warning", "warnings") : badge("ok", "compliant")));
  }

  // ---- one product ---------------------------------------------------------------------

  function product(index, params) {
    var p = products[index];
    if (!p) { show("Not found", el("p", { class: "empty" }, "No such product.")); return; }
    var meta = el("dl", { class: "meta" });
    [["Id", p.id], ["Domain", domainLink(p.domain)], ["Owner", p.owner], ["Standard", p.standard],
      ["Version", p.version], ["Status", p.status], ["File", el("code", null, p.file + ":" + p.line)],
      ["Tags", p.tags.length ? p.tags.join(", ") : null], ["Description", p.description]]
      .forEach(function (row) {
        if (row[1] === null || row[1] === undefined || row[1] === "") return;
        meta.appendChild(el("dt", null, row[0]));
        meta.appendChild(el("dd", null, row[1]));
      });
    var c = p.counts;
    var status = el("p", { "data-compliance": "" },
      c[0] ? badge("error", plural(c[0], "error")) : badge("ok", "no error"), " ",
      c[1] ? badge("warning", plural(c[1], "warning")) : null, " ",
      c[2] ? badge("info", plural(c[2], "info", "infos")) : null, " ",
      c[3] ? badge("plain", c[3] + " suppressed by waivers") : null);
    var parts = [el("h2", null, productName(p)), status, el("div", { class: "panel" }, meta)];

    parts.push(el("h3", null, "Service levels"));
    parts.push(p.sla.length
      ? el("div", { class: "panel" }, table(["Level", "Value", "Line"], p.sla.map(function (s) {
        return el("tr", null, td(s[0]), td(el("code", null, s[1])), td(s[2], { class: "num" }));
      })))
      : el("p", { class: "empty" }, "No service level declared."));

    parts.push(el("h3", null, plural(p.fields.length, "field")));
    if (p.fields.length) {
      var tbody = el("tbody");
      var fieldPanel = el("div", { class: "panel" }, el("table", { id: "fields" }, el("thead", null, el("tr", null,
        ["Field", "Type", "Keys", "Personal data", "Protection", "Classification", "Tags", "Line"].map(function (h) { return el("th", null, h); }))), tbody));
      parts.push(fieldPanel);
    } else {
      parts.push(el("p", { class: "empty" }, "No field."));
    }

    parts.push(el("h3", null, plural(p.ports.length, "port")));
    parts.push(p.ports.length
      ? el("div", { class: "panel" }, table(["Port", "Direction", "Type", "Server / location", "Contract", "Schema", "Line"], p.ports.map(function (port) {
        return el("tr", null, td(port[0] || ""), td(port[1]), td(port[2] || ""), td(port[3] || ""), td(port[4] ? el("code", null, port[4]) : ""),
          td(port[5] ? el("code", null, port[5]) : ""), td(port[6], { class: "num" }));
      })))
      : el("p", { class: "empty" }, "No port."));
    if (p.servers.length) {
      parts.push(el("h3", null, plural(p.servers.length, "server")));
      parts.push(el("div", { class: "panel" }, table(["Server", "Type", "Environment", "Line"], p.servers.map(function (s) {
        return el("tr", null, td(s[0] || ""), td(s[1] || ""), td(s[2] || ""), td(s[3], { class: "num" }));
      }))));
    }

    parts.push(el("h3", null, "Lineage"));
    parts.push(lineageOf(index));

    parts.push(el("h3", null, plural(p.findings.length, "finding")));
    parts.push(p.findings.length
      ? el("div", { class: "panel", id: "findings" }, p.findings.map(function (f) {
        return el("div", { class: "finding " + f[1] + (f[7] ? " is-suppressed" : "") },
          el("div", null, badge(f[7] ? "suppressed" : f[1], f[1]), " ", el("code", null, f[0]), " ", f[2]),
          el("div", { class: "muted mono" }, (f[9] || p.file) + ":" + f[3] + ":" + f[4] + (f[6] ? " · " + f[6] : "") + (f[7] ? " · suppressed by a waiver" : "")),
          f[5] ? el("pre", null, f[3] + " | " + f[5]) : null,
          f[8] ? el("div", { class: "help" }, "help: " + f[8]) : null);
      }))
      : el("p", { class: "empty" }, "No finding: the contract passes every rule."));

    if (p.waivers.length) {
      parts.push(el("h3", null, plural(p.waivers.length, "waiver")));
      parts.push(el("div", { class: "panel" }, table(["Rule", "Covers", "Reason", "Owner", "Expires", "State", "Line"], p.waivers.map(function (w) {
        var left = w[5] === null ? "" : w[5] < 0 ? " (" + plural(-w[5], "day") + " ago)" : " (in " + plural(w[5], "day") + ")";
        return el("tr", null, td(w[0] ? el("code", null, w[0]) : ""), td(w[1] || "every finding"), td(w[2] || ""), td(w[3] || ""),
          td((w[4] || "") + left), td(badge(w[6], w[6])), td(w[7], { class: "num" }));
      }))));
    }
    show(productName(p), parts);
    if (p.fields.length) {
      var highlight = params.field;
      lazyRows(tbody, p.fields.length, function (n) { return fieldRow(p.fields[n], highlight); }, fieldPanel);
      if (highlight) {
        var at = -1;
        for (var k = 0; k < p.fields.length; k++) if (p.fields[k][0] === highlight) { at = k; break; }
        while (at >= tbody.children.length && tbody.children.length < p.fields.length) {
          var more = fieldPanel.querySelector("[data-more]");
          if (!more) break;
          more.click();
        }
        var row = tbody.querySelector("tr.highlight");
        if (row) row.scrollIntoView({ block: "center" });
      }
    }
  }
  function fieldRow(f, highlight) {
    var flags = f[2];
    var keys = [];
    if (flags & PRIMARY) keys.push("primary key");
    if (flags & UNIQUE) keys.push("unique");
    if (flags & REQUIRED) keys.push("required");
    if (flags & CRITICAL) keys.push("critical");
    var pii = flags & PII;
    var protection = flags & ENCRYPTED ? badge("encrypted", "encrypted")
      : flags & MASKED ? badge("masked", "masked")
        : pii ? badge("exposed", "not protected") : el("span", { class: "muted" }, "—");
    return el("tr", { class: f[0] === highlight ? "highlight" : null, "data-field": f[0] },
      td(el("code", null, f[0]), { title: f[4] || null }), td(f[1] || ""), td(keys.join(", ")),
      td(pii ? badge("pii", "PII") : ""), td(protection), td(f[3] || ""), td(f[5]), td(f[6], { class: "num" }));
  }
  function lineageOf(index) {
    var up = upstream[index], down = downstream[index];
    if (!up.length && !down.length) return el("p", { class: "empty" }, "No product reads from or feeds this one through its ports.");
    var nodes = [index];
    up.forEach(function (e) { if (nodes.indexOf(e[0]) < 0) nodes.push(e[0]); });
    down.forEach(function (e) { if (nodes.indexOf(e[1]) < 0) nodes.push(e[1]); });
    var edges = up.concat(down);
    return el("div", { class: "panel" },
      el("p", null, "Reads from: ", up.length ? list(up.map(function (e) { return productLink(e[0]); })) : "nothing", "."),
      el("p", null, "Read by: ", down.length ? list(down.map(function (e) { return productLink(e[1]); })) : "nobody", "."),
      graph(nodes.map(function (i) { return { id: i, label: productName(products[i]), share: productShare(products[i]), href: "#/product/" + i, focus: i === index }; }),
        edges.map(function (e) { return { from: e[0], to: e[1], label: e[2] || "" }; })));
  }
  function list(items) {
    var out = [];
    items.forEach(function (item, n) { if (n) out.push(", "); out.push(item); });
    return out;
  }

  // ---- lineage -------------------------------------------------------------------------

  function lineage(params) {
    var domain = params.domain === undefined || params.domain === "" ? null : Number(params.domain);
    var select = el("select", { "aria-label": "Domain", onchange: function () {
      location.hash = "#/lineage" + query({ domain: this.value === "" ? null : this.value });
    } }, el("option", { value: "" }, "All domains, as domains"),
    domains.map(function (_, i) { return el("option", { value: i, selected: i === domain ? "selected" : null }, "Products of " + domainName(i)); }));
    var body;
    if (domain === null) {
      // Domains as nodes; an edge counts the product edges between two domains.
      var pairs = {};
      data.lineage.forEach(function (e) {
        var a = products[e[0]].domain, b = products[e[1]].domain;
        if (a === b) return;
        var k = a + ">" + b;
        pairs[k] = (pairs[k] || 0) + 1;
      });
      var edges = Object.keys(pairs).map(function (k) {
        var ab = k.split(">");
        return { from: Number(ab[0]), to: Number(ab[1]), label: String(pairs[k]) };
      });
      var nodes = domains.map(function (d, i) {
        return { id: i, label: domainName(i) + " (" + d.products + ")", share: d.share_without_errors, href: "#/lineage?domain=" + i };
      });
      body = [el("p", { class: "muted" }, "Each box is a domain, coloured by its share of products without errors; an arrow counts the products of one domain that read another's. Choose a domain to see its products."),
        graph(nodes, edges)];
    } else {
      var inDomain = [];
      products.forEach(function (p, i) { if (p.domain === domain) inDomain.push(i); });
      var chosen = {};
      var edgesOf = [];
      inDomain.forEach(function (i) { chosen[i] = true; });
      data.lineage.forEach(function (e) {
        if (chosen[e[0]] || chosen[e[1]]) edgesOf.push(e);
      });
      var ids = inDomain.slice();
      edgesOf.forEach(function (e) {
        [e[0], e[1]].forEach(function (i) { if (!chosen[i]) { chosen[i] = true; ids.push(i); } });
      });
      var limit = 150;
      var cut = ids.length > limit;
      if (cut) {
        var keep = {};
        ids = ids.slice(0, limit);
        ids.forEach(function (i) { keep[i] = true; });
        edgesOf = edgesOf.filter(function (e) { return keep[e[0]] && keep[e[1]]; });
      }
      body = [el("p", { class: "muted" }, "Products of " + domainName(domain) + " and the products they read from or feed, coloured green without errors, red with errors." +
        (cut ? " Only the first " + limit + " are drawn." : "")),
      edgesOf.length ? graph(ids.map(function (i) { return { id: i, label: productName(products[i]), share: productShare(products[i]), href: "#/product/" + i, focus: products[i].domain === domain }; }),
        edgesOf.map(function (e) { return { from: e[0], to: e[1], label: e[2] || "" }; }))
        : el("p", { class: "empty" }, "No product of this domain reads from or feeds another through its ports.")];
    }
    show("Lineage", [el("h2", null, "Lineage"), el("div", { class: "controls" }, select), el("div", { class: "panel" }, body)]);
  }

  /** A layered drawing: each node in the column after the furthest node that feeds it. */
  function graph(nodes, edges) {
    var byId = {};
    nodes.forEach(function (n) { byId[n.id] = n; n.layer = 0; n.into = []; });
    edges = edges.filter(function (e) { return byId[e.from] && byId[e.to] && e.from !== e.to; });
    edges.forEach(function (e) { byId[e.to].into.push(e.from); });
    // Longest path from a source, with cycles cut after as many rounds as there are nodes.
    for (var round = 0; round < nodes.length; round++) {
      var changed = false;
      edges.forEach(function (e) {
        var want = byId[e.from].layer + 1;
        if (want > byId[e.to].layer && want < nodes.length) { byId[e.to].layer = want; changed = true; }
      });
      if (!changed) break;
    }
    var layers = [];
    nodes.forEach(function (n) { (layers[n.layer] || (layers[n.layer] = [])).push(n); });
    layers = layers.filter(function (l) { return l; });
    var W = 190, H = 34, GX = 70, GY = 16, PAD = 12;
    var tallest = 0;
    layers.forEach(function (layer, x) {
      layer.forEach(function (n, y) { n.x = PAD + x * (W + GX); n.y = PAD + y * (H + GY); });
      tallest = Math.max(tallest, layer.length);
    });
    var width = PAD * 2 + layers.length * W + Math.max(0, layers.length - 1) * GX;
    var height = PAD * 2 + tallest * H + Math.max(0, tallest - 1) * GY;
    var root = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "lineage graph", "data-graph": "" },
      svg("defs", null, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#9aa5b8" }))));
    edges.forEach(function (e) {
      var a = byId[e.from], b = byId[e.to];
      var x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
      if (b.layer <= a.layer) { x1 = a.x + W / 2; y1 = a.y + H; x2 = b.x + W / 2; y2 = b.y + H; }
      var mx = (x1 + x2) / 2;
      var d = b.layer <= a.layer
        ? "M " + x1 + " " + y1 + " C " + x1 + " " + (y1 + 40) + " " + x2 + " " + (y2 + 40) + " " + x2 + " " + y2
        : "M " + x1 + " " + y1 + " C " + mx + " " + y1 + " " + mx + " " + y2 + " " + x2 + " " + y2;
      root.appendChild(svg("path", { class: "edge", d: d, "marker-end": "url(#arrow)" }, svg("title", null, e.label)));
      if (e.label && /^\d+$/.test(e.label)) root.appendChild(svg("text", { class: "edge-label", x: mx, y: (y1 + y2) / 2 - 4, "text-anchor": "middle" }, e.label));
    });
    nodes.forEach(function (n) {
      var label = n.label.length > 26 ? n.label.slice(0, 25) + "…" : n.label;
      var group = svg("g", { class: "node " + grade(n.share) + (n.focus ? " focus" : "") },
        svg("title", null, n.label),
        svg("rect", { x: n.x, y: n.y, width: W, height: H, rx: 7 }),
        svg("text", { x: n.x + 10, y: n.y + H / 2 + 4 }, label));
      root.appendChild(n.href ? svg("a", { href: n.href }, group) : group);
    });
    return el("div", { class: "graph" }, root);
  }

  // ---- search --------------------------------------------------------------------------

  var productText = null;
  function searchText(p) {
    return [p.name, p.id, p.key, domainName(p.domain), p.owner, p.description, p.standard, p.status, p.tags.join(" ")]
      .filter(function (x) { return x; }).join(" ").toLowerCase();
  }
  function results(q) {
    var words = q.toLowerCase().split(/\s+/).filter(function (w) { return w; });
    if (!productText) productText = products.map(searchText);
    function matches(text) { return words.every(function (w) { return text.indexOf(w) >= 0; }); }
    var found = [], fields = [];
    var LIMIT = 200;
    var totalFields = 0;
    for (var i = 0; i < products.length; i++) {
      if (matches(productText[i])) found.push(i);
      var p = products[i];
      for (var j = 0; j < p.fields.length; j++) {
        var f = p.fields[j];
        var text = (f[0] + " " + (f[1] || "") + " " + (f[3] || "") + " " + f[5] + (f[2] & PII ? " pii" : "")).toLowerCase();
        if (matches(text)) {
          totalFields++;
          if (fields.length < LIMIT) fields.push([i, j]);
        }
      }
    }
    var productRows = found.slice(0, LIMIT).map(productRow);
    var fieldRows = fields.map(function (hit) {
      var p = products[hit[0]], f = p.fields[hit[1]];
      return el("tr", { "data-hit-field": f[0] },
        td([productLink(hit[0]), " › ", el("a", { href: "#/product/" + hit[0] + "?field=" + encodeURIComponent(f[0]) }, el("code", null, f[0]))]),
        td(domainLink(p.domain)), td(f[1] || ""),
        td([f[2] & PII ? badge("pii", "PII") : "", " ", f[2] & ENCRYPTED ? badge("encrypted", "encrypted") : f[2] & MASKED ? badge("masked", "masked") : (f[2] & PII ? badge("exposed", "not protected") : "")]));
    });
    show("Search", [el("h2", null, "Results for “" + q + "”"),
      el("h3", { "data-results": "products", "data-count": found.length }, plural(found.length, "product")),
      found.length ? el("div", { class: "panel" }, table(["Product", "Domain", "Owner", "Standard", "Fields", "Errors", "Warnings", "Status"], productRows, { id: "product-results" }),
        found.length > LIMIT ? el("p", { class: "muted" }, "The first " + LIMIT + " are shown.") : null) : el("p", { class: "empty" }, "No product matches."),
      el("h3", { "data-results": "fields", "data-count": totalFields }, plural(totalFields, "field")),
      fields.length ? el("div", { class: "panel" }, table(["Field", "Domain", "Type", "Personal data"], fieldRows, { id: "field-results" }),
        totalFields > LIMIT ? el("p", { class: "muted" }, "The first " + LIMIT + " are shown.") : null) : el("p", { class: "empty" }, "No field matches.")]);
  }
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = search.value.trim();
      var target = q ? "#/search/" + encodeURIComponent(q) : "#/";
      if (location.hash !== target) location.hash = target;
    }, 150);
  });

  // ---- routing -------------------------------------------------------------------------

  function query(params) {
    var parts = Object.keys(params).filter(function (k) { return params[k] !== null && params[k] !== undefined; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]); });
    return parts.length ? "?" + parts.join("&") : "";
  }
  function parse(hash) {
    var h = hash.replace(/^#/, "") || "/";
    var at = h.indexOf("?");
    var path = at < 0 ? h : h.slice(0, at);
    var params = {};
    if (at >= 0) h.slice(at + 1).split("&").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv[0]) params[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1] || "");
    });
    return { path: path, params: params };
  }
  function route() {
    var r = parse(location.hash);
    var tab = "overview";
    var m;
    if ((m = /^\/product\/(\d+)$/.exec(r.path))) { tab = "products"; product(Number(m[1]), r.params); }
    else if (r.path === "/products") { tab = "products"; productList(r.params); }
    else if (r.path === "/lineage") { tab = "lineage"; lineage(r.params); }
    else if ((m = /^\/search\/(.*)$/.exec(r.path))) {
      tab = null;
      var q = decodeURIComponent(m[1]);
      if (search.value.trim() !== q) search.value = q;
      results(q);
    } else overview();
    if (!/^\/search\//.test(r.path) && search.value) search.value = "";
    Array.prototype.forEach.call(document.querySelectorAll("#tabs a"), function (a) {
      a.classList.toggle("active", a.getAttribute("data-tab") === tab);
    });
    if (!/^\/search\//.test(r.path)) window.scrollTo(0, 0);
  }
  window.addEventListener("hashchange", route);
  route();
  document.documentElement.setAttribute("data-ready", "true");
})();

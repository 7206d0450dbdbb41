/* Shared helpers for the explorer pages: tiers, colours, DOM building, fetching. */
"use strict";

const TW = (() => {
  const TIERS = ["1", "1or2", "2", "2WL", "3", "special"];
  const LABELS = {
    "1": "Tier 1",
    "1or2": "Tier 1 or 2",
    "2": "Tier 2",
    "2WL": "Tier 2 Watch List",
    "3": "Tier 3",
    "special": "Special case",
  };
  const SVGNS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "className") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) node.setAttribute(k, v);
    }
    return node;
  }

  async function getJSON(url) {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const msg = body && body.detail ? body.detail : `${res.status} ${res.statusText}`;
      throw new Error(msg);
    }
    return body;
  }

  function tierClass(tier) {
    return "tier-" + String(tier).replace(/[^A-Za-z0-9]/g, "");
  }

  function tierBadge(tier, basis) {
    const b = el("span", { className: "badge " + tierClass(tier), title: LABELS[tier] || tier },
      LABELS[tier] || tier);
    if (!basis) return b;
    return el("span", { className: "badge-wrap" }, b,
      el("span", { className: "basis basis-" + String(basis).replace(/[^a-z]+/g, "-"), title: basis === "deduced"
        ? "deduced from the sources, not read in one" : "read in a source" }, basis));
  }

  function legend(ul, withNoData) {
    ul.replaceChildren();
    for (const t of TIERS) {
      ul.append(el("li", {}, el("span", { className: "swatch " + tierClass(t) }), LABELS[t]));
    }
    if (withNoData) {
      ul.append(el("li", {}, el("span", { className: "swatch nodata" }), "No data for this year"));
      ul.append(el("li", {}, el("span", { className: "swatch deduced-swatch" }),
        "Dotted outline: tier deduced"));
    }
  }

  function isoLink(iso3, name) {
    return el("a", { href: "/country/" + encodeURIComponent(iso3) }, name || iso3);
  }

  /* A plain table from rows; columns = [key, header, render?]. */
  function table(rows, columns, opts) {
    if (!rows || rows.length === 0) {
      return el("p", { className: "empty" }, (opts && opts.empty) || "None in the store.");
    }
    if (!columns) {
      columns = Object.keys(rows[0]).map((k) => [k, k]);
    }
    const thead = el("thead", {}, el("tr", {}, columns.map(([, h]) => el("th", {}, h))));
    const tbody = el("tbody", {}, rows.map((r) => el("tr", {}, columns.map(([k, , render]) => {
      const v = render ? render(r) : r[k];
      if (v instanceof Node) return el("td", {}, v);
      if (v !== null && typeof v === "object") return el("td", {}, JSON.stringify(v));
      return el("td", {}, v === null || v === undefined ? "" : String(v));
    }))));
    return el("div", { className: "table-wrap" },
      el("table", { className: (opts && opts.className) || "data" }, thead, tbody));
  }

  async function provenance(footer) {
    try {
      const body = await getJSON("/api/meta");
      const m = body.meta;
      const list = el("ul", { className: "sources" }, (body.data.sources || []).map((s) =>
        el("li", {}, `${s.id}: ${s.publisher || ""} — licence: ${s.licence || "not stated"}`)));
      footer.replaceChildren(
        el("p", {}, el("strong", {}, "Source: "), m.source, ". ",
          el("strong", {}, "Licence: "), m.licence),
        el("p", { className: "muted" }, `Store built ${m.store_built} · tipwatch ${m.tipwatch}`),
        el("details", {}, el("summary", {}, "Sources and their licences"), list));
    } catch (e) {
      footer.textContent = "Provenance unavailable: " + e.message;
    }
  }

  return { TIERS, LABELS, el, svg, getJSON, tierClass, tierBadge, legend, isoLink, table,
    provenance };
})();

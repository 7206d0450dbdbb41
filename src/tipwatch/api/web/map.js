/* The world map coloured by tier for a chosen report year, with the tier table beside it. */
"use strict";

(() => {
  const { el, svg, getJSON, tierClass, tierBadge, LABELS, TIERS } = TW;
  // Entities ranked in some reports that no longer exist as one shape on today's map.
  const COMPOSITES = { ANT: ["CUW", "SXM", "ABW", "BES"], SCG: ["SRB", "MNE", "XKX"] };

  const state = { shapes: null, years: [], nodes: {}, token: 0, ranked: new Set() };

  function drawMap(shapes) {
    const [x0, y0, w, h] = shapes.viewBox;
    const root = svg("svg", { viewBox: `${x0} ${y0} ${w} ${h}`, id: "world", role: "img",
      "aria-label": "World map" });
    root.append(svg("rect", { x: x0, y: y0, width: w, height: h, class: "sea" }));
    const land = svg("g", { class: "land" });
    const dots = svg("g", { class: "dots" });
    for (const [iso3, c] of Object.entries(shapes.countries)) {
      let node;
      if (c.d) {
        node = svg("path", { d: c.d, "data-iso3": iso3, class: "country nodata" });
        land.append(node);
      } else {
        node = svg("circle", { cx: c.label[0], cy: c.label[1], r: 2.6, "data-iso3": iso3,
          class: "country dot nodata" });
        dots.append(node);
      }
      node.dataset.name = c.name;
      state.nodes[iso3] = node;
    }
    root.append(land, dots);
    root.addEventListener("click", (ev) => {
      const t = ev.target.closest("[data-iso3]");
      if (t && state.ranked.has(t.dataset.iso3)) {
        window.location.href = "/country/" + encodeURIComponent(t.dataset.iso3);
      }
    });
    const tip = document.getElementById("tooltip");
    root.addEventListener("mousemove", (ev) => {
      const t = ev.target.closest("[data-iso3]");
      if (!t) { tip.hidden = true; return; }
      const tier = t.dataset.tier;
      tip.textContent = `${t.dataset.name}: ` + (tier
        ? `${LABELS[tier] || tier} (${t.dataset.basis})`
        : state.ranked.has(t.dataset.iso3) ? "no data for this year"
          : "not ranked in any report");
      tip.style.left = ev.offsetX + 14 + "px";
      tip.style.top = ev.offsetY + 8 + "px";
      tip.hidden = false;
    });
    root.addEventListener("mouseleave", () => { tip.hidden = true; });
    document.getElementById("map").replaceChildren(root);
  }

  function paint(rows) {
    for (const [iso3, node] of Object.entries(state.nodes)) {
      node.setAttribute("class", (node.tagName === "circle" ? "country dot" : "country") +
        " nodata" + (state.ranked.has(iso3) ? "" : " unranked"));
      delete node.dataset.tier;
      delete node.dataset.basis;
      node.replaceChildren(svg("title"));
      node.firstChild.textContent = `${node.dataset.name}: ` + (state.ranked.has(iso3)
        ? "no data for this year" : "not ranked in any report");
    }
    for (const r of rows) {
      const targets = state.nodes[r.iso3] ? [r.iso3] : (COMPOSITES[r.iso3] || []);
      for (const iso of targets) {
        const node = state.nodes[iso];
        if (!node) continue;
        const base = node.tagName === "circle" ? "country dot" : "country";
        node.setAttribute("class", `${base} ${tierClass(r.tier)}` +
          (r.basis === "deduced" ? " deduced" : ""));
        node.dataset.tier = r.tier;
        node.dataset.basis = r.basis;
        node.firstChild.textContent =
          `${r.country}: ${LABELS[r.tier] || r.tier} (${r.basis}; source: ${r.source})`;
      }
    }
  }

  function tierTable(rows) {
    const box = document.getElementById("tier-table");
    box.replaceChildren();
    for (const t of TIERS) {
      const inTier = rows.filter((r) => r.tier === t);
      if (inTier.length === 0) continue;
      const list = el("ul", { className: "tier-list" }, inTier.map((r) => el("li", {
        "data-iso3": r.iso3 }, TW.isoLink(r.iso3, r.country),
        r.basis === "deduced" ? el("span", { className: "basis basis-deduced",
          title: "deduced from the sources" }, "deduced") : null)));
      box.append(el("section", { className: "tier-group", "data-tier": t },
        el("h3", {}, el("span", { className: "swatch " + tierClass(t) }),
          `${LABELS[t]} (${inTier.length})`), list));
    }
    if (rows.length === 0) box.append(el("p", { className: "empty" }, "No placements."));
  }

  const ROUTINE = new Set(["watch_list_streak", "special_case", "gap"]);

  function changesTable(year, rows, audit) {
    const why = {};
    for (const e of audit) {
      if (ROUTINE.has(e.event)) continue;
      (why[e.iso3] = why[e.iso3] || new Set()).add(String(e.event).replaceAll("_", " "));
    }
    document.getElementById("changes-title").textContent =
      `Changes from the previous report to ${year}`;
    const box = document.getElementById("changes");
    box.replaceChildren(TW.table(rows, [
      ["country", "Country", (r) => TW.isoLink(r.iso3, r.country)],
      ["previous_year", "Previous report"],
      ["from_tier", "From", (r) => tierBadge(r.from_tier)],
      ["to_tier", "To", (r) => tierBadge(r.to_tier)],
      ["direction", "Direction"],
      ["audit", "Audit", (r) => why[r.iso3] ? [...why[r.iso3]].join(", ") : ""],
      ["reasons_text", "The narrative's reasons", (r) => r.reasons_text || ""],
    ], { empty: "No changes found (or no earlier report in the store)." }));
  }

  // the events a reader looks for first, then the rest in alphabetical order
  const EVENT_ORDER = ["auto_downgrade", "waiver", "state_policy_or_pattern", "violation",
    "post_downgrade_cap", "watch_list_streak", "special_case", "gap"];

  function eventRank(e) {
    const i = EVENT_ORDER.indexOf(e);
    return i < 0 ? EVENT_ORDER.length : i;
  }

  function auditTable(year, rows) {
    state.audit = rows;
    document.getElementById("audit-title").textContent = `Audit of the ${year} report`;
    const counts = {};
    for (const r of rows) counts[r.event] = (counts[r.event] || 0) + 1;
    const kinds = Object.keys(counts).sort((a, b) => eventRank(a) - eventRank(b) ||
      a.localeCompare(b));
    const sel = document.getElementById("event-filter");
    const keep = sel.value;
    sel.replaceChildren(el("option", { value: "" }, `all events (${rows.length})`),
      ...kinds.map((k) => el("option", { value: k }, `${k.replaceAll("_", " ")} (${counts[k]})`)));
    const preferred = kinds.includes(keep) ? keep
      : kinds.find((k) => k === "auto_downgrade" || k === "waiver") || "";
    sel.value = preferred;
    renderAudit();
  }

  function renderAudit() {
    const kind = document.getElementById("event-filter").value;
    const rows = (state.audit || []).filter((r) => !kind || r.event === kind)
      .sort((a, b) => eventRank(a.event) - eventRank(b.event) ||
        String(a.name).localeCompare(String(b.name)));
    document.getElementById("audit").replaceChildren(TW.table(rows, [
      ["name", "Country", (r) => TW.isoLink(r.iso3, r.name || r.iso3)],
      ["event", "Event", (r) => String(r.event).replaceAll("_", " ")],
      ["tier", "Tier", (r) => r.tier ? tierBadge(r.tier, r.basis) : ""],
      ["detail", "What and why"],
      ["statute", "Law"],
    ], { empty: "No audit events recorded for this year." }));
  }

  async function show(year) {
    const info = state.years.find((y) => String(y.year) === String(year));
    const status = document.getElementById("status");
    document.getElementById("year").value = String(year);
    history.replaceState(null, "", "#year=" + year);
    if (!info) { status.textContent = `No report year ${year} in the store.`; return; }
    document.getElementById("table-title").textContent = `Tiers in the ${year} report`;
    if (info.status === "missing" || info.n_placements === 0) {
      state.token++;
      paint([]);
      tierTable([]);
      document.getElementById("counts").replaceChildren();
      document.getElementById("changes").replaceChildren();
      document.getElementById("audit").replaceChildren();
      status.className = "status warn";
      status.textContent = `The ${year} report's tier list is missing from the store: ` +
        "the map shows no data rather than a guess.";
      document.body.dataset.year = String(year);
      return;
    }
    const token = ++state.token;
    const [tiers, changes, audit] = await Promise.all([
      getJSON(`/api/tiers?year=${year}`), getJSON(`/api/changes?year=${year}`),
      getJSON(`/api/audit?year=${year}`)]);
    if (token !== state.token) return; // a later choice of year is on its way
    auditTable(year, audit.data);
    paint(tiers.data);
    tierTable(tiers.data);
    changesTable(year, changes.data, audit.data);
    const counts = document.getElementById("counts");
    counts.replaceChildren(...TIERS.filter((t) => tiers.counts[t]).map((t) =>
      el("span", { className: "count" }, el("span", { className: "swatch " + tierClass(t) }),
        `${LABELS[t]}: ${tiers.counts[t]}`)));
    if (info.status === "partial") {
      status.className = "status warn";
      status.textContent = `The ${year} report is only partly in the store ` +
        `(${info.n_placements} placements): countries without one show as no data.`;
    } else {
      status.className = "status";
      status.textContent = `${info.n_placements} placements in the ${year} report.`;
    }
    document.body.dataset.year = String(year);
  }

  async function main() {
    TW.legend(document.getElementById("legend"), true);
    TW.provenance(document.getElementById("provenance"));
    try {
      const [shapes, years, countries] = await Promise.all([getJSON("/shapes/world.json"),
        getJSON("/api/years"), getJSON("/api/countries")]);
      state.ranked = new Set(countries.data.map((c) => c.iso3));
      // old entities are ranked through the shapes of their successors
      for (const [old, parts] of Object.entries(COMPOSITES)) {
        if (state.ranked.has(old)) parts.forEach((p) => state.ranked.add(p));
      }
      state.shapes = shapes;
      state.years = years.data;
      drawMap(shapes);
      const sel = document.getElementById("year");
      for (const y of state.years.slice().reverse()) {
        const note = y.status === "complete" ? "" : ` (${y.status})`;
        sel.append(el("option", { value: String(y.year) }, `${y.year}${note}`));
      }
      sel.addEventListener("change", () => show(sel.value).catch(fail));
      document.getElementById("event-filter").addEventListener("change", renderAudit);
      const step = (d) => {
        const list = state.years.map((y) => String(y.year));
        const i = list.indexOf(document.body.dataset.year || sel.value) + d;
        if (i >= 0 && i < list.length) show(list[i]).catch(fail);
      };
      document.getElementById("year-prev").addEventListener("click", () => step(-1));
      document.getElementById("year-next").addEventListener("click", () => step(1));
      window.addEventListener("hashchange", () => {
        const m = /year=(\d{4})/.exec(window.location.hash);
        if (m && m[1] !== document.body.dataset.year) show(m[1]).catch(fail);
      });
      const fromHash = /year=(\d{4})/.exec(window.location.hash);
      // the default is the newest report year, partial or not: its status line says what is known
      await show(fromHash ? fromHash[1] : state.years.at(-1).year);
    } catch (e) {
      fail(e);
    }
  }

  function fail(e) {
    const status = document.getElementById("status");
    status.className = "status error";
    status.textContent = "Could not load: " + e.message;
  }

  main();
})();

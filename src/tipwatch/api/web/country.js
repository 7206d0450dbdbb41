/* A country page: tier timeline, streaks, placements, audit events, facts, links. */
"use strict";

(() => {
  const { el, svg, getJSON, tierClass, tierBadge, LABELS } = TW;
  // Rows of the timeline, top (best) to bottom.
  const ROWS = ["1", "1or2", "2", "2WL", "3", "special"];

  function chart(history, years) {
    const first = Math.min(...years.map((y) => y.year));
    const last = Math.max(...years.map((y) => y.year));
    const W = 900, H = 250, left = 130, right = 16, top = 14, bottom = 34;
    const x = (yr) => left + ((yr - first) / Math.max(1, last - first)) * (W - left - right);
    const y = (tier) => top + ROWS.indexOf(tier) * ((H - top - bottom) / (ROWS.length - 1));
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, id: "timeline", role: "img",
      "aria-label": "Tier by report year" });
    const byYear = new Map(history.map((h) => [h.year, h]));
    // years with no placement in the store: a grey band (unknown is not a tier)
    for (let yr = first; yr <= last; yr++) {
      if (!byYear.has(yr)) {
        const step = (W - left - right) / Math.max(1, last - first);
        root.append(svg("rect", { x: x(yr) - step / 2, y: top - 8, width: step,
          height: H - top - bottom + 16, class: "gap" }));
      }
    }
    for (const t of ROWS) {
      root.append(svg("line", { x1: left - 6, x2: W - right, y1: y(t), y2: y(t), class: "grid" }));
      const lab = svg("text", { x: left - 12, y: y(t) + 4, "text-anchor": "end", class: "axis" });
      lab.textContent = LABELS[t];
      root.append(lab);
    }
    for (let yr = first; yr <= last; yr++) {
      if ((yr - first) % 2 !== 0 && yr !== last) continue;
      const lab = svg("text", { x: x(yr), y: H - 10, "text-anchor": "middle", class: "axis" });
      lab.textContent = String(yr);
      root.append(lab);
    }
    // line segments between consecutive years only
    for (const h of history) {
      const next = byYear.get(h.year + 1);
      if (next) {
        root.append(svg("line", { x1: x(h.year), y1: y(h.tier), x2: x(next.year),
          y2: y(next.tier), class: "step" }));
      }
    }
    for (const h of history) {
      const dot = svg("circle", { cx: x(h.year), cy: y(h.tier), r: 6,
        class: `point ${tierClass(h.tier)}` + (h.basis === "deduced" ? " deduced" : ""),
        "data-year": h.year, "data-tier": h.tier });
      const title = svg("title");
      title.textContent = `${h.year}: ${LABELS[h.tier] || h.tier} (${h.basis}; ${h.source})`;
      dot.append(title);
      root.append(dot);
    }
    return root;
  }

  function chartLegend(ul) {
    ul.replaceChildren(
      el("li", {}, el("span", { className: "swatch tier-2" }), "filled: tier read in a source"),
      el("li", {}, el("span", { className: "swatch deduced-swatch" }), "hollow: tier deduced"),
      el("li", {}, el("span", { className: "swatch gap-swatch" }), "grey band: no placement in the store"));
  }

  function factValue(f) {
    const names = { cited_country: true };
    let v = f.value === null || f.value === undefined ? "" : String(f.value);
    if (names[f.kind] && /^[A-Z]{3}$/.test(v)) return TW.isoLink(v, v);
    if (v.startsWith("{")) {
      try {
        const obj = JSON.parse(v);
        v = Array.isArray(obj.topics) ? "#" + obj.index + ": " + (obj.topics.join(", ") || "no topic") : Object.entries(obj)
          .filter(([, x]) => x !== null && x !== false && x !== "")
          .map(([k, x]) => `${k.replaceAll("_", " ")}: ${x}`).join("; ");
      } catch (e) { /* not JSON: shown as it is */ }
    }
    if (f.direction) v += ` (${f.direction})`;
    if (f.note) v += ` — ${f.note}`;
    return v;
  }

  function locator(f) {
    let text = String(f.doc_id || f.source || "");
    if (f.section) text += ` § ${f.section}`;
    if (f.start !== null && f.start !== undefined) text += ` [${f.start}–${f.end}]`;
    return text;
  }

  /* Facts per report year (rows) and kind (columns). */
  function factsPivot(summary) {
    const kinds = [...new Set(summary.map((s) => s.kind))].sort();
    const years = [...new Set(summary.map((s) => s.year))].sort((a, b) => b - a);
    const n = new Map(summary.map((s) => [`${s.year}|${s.kind}`, s.n]));
    const rows = years.map((y) => {
      const row = { year: y };
      for (const k of kinds) row[k] = n.get(`${y}|${k}`) || "";
      return row;
    });
    return TW.table(rows, [["year", "Year"],
      ...kinds.map((k) => [k, k.replaceAll("_", " ")])], { className: "data pivot" });
  }

  function totalFacts(d) {
    return (d.facts_summary || []).reduce((n, s) => n + s.n, 0);
  }

  function evidenceLink(value) {
    if (!value) return "";
    const text = String(value);
    // links are shown as text with the address: the explorer itself never loads them
    return el("span", { className: "evidence", title: text }, text.length > 60
      ? text.slice(0, 57) + "…" : text);
  }

  function render(d, years) {
    document.title = `tipwatch — ${d.name}`;
    document.getElementById("country-name").textContent = d.name;
    const region = d.region ? `State Department region ${d.region}` : "region not recorded";
    document.getElementById("country-meta").textContent =
      `${d.iso3} · ${region}` + (d.cow ? ` · COW ${d.cow}` : "") +
      (d.first_year ? ` · ranked ${d.first_year}–${d.last_year}` : " · never ranked");
    const cur = document.getElementById("current");
    if (d.current) {
      cur.replaceChildren(`In the ${d.current.year} report: `,
        tierBadge(d.current.tier, d.current.basis), ` (source: ${d.current.source})`);
      const streak = (d.streaks || []).find((s) => s.current);
      if (streak && streak.text) {
        cur.append(el("span", { id: "current-streak", className: "streak" }, ` — ${streak.text}`));
      }
    } else if (d.standing) {
      cur.textContent = `Now: ${d.standing.text}.`;
    } else {
      cur.textContent = "No placement in the store.";
    }
    const pop = document.getElementById("policy-or-pattern");
    if (pop) {
      const found = d.policy_or_pattern || [];
      pop.replaceChildren(...(found.length ? [
        el("strong", {}, "Government policy or pattern of trafficking: "),
        `on the official list of ${found.map((p) => p.year).join(", ")} `,
        "(22 U.S.C. 7106(b)(3)(B): by law Tier 3).",
      ] : []));
      pop.hidden = !found.length;
    }
    document.getElementById("history-chart").replaceChildren(chart(d.history || [], years));
    chartLegend(document.getElementById("chart-legend"));
    document.getElementById("streaks").replaceChildren(TW.table(d.streaks || [], [
      ["tier", "Tier", (r) => tierBadge(r.tier)],
      ["first_year", "From"],
      ["last_year", "To"],
      ["length", "Reports"],
      ["text", "Streak", (r) => r.text || ""],
    ], { empty: "No streaks." }));
    document.getElementById("history-table").replaceChildren(TW.table(d.history, [
      ["year", "Year"],
      ["tier", "Tier", (r) => tierBadge(r.tier, r.basis)],
      ["source", "Source"],
      ["evidence", "Evidence and notes", (r) => el("span", {},
        evidenceLink(r.evidence), r.evidence && r.note ? " " : "",
        r.note ? el("span", { className: "note", title: r.note },
          r.note.length > 90 ? r.note.slice(0, 87) + "…" : r.note) : "")],
    ], { className: "data history", empty: "No placements." }));
    document.getElementById("events").replaceChildren(TW.table(d.events, [
      ["year", "Year"],
      ["event", "Event", (r) => el("span", { className: "event event-" + r.event },
        String(r.event).replaceAll("_", " "))],
      ["tier", "Tier", (r) => r.tier ? tierBadge(r.tier, r.basis) : ""],
      ["detail", "What and why"],
      ["statute", "Law"],
      ["evidence", "Evidence", (r) => evidenceLink(r.evidence)],
    ], { empty: "No audit events recorded for this country." }));
    document.getElementById("facts-summary").replaceChildren(d.facts_summary.length
      ? factsPivot(d.facts_summary)
      : el("p", { className: "empty" }, "No facts extracted for this country."));
    document.getElementById("facts").replaceChildren(d.facts.length
      ? TW.table(d.facts, [
        ["year", "Year"],
        ["kind", "Kind", (r) => String(r.kind).replaceAll("_", " ")],
        ["value", "Value", (r) => factValue(r)],
        ["source", "Text"],
        ["locator", "Locator", (r) => el("code", { className: "locator" }, locator(r))],
        ["quote", "Quote", (r) => r.quote ? el("q", {}, r.quote) : ""],
      ], { className: "data facts" }) : "");
    if (d.facts.length && d.facts.length < totalFacts(d)) {
      document.getElementById("facts").append(el("p", { className: "muted" },
        `${d.facts.length} most recent of ${totalFacts(d)} facts shown; all of them: `,
        el("a", { href: `/api/facts?country=${d.iso3}&format=csv` }, "CSV"), " · ",
        el("a", { href: `/api/facts?country=${d.iso3}` }, "JSON")));
    }
    const linkRows = (rows) => TW.table(rows, [
      ["name", "Country", (r) => TW.isoLink(r.iso3, r.name)],
      ["n", "Report years"],
      ["first_year", "First"],
      ["last_year", "Last"],
    ], { empty: "None found." });
    document.getElementById("cites").replaceChildren(linkRows(d.cites));
    document.getElementById("cited-by").replaceChildren(linkRows(d.cited_by));
    document.getElementById("flows-from").replaceChildren(linkRows(d.flows_from || []));
    document.getElementById("flows-to").replaceChildren(linkRows(d.flows_to || []));
    document.body.dataset.iso3 = d.iso3;
  }

  async function main() {
    TW.provenance(document.getElementById("provenance"));
    const ident = decodeURIComponent(window.location.pathname.split("/").filter(Boolean).at(-1));
    try {
      const [country, years] = await Promise.all([
        getJSON("/api/countries/" + encodeURIComponent(ident)), getJSON("/api/years")]);
      render(country.data, years.data);
    } catch (e) {
      document.getElementById("country-name").textContent = "Could not load this country";
      document.getElementById("country-meta").textContent = e.message;
    }
  }

  main();
})();

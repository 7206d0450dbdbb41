/* A country page's multi-year sections: law-enforcement counts (chart + table) and
   recommendations across years. Reads /api/countries/{id}/series and /recommendations. */
"use strict";

(() => {
  const { el, svg } = TW;
  const MEASURES = ["investigations", "prosecutions", "convictions", "victims_identified"];
  const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

  function chart(rows) {
    const pts = rows.filter((r) => r.value !== null && r.value !== undefined);
    if (pts.length === 0) return el("p", { className: "empty" }, "No counts in the store.");
    const years = [...new Set(pts.map((r) => r.year))].sort((a, b) => a - b);
    const max = Math.max(1, ...pts.map((r) => r.value));
    const W = 640, H = 220, L = 48, B = 28, T = 10, R = 150;
    const lo = years[0], hi = years[years.length - 1];
    const x = (y) => L + (hi === lo ? (W - L - R) / 2 : ((y - lo) * (W - L - R)) / (hi - lo));
    const yv = (v) => T + (H - T - B) * (1 - v / max);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": "Law-enforcement counts per report year", class: "series-chart" });
    root.append(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#999" }));
    for (const y of years) {
      const t = svg("text", { x: x(y), y: H - 8, "text-anchor": "middle", "font-size": 11 });
      t.textContent = y;
      root.append(t);
    }
    const top = svg("text", { x: L - 6, y: T + 8, "text-anchor": "end", "font-size": 11 });
    top.textContent = max;
    root.append(top);
    MEASURES.forEach((m, i) => {
      const mine = pts.filter((r) => r.measure === m).sort((a, b) => a.year - b.year);
      if (mine.length === 0) return;
      const d = mine.map((r, k) => `${k ? "L" : "M"}${x(r.year)},${yv(r.value)}`).join(" ");
      root.append(svg("path", { d, fill: "none", stroke: COLOURS[i], "stroke-width": 2 }));
      for (const r of mine) {
        const c = svg("circle", { cx: x(r.year), cy: yv(r.value), r: 3.5, fill: COLOURS[i] });
        const title = svg("title", {});
        title.textContent = `${m} ${r.year}: ${r.value}` +
          (r.prior_check === "mismatch" ? ` (the next report quotes another figure)` : "");
        c.append(title);
        root.append(c);
      }
      const label = svg("text", { x: W - R + 8, y: T + 14 + 16 * i, "font-size": 12,
        fill: COLOURS[i] });
      label.textContent = m.replace("_", " ");
      root.append(label);
    });
    return el("div", { className: "chart" }, root);
  }

  function section(id, title, note) {
    const box = el("div", { id });
    const s = el("section", {}, el("h2", {}, title), el("p", { className: "muted" }, note), box);
    document.querySelector("main").append(s);
    return box;
  }

  async function show(ident) {
    const series = section("series", "Law-enforcement counts over the years",
      "Investigations, prosecutions, convictions and victims identified, as each year's " +
      "narrative states them; a figure the next narrative quotes differently is flagged.");
    const recs = section("recommendations", "Recommendations across years",
      "Each year's recommendations linked to the previous year's: repeated, modified, new " +
      "or dropped, with the year each first appeared.");
    const [s, r] = await Promise.all([
      TW.getJSON(`/api/countries/${encodeURIComponent(ident)}/series`),
      TW.getJSON(`/api/countries/${encodeURIComponent(ident)}/recommendations`),
    ]);
    series.replaceChildren(chart(s.data), TW.table(s.data, [
      ["year", "Year"], ["measure", "Measure"], ["value", "Figure"],
      ["prior_value", "Previous year, as quoted"],
      ["prior_check", "Check", (x) => x.prior_check === "mismatch"
        ? el("strong", {}, `mismatch (${x.previous_value} in that year's report)`)
        : (x.prior_check || "")],
      ["doc_id", "Document"],
    ], { empty: "No law-enforcement counts in the store." }));
    const d = r.data;
    const summary = [];
    if (d.carry_over_rate !== null) {
      summary.push(`Carry-over rate: ${Math.round(100 * d.carry_over_rate)}%.`);
    }
    if (d.oldest_still_repeated) {
      summary.push(`Oldest still repeated: first made in ${d.oldest_still_repeated.first_year}.`);
    }
    recs.replaceChildren(el("p", {}, summary.join(" ")),
      TW.table([...d.rows].sort((a, b) => b.year - a.year), [
        ["year", "Year"], ["index", "#"], ["status", "Status"],
        ["previous_index", "Previous #"], ["first_year", "First made"],
        ["topics", "Topics", (x) => (x.topics || []).join(", ")],
        ["text", "Text (when at hand)"],
      ], { empty: "No recommendations in the store." }));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const ident = decodeURIComponent(window.location.pathname.split("/").filter(Boolean).at(-1));
    show(ident).catch((e) => {
      document.querySelector("main").append(el("p", { className: "error" }, e.message));
    });
  });
})();

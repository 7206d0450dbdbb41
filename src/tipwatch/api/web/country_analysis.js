/* A country page's foresight section: the forecast of the next report with its reasons, and
   the consistency check of its placements (docs/analysis.md). */
"use strict";

(() => {
  const { el, getJSON, LABELS } = TW;
  const pct = (p) => (p === null || p === undefined ? "" : Math.round(100 * p) + "%");

  function renderForecast(box, d) {
    if (!d.forecast) {
      box.replaceChildren(el("p", { className: "empty" }, "No forecast: " + d.why_none));
      return;
    }
    const f = d.forecast;
    const served = Object.entries(d.served || {}).map(([k, v]) =>
      `${k}: ${v.replace("_", " ")}`).join(", ");
    box.replaceChildren(
      el("p", { className: "forecast-summary" }, f.summary),
      TW.table([f], [
        ["tier_before", `Tier in ${d.from_report}`, (r) => LABELS[r.tier_before] || r.tier_before],
        ["p_down", "Downgrade", (r) => pct(r.p_down)],
        ["p_same", "No change", (r) => pct(r.p_same)],
        ["p_up", "Upgrade", (r) => pct(r.p_up)],
      ], { className: "data forecast" }),
      el("p", {}, el("strong", {}, "Raises the chance of a downgrade: "),
        (f.reasons_down || []).join("; ") || "nothing stands out"),
      el("p", {}, el("strong", {}, "Raises the chance of an upgrade: "),
        (f.reasons_up || []).join("; ") || "nothing stands out"),
      el("p", { className: "muted" }, `Trained on the reports ${d.trained_on[0]}–` +
        `${d.trained_on[1]}; served from ${served}. ` + (d.notes || []).join(" ")));
  }

  function renderConsistency(box, d) {
    const rows = d.rows || [];
    const flags = d.flags || [];
    box.replaceChildren(
      el("p", { className: "muted" }, `Tier expected from each narrative's own facts (tier ` +
        `statement left out; 0 = Tier 1 … 3 = Tier 3). A placement that differs by at least ` +
        `${d.threshold} is marked "${d.wording}".`),
      TW.table(rows, [
        ["year", "Year"],
        ["tier", "Tier", (r) => LABELS[r.tier] || r.tier],
        ["expected_rank", "Expected"],
        ["residual", "Residual"],
        ["note", "Reading", (r) => (r.unexplained ? `${r.direction}: ${r.note}` : "")],
      ], { empty: "No narrative of this country has enough extracted facts to be scored." }),
      TW.table(flags, [
        ["year", "Year"],
        ["flag", "Flag", (r) => r.flag.replaceAll("_", " ")],
        ["detail", "What"],
      ], { empty: "No rule flags." }));
  }

  async function main() {
    const ident = decodeURIComponent(window.location.pathname.split("/").filter(Boolean).at(-1));
    const fbox = document.getElementById("forecast");
    const cbox = document.getElementById("consistency");
    if (!fbox || !cbox) return;
    const base = "/api/countries/" + encodeURIComponent(ident);
    try {
      renderForecast(fbox, (await getJSON(base + "/forecast")).data);
    } catch (e) {
      fbox.replaceChildren(el("p", { className: "error" }, "Forecast unavailable: " + e.message));
    }
    try {
      renderConsistency(cbox, (await getJSON(base + "/consistency")).data);
    } catch (e) {
      cbox.replaceChildren(el("p", { className: "error" },
        "Consistency check unavailable: " + e.message));
    }
  }

  main();
})();

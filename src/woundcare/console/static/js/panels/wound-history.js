// A wound across visits: a chart of its area and PUSH score (hand-drawn SVG, no library), the
// figures as a table, and a photo beside an earlier visit's photo, both rectified onto the
// marker's plane at the same scale (so the same centimetre is the same size on screen).
import { useEffect } from "../../vendor/preact-hooks.mjs";
import { useSignal } from "../../vendor/signals.mjs";
import { html } from "../html.js";
import { request } from "../api.js";
import { day } from "../wording.js";

const enc = encodeURIComponent;
const PX_PER_CM = 20;
const fmt = (v, d = 2) => (v == null ? "—" : Number(v).toFixed(d));
const rectifiedUrl = (caseId, artifactId) =>
  `/api/session/${enc(caseId)}/photos/${enc(artifactId)}/rectified?px_per_cm=${PX_PER_CM}`;

export function TrendChart({ points }) {
  const data = points.filter((p) => p.area_used_cm2 != null);
  if (!data.length) return html`<p class="muted">No measured visit yet.</p>`;
  const W = 560, H = 230, L = 48, R = 40, T = 30, B = 34; // T: room for the units above the axes
  const t0 = new Date(data[0].at).getTime();
  const days = data.map((p) => (new Date(p.at).getTime() - t0) / 86400000);
  const maxDay = Math.max(1, ...days);
  const maxArea = Math.max(...data.map((p) => p.area_used_cm2)) * 1.15 || 1;
  const x = (d) => L + (d / maxDay) * (W - L - R);
  const yA = (a) => T + (1 - a / maxArea) * (H - T - B);
  const yP = (s) => T + (1 - s / 17) * (H - T - B);
  const areaPath = data.map((p, i) => `${i ? "L" : "M"}${x(days[i]).toFixed(1)},${yA(p.area_used_cm2).toFixed(1)}`).join(" ");
  const withPush = data.map((p, i) => [p, days[i]]).filter(([p]) => p.push);
  const pushPath = withPush.map(([p, d], i) => `${i ? "L" : "M"}${x(d).toFixed(1)},${yP(p.push.total).toFixed(1)}`).join(" ");
  const ticks = [0, 0.5, 1].map((f) => f * maxArea);
  return html`<figure class="trend" id="trend-chart">
    <svg viewBox=${`0 0 ${W} ${H}`} width="100%" role="img"
      aria-label=${`Wound area over ${data.length} measured ${data.length === 1 ? "visit" : "visits"}${withPush.length ? ", with PUSH total" : ""}`}>
      <line class="axis" x1=${L} y1=${H - B} x2=${W - R} y2=${H - B} />
      <line class="axis" x1=${L} y1=${T} x2=${L} y2=${H - B} />
      ${ticks.map((a) => html`<g><line class="grid" x1=${L} x2=${W - R} y1=${yA(a)} y2=${yA(a)} />
        <text class="tick" x=${L - 6} y=${yA(a) + 4} text-anchor="end">${fmt(a, 1)}</text></g>`)}
      <text class="axis-label" x="4" y=${T - 14}>cm²</text>
      ${withPush.length ? html`<text class="axis-label" x=${W - R + 4} y=${T - 14}>PUSH</text>
        <text class="tick" x=${W - R + 4} y=${yP(17) + 4}>17</text><text class="tick" x=${W - R + 4} y=${yP(0) + 4}>0</text>` : ""}
      ${data.map((p, i) => html`<text class="tick" x=${x(days[i])} y=${H - B + 16} text-anchor="middle">${`day ${Math.round(days[i])}`}</text>`)}
      <path class="area-line" d=${areaPath} />
      ${data.map((p, i) => html`<circle class="area-dot" cx=${x(days[i])} cy=${yA(p.area_used_cm2)} r="4"><title>${`${fmt(p.area_used_cm2)} cm²`}</title></circle>`)}
      ${withPush.length ? html`<path class="push-line" d=${pushPath} />` : ""}
      ${withPush.map(([p, d]) => html`<rect class="push-dot" x=${x(d) - 3} y=${yP(p.push.total) - 3} width="6" height="6"><title>${`PUSH ${p.push.total}`}</title></rect>`)}
    </svg>
    <figcaption class="small"><span class="key key-area"></span> area (traced, or length × width for a ruler-only visit)
      ${withPush.length ? html` <span class="key key-push"></span> PUSH total` : ""}</figcaption>
  </figure>`;
}

const daysText = (d) => {
  const n = Math.round(Number(d));
  return `${n} ${n === 1 ? "day" : "days"}`;
};

/** One plain sentence about the change since the first measured visit (figures only). */
function summaryText(s, measured) {
  if (s.reduction_from_baseline_pct == null || measured < 2) return "Change from the first measured visit: not available yet (it needs two measured visits).";
  const over = s.days_since_baseline == null ? "" : ` over ${daysText(s.days_since_baseline)}`;
  const pct = Number(s.reduction_from_baseline_pct);
  const change = pct >= 0 ? `${fmt(pct, 1)} % smaller` : `${fmt(-pct, 1)} % larger`;
  const weekly = s.change_per_week_cm2 == null ? "" : `; last change ${fmt(s.change_per_week_cm2)} cm² per week`;
  return `Change from the first measured visit: ${change}${over}${weekly}.`;
}

function HistoryTable({ history }) {
  const s = history.summary;
  return html`<div class="table-wrap"><table class="case-table history-table">
    <caption class="small">${summaryText(s, history.points.filter((p) => p.area_used_cm2 != null).length)}</caption>
    <thead><tr><th>Visit</th><th>Date</th><th>Method</th><th>Area (cm²)</th><th>Change from first</th><th>Change from previous</th><th>PUSH</th></tr></thead>
    <tbody>${history.points.map((p) => html`<tr data-case=${p.case_id}>
      <td>${p.visit_number}</td><td class="nowrap">${day(p.at)}</td>
      <td>${p.method === "traced_outline" ? "traced" : p.method === "ruler_length_width" ? "ruler L × W" : "—"}</td>
      <td>${fmt(p.area_used_cm2)}</td>
      <td>${p.reduction_from_baseline_pct == null ? "—" : `${fmt(-p.reduction_from_baseline_pct, 1)} %`}</td>
      <td>${p.reduction_from_previous_pct == null ? "—" : `${fmt(-p.reduction_from_previous_pct, 1)} %`}</td>
      <td>${p.push ? p.push.total : "—"}</td></tr>`)}</tbody>
  </table></div>`;
}

function Compare({ snap, history }) {
  const wound = snap.record.wound || {};
  const mine = (wound.measurement && wound.measurement.photo_artifact_id)
    || ((wound.photos || []).find((p) => (p.quality || {}).scale === "pass") || {}).artifact_id;
  const earlier = history.points.filter((p) => p.case_id !== snap.case_id && p.photo_artifact_id);
  const pick = useSignal(null);
  if (!mine || !earlier.length) return html`<p class="small muted">Side-by-side comparison needs a photo with the marker at this visit and at an earlier one.</p>`;
  const other = earlier.find((p) => p.case_id === pick.value) || earlier[earlier.length - 1];
  return html`<div class="compare" id="photo-compare">
    <div class="field"><label for="compare-with">Compare with</label>
      <select id="compare-with" onChange=${(e) => { pick.value = e.currentTarget.value; }}>
        ${earlier.map((p) => html`<option value=${p.case_id} selected=${p.case_id === other.case_id}>Visit ${p.visit_number} (${day(p.at)})</option>`)}
      </select></div>
    <p class="small">Both photos are shown straight on at the same scale (${PX_PER_CM} px per cm), turned to the marker's axes.</p>
    <div class="compare-pair">
      <figure><img src=${rectifiedUrl(other.case_id, other.photo_artifact_id)} alt=${`Visit ${other.visit_number}, to scale`} />
        <figcaption>Visit ${other.visit_number}: ${fmt(other.area_used_cm2)} cm²</figcaption></figure>
      <figure><img src=${rectifiedUrl(snap.case_id, mine)} alt="This visit, to scale" />
        <figcaption>This visit${wound.measurement && wound.measurement.area_cm2 != null ? `: ${fmt(wound.measurement.area_cm2)} cm²` : ""}</figcaption></figure>
    </div>
  </div>`;
}

export function WoundHistory({ snap }) {
  const woundId = snap.record.wound_id;
  const history = useSignal(null);
  const failed = useSignal(false);
  useEffect(() => {
    if (!woundId) return;
    let live = true;
    request("GET", `/api/wounds/${enc(woundId)}/history`)
      .then((h) => { if (live) { history.value = h; failed.value = false; } })
      .catch(() => { if (live) failed.value = true; });
    return () => { live = false; };
  }, [woundId, snap.version]);
  if (!woundId) return "";
  return html`<section class="wound-history" aria-labelledby="history-title">
    <h4 id="history-title">This wound over time</h4>
    ${failed.value ? html`<p class="msg error">The wound's history could not be loaded.</p>`
      : !history.value ? html`<p class="muted">Loading…</p>`
      : html`<${TrendChart} points=${history.value.points} />
        <${HistoryTable} history=${history.value} />
        <${Compare} snap=${snap} history=${history.value} />`}
  </section>`;
}

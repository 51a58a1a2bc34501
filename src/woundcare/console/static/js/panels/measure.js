// Wound measurement in the imaging step: trace the wound's outline on a photo taken beside
// the calibration marker (pointer and touch: drag to draw, tap to add a point, drag a point to
// move it, zoom), the server measures it on the marker's plane; hand entries (ruler length x
// width, depth, undermining, tunnelling); wound type, stage, aetiology, periwound skin and the
// body site; PUSH with its attribution; the wound's history (chart and side-by-side photos).
import { useEffect } from "../../vendor/preact-hooks.mjs";
import { useSignal } from "../../vendor/signals.mjs";
import { html } from "../html.js";
import { api, request } from "../api.js";
import { write } from "../actions.js";
import { busy, notify } from "../store.js";
import { BodyMap, siteLabel } from "../components/body-map.js";
import { WoundHistory } from "./wound-history.js";

const enc = encodeURIComponent;
export const WOUND_TYPES = [
  ["pressure_injury", "Pressure injury"], ["venous_leg_ulcer", "Venous leg ulcer"],
  ["arterial_ulcer", "Arterial ulcer"], ["diabetic_foot_ulcer", "Diabetic foot ulcer"],
  ["surgical_wound", "Surgical wound"], ["traumatic_wound", "Traumatic wound"], ["burn", "Burn"],
  ["skin_tear", "Skin tear"], ["moisture_associated", "Moisture-associated skin damage"], ["other", "Other"]];
const STAGES = [["stage_1", "Stage 1"], ["stage_2", "Stage 2"], ["stage_3", "Stage 3"], ["stage_4", "Stage 4"],
  ["unstageable", "Unstageable"], ["deep_tissue_injury", "Deep tissue injury"]];
const PERIWOUND = [["intact", "Intact"], ["macerated", "Macerated"], ["erythematous", "Erythematous"],
  ["indurated", "Indurated"], ["dry_scaly", "Dry / scaly"], ["excoriated", "Excoriated"],
  ["callused", "Callused"], ["oedematous", "Oedematous"]];
const CLOCK = Array.from({ length: 12 }, (_, i) => [String(i + 1), `${i + 1} o'clock`]);
const fmt = (v, digits = 2) => (v == null ? "—" : Number(v).toFixed(digits));

/** Photo pixel coordinates of a pointer event on the SVG (its viewBox is the photo's size). */
function toPhoto(svg, event) {
  const pt = svg.createSVGPoint();
  pt.x = event.clientX;
  pt.y = event.clientY;
  const p = pt.matrixTransform(svg.getScreenCTM().inverse());
  return [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10];
}

function TraceTool({ snap, photo, readOnly, initial }) {
  const size = useSignal(null); // [w, h] of the photo
  const zoom = useSignal(1);
  const points = useSignal(initial || []);
  const drag = useSignal(null); // {mode: "draw"|"move", index, moved}
  const preview = useSignal(null);
  const url = api.artifactUrl(snap.case_id, photo.artifact_id);
  useEffect(() => {
    const img = new Image();
    img.onload = () => { size.value = [img.naturalWidth, img.naturalHeight]; };
    img.src = url;
    points.value = initial || [];
    preview.value = null;
  }, [photo.artifact_id]);
  if (!size.value) return html`<p class="muted">Loading the photo…</p>`;
  const [w, h] = size.value;
  const fit = Math.min(1, 720 / w);
  const shown = Math.round(w * fit * zoom.value);
  const handle = Math.max(w, h) / 300 / zoom.value;
  const onDown = (e) => {
    if (readOnly) return;
    const svg = e.currentTarget;
    svg.setPointerCapture(e.pointerId);
    const at = toPhoto(svg, e);
    const index = points.value.findIndex(([x, y]) => Math.hypot(x - at[0], y - at[1]) < handle * 3);
    drag.value = index >= 0 ? { mode: "move", index, moved: false } : { mode: "draw", moved: false, start: at };
    if (index < 0) points.value = [...points.value, at];
    e.preventDefault();
  };
  const onMove = (e) => {
    const d = drag.value;
    if (!d) return;
    const at = toPhoto(e.currentTarget, e);
    if (d.mode === "move") {
      const next = points.value.slice();
      next[d.index] = at;
      points.value = next;
    } else {
      const last = points.value[points.value.length - 1];
      if (!last || Math.hypot(at[0] - last[0], at[1] - last[1]) >= Math.max(2, 3 / zoom.value / fit)) {
        points.value = [...points.value, at];
      }
    }
    drag.value = { ...d, moved: true };
    e.preventDefault();
  };
  const onUp = () => { drag.value = null; preview.value = null; };
  const measureNow = async () => {
    const res = await write("measure", `photos/${enc(photo.artifact_id)}/measure`, { outline: points.value });
    if (res && res.record) notify("The wound was measured on the marker's plane.", "info");
  };
  const check = async () => {
    try {
      preview.value = await request("POST",
        `/api/session/${enc(snap.case_id)}/photos/${enc(photo.artifact_id)}/measure/preview`,
        { json: { outline: points.value } });
    } catch (err) {
      notify((err.problem && err.problem.detail) || "The outline could not be measured.", "error");
    }
  };
  const pts = points.value.map(([x, y]) => `${x},${y}`).join(" ");
  return html`<div class="trace">
    <div class="trace-tools" role="toolbar" aria-label="Tracing tools">
      <button type="button" class="secondary small" onClick=${() => { zoom.value = Math.min(8, zoom.value * 1.5); }}>Zoom in</button>
      <button type="button" class="secondary small" onClick=${() => { zoom.value = Math.max(0.5, zoom.value / 1.5); }}>Zoom out</button>
      ${readOnly ? "" : html`
        <button type="button" class="secondary small" disabled=${!points.value.length}
          onClick=${() => { points.value = points.value.slice(0, -1); }}>Undo point</button>
        <button type="button" class="secondary small" disabled=${!points.value.length}
          onClick=${() => { points.value = []; preview.value = null; }}>Clear outline</button>`}
      <span class="hint" aria-live="polite">${points.value.length} ${points.value.length === 1 ? "point" : "points"}</span>
    </div>
    <div class="trace-stage" tabindex="0" aria-label="Photo for tracing; scroll to pan">
      <svg class="trace-svg" viewBox=${`0 0 ${w} ${h}`} width=${shown} height=${Math.round(h * shown / w)}
        role="img" aria-label="Wound photo with the traced outline"
        onPointerDown=${onDown} onPointerMove=${onMove} onPointerUp=${onUp} onPointerCancel=${onUp}>
        <image href=${url} x="0" y="0" width=${w} height=${h} />
        ${points.value.length > 1 ? html`<polygon class="trace-outline" points=${pts}
          stroke-width=${handle / 2} />` : ""}
        ${points.value.map(([x, y], i) => html`<circle class="trace-point" cx=${x} cy=${y} r=${handle}
          data-index=${i} />`)}
      </svg>
    </div>
    ${readOnly ? "" : html`<div class="row-buttons">
      <button type="button" class="secondary" disabled=${points.value.length < 3} onClick=${check}>Check size</button>
      <button type="button" class="primary" id="measure-save" disabled=${points.value.length < 3 || !!busy.value}
        onClick=${measureNow}>${busy.value === "measure" ? "Measuring…" : "Measure and save"}</button>
    </div>`}
    ${preview.value ? html`<p class="msg info" role="status">
      ${preview.value.area_cm2 == null ? "The marker in this photo cannot be used for measuring."
        : `Area ${fmt(preview.value.area_cm2)} cm², length ${fmt(preview.value.length_cm)} cm, width ${fmt(preview.value.width_cm)} cm (not saved yet).`}</p>` : ""}
  </div>`;
}

export function MeasurementSummary({ snap }) {
  const m = (snap.record.wound || {}).measurement;
  if (!m) return html`<p class="muted" id="measurement-summary">Not measured yet.</p>`;
  const traced = m.method === "traced_outline";
  return html`<dl class="measurement" id="measurement-summary" data-method=${m.method}>
    <dt>Method</dt><dd>${traced ? "Traced on the photo beside the calibration marker" : "Ruler: length × width as measured"}</dd>
    ${traced ? html`<dt>Area</dt><dd data-field="area">${fmt(m.area_cm2)} cm²</dd>
      <dt>Perimeter</dt><dd>${fmt(m.perimeter_cm)} cm</dd>` : ""}
    <dt>Length</dt><dd data-field="length">${fmt(m.length_cm)} cm</dd>
    <dt>Width</dt><dd data-field="width">${fmt(m.width_cm)} cm</dd>
    ${!traced && m.length_cm != null ? html`<dt>Length × width</dt><dd>${fmt(m.length_cm * m.width_cm)} cm² (ruler estimate, larger than the true area)</dd>` : ""}
    <dt>Convention</dt><dd>${traced ? "Length: longest diameter; width: greatest extent perpendicular to it" : "As measured with the ruler"}</dd>
    <dt>Depth</dt><dd>${m.depth_cm == null ? "—" : `${fmt(m.depth_cm, 1)} cm`}</dd>
    <dt>Undermining</dt><dd>${(m.undermining || []).length ? m.undermining.map((u) => `${u.from_clock}–${u.to_clock} o'clock, ${fmt(u.depth_cm, 1)} cm`).join("; ") : "—"}</dd>
    <dt>Tunnelling</dt><dd>${(m.tunnelling || []).length ? m.tunnelling.map((t) => `${t.clock} o'clock, ${fmt(t.depth_cm, 1)} cm`).join("; ") : "—"}</dd>
  </dl>`;
}

export function PushBox({ snap }) {
  if (!snap.push_enabled) return "";
  const p = snap.push;
  return html`<section class="subpanel push" aria-labelledby="push-title" id="push-score">
    <h3 id="push-title">PUSH 3.0</h3>
    ${p ? html`<p><strong data-field="push-total">${p.total}</strong> of 17
      (area ${p.area_score}, exudate ${p.exudate_score}, tissue ${p.tissue_score}; length × width ${fmt(p.area_cm2_used, 1)} cm²)</p>`
      : html`<p class="muted">Computed once length, width, exudate and tissue types are documented.</p>`}
    <p class="small attribution">${p ? p.attribution : "PUSH Tool 3.0 © National Pressure Injury Advisory Panel (NPIAP, formerly NPUAP). Free for non-commercial use with credit to the NPIAP; commercial use requires the NPIAP's permission."}</p>
  </section>`;
}

function num(v) {
  const n = Number(v);
  return v === "" || v == null || !Number.isFinite(n) ? null : n;
}

function HandEntries({ readOnly }) {
  const ruler = useSignal({ length: "", width: "" });
  const depth = useSignal("");
  const under = useSignal([]);
  const tunnels = useSignal([]);
  const save = async () => {
    const body = {};
    if (ruler.value.length !== "" || ruler.value.width !== "") {
      body.ruler_length_cm = num(ruler.value.length);
      body.ruler_width_cm = num(ruler.value.width);
    }
    if (depth.value !== "") body.depth_cm = num(depth.value);
    if (under.value.length) body.undermining = under.value.map((u) => ({ from_clock: Number(u.from), to_clock: Number(u.to), depth_cm: num(u.depth) }));
    if (tunnels.value.length) body.tunnelling = tunnels.value.map((t) => ({ clock: Number(t.clock), depth_cm: num(t.depth) }));
    if (!Object.keys(body).length) { notify("Enter a measurement first.", "warning"); return; }
    const res = await write("manual-measurement", "imaging", { manual_measurement: body });
    if (res && res.record) { ruler.value = { length: "", width: "" }; depth.value = ""; under.value = []; tunnels.value = []; }
  };
  const edit = (list, i, key) => (e) => {
    const next = list.value.slice();
    next[i] = { ...next[i], [key]: e.currentTarget.value };
    list.value = next;
  };
  if (readOnly) return "";
  return html`<fieldset class="hand-entries">
    <legend>Measured by hand</legend>
    <div class="row">
      <div class="field"><label for="ruler-length">Ruler length (cm)</label>
        <input id="ruler-length" type="number" min="0" step="0.1" inputmode="decimal" value=${ruler.value.length}
          onInput=${(e) => { ruler.value = { ...ruler.value, length: e.currentTarget.value }; }} /></div>
      <div class="field"><label for="ruler-width">Ruler width (cm)</label>
        <input id="ruler-width" type="number" min="0" step="0.1" inputmode="decimal" value=${ruler.value.width}
          onInput=${(e) => { ruler.value = { ...ruler.value, width: e.currentTarget.value }; }} /></div>
    </div>
    <p class="hint">A ruler length and width replace a traced size; depth, undermining and tunnelling are kept with either.</p>
    <div class="field"><label for="depth">Depth (cm)</label>
      <input id="depth" type="number" min="0" step="0.1" inputmode="decimal" value=${depth.value}
        onInput=${(e) => { depth.value = e.currentTarget.value; }} /></div>
    <p class="small">Clock positions: 12 o'clock points to the patient's head.</p>
    ${under.value.map((u, i) => html`<div class="row3" data-undermining=${i}>
      <div class="field"><label for=${`uf-${i}`}>Undermining from</label>
        <select id=${`uf-${i}`} onChange=${edit(under, i, "from")}>${CLOCK.map(([v, l]) => html`<option value=${v} selected=${u.from === v}>${l}</option>`)}</select></div>
      <div class="field"><label for=${`ut-${i}`}>to</label>
        <select id=${`ut-${i}`} onChange=${edit(under, i, "to")}>${CLOCK.map(([v, l]) => html`<option value=${v} selected=${u.to === v}>${l}</option>`)}</select></div>
      <div class="field"><label for=${`ud-${i}`}>depth (cm)</label>
        <input id=${`ud-${i}`} type="number" min="0" step="0.1" value=${u.depth} onInput=${edit(under, i, "depth")} /></div>
    </div>`)}
    ${tunnels.value.map((t, i) => html`<div class="row3" data-tunnel=${i}>
      <div class="field"><label for=${`tc-${i}`}>Tunnel at</label>
        <select id=${`tc-${i}`} onChange=${edit(tunnels, i, "clock")}>${CLOCK.map(([v, l]) => html`<option value=${v} selected=${t.clock === v}>${l}</option>`)}</select></div>
      <div class="field"><label for=${`td-${i}`}>depth (cm)</label>
        <input id=${`td-${i}`} type="number" min="0" step="0.1" value=${t.depth} onInput=${edit(tunnels, i, "depth")} /></div>
    </div>`)}
    <div class="row-buttons">
      <button type="button" class="secondary small" onClick=${() => { under.value = [...under.value, { from: "12", to: "3", depth: "" }]; }}>Add undermining</button>
      <button type="button" class="secondary small" onClick=${() => { tunnels.value = [...tunnels.value, { clock: "12", depth: "" }]; }}>Add tunnel</button>
      <button type="button" class="primary" disabled=${!!busy.value} onClick=${save}>Save hand measurements</button>
    </div>
  </fieldset>`;
}

function WoundDetails({ snap, readOnly }) {
  const wound = snap.record.wound || {};
  const type = useSignal(wound.wound_type || "");
  const stage = useSignal(wound.pressure_injury_stage || "");
  const aetiology = useSignal(wound.aetiology || "");
  const peri = useSignal((wound.periwound || {}).condition || []);
  const site = useSignal(wound.body_site || null);
  useEffect(() => {
    type.value = wound.wound_type || "";
    stage.value = wound.pressure_injury_stage || "";
    aetiology.value = wound.aetiology || "";
    peri.value = (wound.periwound || {}).condition || [];
    site.value = wound.body_site || null;
  }, [snap.version]);
  const toggle = (value) => (e) => {
    const on = e.currentTarget.checked;
    let next = peri.value.filter((v) => v !== value);
    if (on) next = value === "intact" ? ["intact"] : [...next.filter((v) => v !== "intact"), value];
    peri.value = next;
  };
  // These details are saved with their button (not on every change): say so while a choice
  // on the form (a body site tapped, a type chosen) differs from the record.
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const changed = !same(type.value || null, wound.wound_type) || !same(site.value, wound.body_site)
    || !same(aetiology.value.trim() || null, wound.aetiology)
    || !same(peri.value.length ? peri.value : null, ((wound.periwound || {}).condition || []).length ? wound.periwound.condition : null)
    || (type.value === "pressure_injury" && !same(stage.value || null, wound.pressure_injury_stage));
  const save = () => write("wound-details", "imaging", {
    wound_type: type.value || null,
    pressure_injury_stage: type.value === "pressure_injury" && stage.value ? stage.value : null,
    aetiology: aetiology.value.trim() || null,
    periwound: peri.value.length ? { condition: peri.value } : null,
    body_site: site.value,
  });
  return html`<fieldset class="wound-details" disabled=${readOnly}>
    <legend>Wound type, site and surrounding skin</legend>
    <div class="row">
      <div class="field"><label for="wound-type">Wound type</label>
        <select id="wound-type" onChange=${(e) => { type.value = e.currentTarget.value; }}>
          <option value="" selected=${!type.value}>Not recorded</option>
          ${WOUND_TYPES.map(([v, l]) => html`<option value=${v} selected=${type.value === v}>${l}</option>`)}
        </select></div>
      ${type.value === "pressure_injury" ? html`<div class="field"><label for="pi-stage">Stage (NPIAP)</label>
        <select id="pi-stage" onChange=${(e) => { stage.value = e.currentTarget.value; }}>
          <option value="" selected=${!stage.value}>Not recorded</option>
          ${STAGES.map(([v, l]) => html`<option value=${v} selected=${stage.value === v}>${l}</option>`)}
        </select></div>` : html`<span></span>`}
    </div>
    <div class="field"><label for="aetiology">Aetiology</label>
      <input id="aetiology" type="text" maxlength="200" value=${aetiology.value}
        onInput=${(e) => { aetiology.value = e.currentTarget.value; }} /></div>
    <fieldset class="checks"><legend>Periwound skin</legend>
      ${PERIWOUND.map(([v, l]) => html`<label class="check-inline"><input type="checkbox" value=${v}
        checked=${peri.value.includes(v)} onChange=${toggle(v)} /> ${l}</label>`)}
    </fieldset>
    <${BodyMap} value=${site.value} disabled=${readOnly} onChange=${(v) => { site.value = v; }} />
    <p class="small" id="body-site-label" aria-live="polite">Body site: ${site.value ? siteLabel(site.value) : "not chosen"}</p>
    ${readOnly ? "" : html`<div class="save-row">
      <button type="button" class="primary" disabled=${!!busy.value} onClick=${save}>Save wound details</button>
      <span class="small unsaved-note" role="status">${changed ? "Not saved yet: these details are kept once you save them." : ""}</span></div>`}
  </fieldset>`;
}

export function MeasurePanel({ snap, readOnly }) {
  const wound = snap.record.wound || {};
  const photos = (wound.photos || []).filter((p) => (p.quality || {}).scale === "pass");
  const m = wound.measurement;
  const chosen = useSignal(null);
  const current = photos.find((p) => p.artifact_id === chosen.value)
    || photos.find((p) => m && p.artifact_id === m.photo_artifact_id) || photos[0];
  const initial = m && current && m.photo_artifact_id === current.artifact_id ? m.outline : null;
  return html`<section class="subpanel measure-panel" aria-labelledby="measure-title">
    <h3 id="measure-title">Measurement</h3>
    ${photos.length ? html`
      ${photos.length > 1 ? html`<div class="field"><label for="measure-photo">Photo to trace</label>
        <select id="measure-photo" onChange=${(e) => { chosen.value = e.currentTarget.value; }}>
          ${photos.map((p, i) => html`<option value=${p.artifact_id} selected=${current && p.artifact_id === current.artifact_id}>Photo with marker ${i + 1}</option>`)}
        </select></div>` : ""}
      <p class="small">Trace the wound's edge: drag to draw, tap to add a point, drag a point to move it. The size is computed on the marker's plane, so a photo taken at an angle is measured straight on.</p>
      <${TraceTool} snap=${snap} photo=${current} readOnly=${readOnly} initial=${initial} />`
      : html`<p class="msg info">Take a photo with the calibration marker (print it from <a href="/api/marker.pdf" download>the marker page</a>) flat beside the wound to trace and measure it; otherwise enter a ruler length and width.</p>`}
    <${MeasurementSummary} snap=${snap} />
    <${HandEntries} readOnly=${readOnly} />
    <${PushBox} snap=${snap} />
    <${WoundDetails} snap=${snap} readOnly=${readOnly} />
    <${WoundHistory} snap=${snap} />
  </section>`;
}

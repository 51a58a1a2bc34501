// Wound imaging: upload or capture photos; each photo's quality checklist with neutral
// retake requests; orientation and site; an override with a reason; photography declined.
import { useSignal } from "../../vendor/signals.mjs";
import { html } from "../html.js";
import { api } from "../api.js";
import { upload, write } from "../actions.js";
import { ActionBlockers } from "../components/blockers.js";
import { SelectField, TextField } from "../components/fields.js";
import { Messages } from "../components/messages.js";
import { fieldId } from "../paths.js";
import { busy, notify, valueAt } from "../store.js";
import { choices, RETAKE } from "../wording.js";
import { ConsentFields } from "./consent.js";
import { MeasurePanel } from "./measure.js";
import { openPhoto, PhotoViewer } from "../components/photo-viewer.js";

const ORIENTATION = choices("Orientation");
// Each check says its result in words (not only a mark and a colour): "Marker: retake".
const CHECKS = [["framing", "Framing"], ["focus", "Focus"], ["lighting", "Lighting"], ["scale", "Marker"], ["identifier", "Case label"]];
const MARK = { pass: "✓", fail: "✗", unknown: "?" };
const WORD = { pass: "OK", fail: "retake", unknown: "not checked" };

function PhotoCard({ snap, photo, index, readOnly, feedback }) {
  const q = photo.quality || {};
  const failed = CHECKS.filter(([k]) => q[k] === "fail");
  const fromServer = (snap.retake_requests || {})[photo.artifact_id];
  const prompts = fromServer || (feedback && feedback.length ? feedback : failed.map(([k]) => RETAKE[k]));
  const passes = !failed.length && ["framing", "focus", "lighting"].every((k) => q[k] === "pass");
  // Removing a photo cannot be undone (the file is deleted): ask first, in place.
  const confirming = useSignal(false);
  const remove = async () => {
    confirming.value = false;
    await write("remove-photo", "imaging", { remove_photo: photo.artifact_id });
  };
  return html`<li class="photo-card" data-artifact=${photo.artifact_id}>
    <button type="button" class="photo-open" aria-label=${`Open wound photo ${index + 1} at full size`}
      onClick=${(e) => openPhoto(api.artifactUrl(snap.case_id, photo.artifact_id), `Wound photo ${index + 1}`, e.currentTarget)}>
      <img src=${api.artifactUrl(snap.case_id, photo.artifact_id)} alt=${`Wound photo ${index + 1}`} loading="lazy" /></button>
    <div class="photo-body">
      <h4>Photo ${index + 1} <span class=${`badge ${passes ? "step-done" : "step-blocked"}`}>${passes ? "Quality checks passed" : "Retake suggested"}</span></h4>
      <ul class="checklist" aria-label=${`Quality of photo ${index + 1}`}>
        ${CHECKS.map(([k, label]) => html`<li class=${`check check-${q[k] || "unknown"}`} data-check=${k} data-result=${q[k] || "unknown"}>
          <span aria-hidden="true">${MARK[q[k] || "unknown"]}</span> ${label}: ${WORD[q[k] || "unknown"]}</li>`)}
      </ul>
      ${prompts.length ? html`<ul class="retake">${prompts.map((p) => html`<li>${p}</li>`)}</ul>` : ""}
      <div class="row">
        <${SelectField} path=${`wound.photos.${index}.orientation`} label="Orientation" options=${ORIENTATION} empty=${null} disabled=${readOnly} />
        <${TextField} path=${`wound.photos.${index}.site`} label="Site" disabled=${readOnly} />
      </div>
      ${readOnly ? "" : confirming.value ? html`<div class="confirm" role="group" aria-labelledby=${`rm-q-${index}`}>
          <p id=${`rm-q-${index}`}><strong>Remove photo ${index + 1}?</strong> The file is deleted; this cannot be undone.</p>
          <div class="actions">
            <button type="button" class="danger small" disabled=${!!busy.value} onClick=${remove}>Yes, remove photo ${index + 1}</button>
            <button type="button" class="secondary small" onClick=${() => { confirming.value = false; }}>Keep it</button>
          </div></div>`
        : html`<button type="button" class="secondary small" disabled=${!!busy.value}
            onClick=${() => { confirming.value = true; }}>Remove photo</button>`}
    </div>
  </li>`;
}

export function ImagingPanel({ snap, readOnly, me }) {
  const wound = snap.record.wound || {};
  const photos = wound.photos || [];
  const declined = valueAt("consent.photography") === "declined";
  const granted = valueAt("consent.photography") === "granted";
  const orientation = useSignal("unspecified");
  const feedback = useSignal({}); // artifact id -> the server's retake requests for it
  const uploading = useSignal(null);
  const preview = useSignal(null);
  const onFiles = async (e) => {
    const files = [...(e.currentTarget.files || [])];
    e.currentTarget.value = "";
    for (const [i, file] of files.entries()) {
      uploading.value = `Uploading photo ${i + 1} of ${files.length}…`;
      if (preview.value) URL.revokeObjectURL(preview.value);
      preview.value = URL.createObjectURL(file);
      const before = new Set(photos.map((p) => p.artifact_id));
      const res = await upload(file, "image", { site: valueAt("wound.site") || "", orientation: orientation.value });
      if (res && res.record) {
        const added = (res.record.wound.photos || []).find((p) => !before.has(p.artifact_id));
        const msgs = (res.messages || []).filter((m) => /retake|photo/i.test(m));
        if (added) feedback.value = { ...feedback.value, [added.artifact_id]: msgs };
        if (!added) for (const m of res.messages || []) notify(m);
      }
    }
    uploading.value = null;
    if (preview.value) URL.revokeObjectURL(preview.value);
    preview.value = null;
  };
  // Photos straight after the wound's site, then the override (or the reason photography was
  // declined), which is about the photos: on an upright tablet (one column) the camera button
  // is not below the override box.
  return html`<section class="panel" aria-labelledby="panel-title">
    <h2 id="panel-title">Wound imaging</h2>
    <div class="grid2">
      <div>
        <${ConsentFields} snap=${snap} me=${me} only="photography" />
        <section class="subpanel" aria-labelledby="wound-title">
          <h3 id="wound-title">Wound</h3>
          <${TextField} path="wound.site" label="Anatomical site" hint="For example: left heel" disabled=${readOnly} />
          <${TextField} path="wound.description" label="Description" multiline disabled=${readOnly} />
        </section>
      </div>
      <div>
      <section class="subpanel" aria-labelledby="photos-title">
        <h3 id="photos-title">Photos</h3>
        ${!readOnly && granted ? html`<div class="upload-box" id=${fieldId("photo-upload")} tabindex="-1">
          <div class="field"><label for="photo-orientation">Orientation of the next photo</label>
            <select id="photo-orientation" onChange=${(e) => { orientation.value = e.currentTarget.value; }}>
              ${ORIENTATION.map(([v, l]) => html`<option value=${v} selected=${orientation.value === v}>${l}</option>`)}
            </select></div>
          <div class="field">
            <label for="photo-input" class="button primary file-label">Take or choose photos</label>
            <input id="photo-input" class="file-input" type="file" accept="image/*" capture="environment" multiple
              disabled=${!!busy.value} onChange=${onFiles} />
            <span class="hint">The tablet's camera opens where available; identifying metadata is removed by the server.</span>
          </div>
          ${uploading.value ? html`<p role="status" class="msg info">${uploading.value}</p>` : ""}
          ${preview.value ? html`<img class="preview" src=${preview.value} alt="The photo being uploaded" />` : ""}
          <${ActionBlockers} action="upload_photo" />
        </div>` : ""}
        ${!granted && !declined ? html`<p class="msg info">Record photography consent to add photos.</p>` : ""}
        <div id=${fieldId("photos")} tabindex="-1"><${ActionBlockers} action="remove_photos" /></div>
        <${Messages} path="add_photo" />
        <${Messages} path="wound.photos" />
        ${photos.length ? html`<ul class="photos plain">${photos.map((p, i) => html`<${PhotoCard} snap=${snap} photo=${p} index=${i}
          readOnly=${readOnly} feedback=${feedback.value[p.artifact_id]} />`)}</ul>`
          : html`<p class="muted">No photos yet.</p>`}
      </section>
      ${declined ? html`<section class="subpanel" aria-labelledby="declined-title">
        <h3 id="declined-title">Photography declined</h3>
        <${TextField} path="wound.photography_declined_reason" label="Reason to close this step without photos" multiline disabled=${readOnly} />
      </section>` : html`<section class="subpanel" aria-labelledby="override-title">
        <h3 id="override-title">Override</h3>
        <p class="small">If no photo can pass the checks, record why the step should close anyway.</p>
        <${TextField} path="wound.override_reason" label="Override reason" multiline rows="2" disabled=${readOnly} />
      </section>`}
      </div>
    </div>
    <${MeasurePanel} snap=${snap} readOnly=${readOnly} />
    <${PhotoViewer} />
  </section>`;
}

// A 409: another device saved this case first. Show what changed there and what is still
// waiting here; the clinician continues on the current version with their edits re-applied.
import { useEffect, useRef } from "../../vendor/preact-hooks.mjs";
import { html } from "../html.js";
import * as autosave from "../autosave.js";
import { leafDiff } from "../paths.js";
import { conflict } from "../store.js";
import { fieldLabel, STEP_LABEL } from "../wording.js";

const show = (v) => (v == null || v === "" ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

export function ConflictDialog() {
  const ref = useRef(null);
  const c = conflict.value;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (c && !dialog.open) dialog.showModal();
    if (!c && dialog.open) dialog.close();
  }, [c]);
  const theirs = c && c.previous && c.current ? leafDiff(c.previous.record, c.current.record) : [];
  const stateChanged = c && c.previous && c.current && c.previous.state !== c.current.state;
  const mine = c ? c.changes : [];
  return html`<dialog ref=${ref} class="conflict" aria-labelledby="conflict-title"
      onCancel=${(e) => e.preventDefault()}>
    ${c ? html`<h2 id="conflict-title">This case was changed on another device</h2>
      <p>It is now at version ${c.current ? c.current.version : "?"}. Nothing you typed is lost.</p>
      ${stateChanged ? html`<p>The step moved from ${STEP_LABEL[c.previous.state]} to ${STEP_LABEL[c.current.state]}.</p>` : ""}
      <h3>Changed there</h3>
      ${theirs.length ? html`<ul class="diff">${theirs.slice(0, 20).map((d) => html`<li>
          <strong>${fieldLabel(d.path)}</strong>: ${show(d.before)} → ${show(d.after)}</li>`)}
          ${theirs.length > 20 ? html`<li>…and ${theirs.length - 20} more</li>` : ""}</ul>`
        : html`<p>No field values differ (only the version moved).</p>`}
      <h3>Your changes waiting here</h3>
      ${mine.length ? html`<ul class="diff mine">${mine.map((ch) => html`<li>
          <strong>${fieldLabel(ch.path)}</strong>: ${show(ch.value)}</li>`)}</ul>` : html`<p>None.</p>`}
      <div class="actions">
        <button type="button" class="primary" onClick=${() => autosave.reapplyOnCurrent()}>
          Continue on the current version with my changes</button>
        <button type="button" class="secondary" onClick=${() => autosave.discardMine()}>
          Discard my changes</button>
      </div>` : ""}
  </dialog>`;
}

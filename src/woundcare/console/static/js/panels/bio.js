// Bio and consent: form entry; free text read by the server and shown for confirmation
// before anything is saved; document and voice-note upload; the three consents and who
// captured them.
import { useSignal } from "../../vendor/signals.mjs";
import { html } from "../html.js";
import * as autosave from "../autosave.js";
import { parseDocument, parseFreeText, upload } from "../actions.js";
import { NumberField, SelectField, TextField } from "../components/fields.js";
import { busy, notify } from "../store.js";
import { choices, day, fieldLabel, mediaLabel, OPTIONS, optionLabel, when } from "../wording.js";
import { ConsentFields } from "./consent.js";
import { PossibleDuplicates } from "../components/duplicates.js";
import { persistedSignal } from "./local-draft.js";

const SEX = choices("Sex");

/** A proposed value as words (enum values of the path's kind get their label). */
function shownValue(path, value) {
  // A date in words ("12 Mar 1944"): the point of asking is which reading is meant.
  if (path === "patient.date_of_birth" && /^\d{4}-\d{2}-\d{2}$/.test(String(value))) return day(value);
  if (path === "patient.sex") return optionLabel("Sex", value);
  if (path.startsWith("consent.") && OPTIONS.ConsentStatus[value]) return OPTIONS.ConsentStatus[value];
  if (path === "consent.method") return optionLabel("ConsentMethod", value);
  return String(value);
}

/** Turn the parse endpoint's proposal into [{path, value}] whatever its exact shape. */
function proposalFields(proposal) {
  const out = [];
  const fields = proposal.fields || [];
  if (Array.isArray(fields)) {
    for (const f of fields) if (f && f.path) out.push({ path: f.path, value: f.value, note: f.source_text || f.confidence });
  } else {
    const walk = (obj, prefix) => {
      for (const [k, v] of Object.entries(obj || {})) {
        const p = prefix ? `${prefix}.${k}` : k;
        if (v && typeof v === "object" && !Array.isArray(v)) walk(v, p);
        else if (v != null) out.push({ path: p.startsWith("patient.") ? p : `patient.${p}`, value: v });
      }
    };
    walk(fields, "");
  }
  for (const [kind, decision] of Object.entries(proposal.consent || {})) {
    if (decision) out.push({ path: `consent.${kind}`, value: decision });
  }
  return out;
}

/** The parser's proposal, for the clinician to check: nothing is saved until they press
 * "Use the checked fields". Shared by typed free text and uploaded documents. */
function ProposalBox({ proposal, source, onDone }) {
  const fields = proposalFields(proposal);
  const ambiguities = proposal.ambiguities || [];
  // Consent found in text is only a proposal: it starts unticked, the clinician confirms it.
  const chosen = useSignal(Object.fromEntries(fields.map((f) => [f.path, !f.path.startsWith("consent.")])));
  const notes = proposal.notes || [];
  const picks = useSignal({}); // ambiguity path -> the candidate the clinician chose
  const apply = () => {
    const kept = fields.filter((f) => chosen.value[f.path]);
    for (const f of kept) autosave.edit(f.path, f.value);
    for (const [path, value] of Object.entries(picks.value)) autosave.edit(path, value);
    const n = kept.length + Object.keys(picks.value).length;
    notify(`${n === 1 ? "1 field" : `${n} fields`} added from the ${source}; ${n === 1 ? "it is" : "they are"} being saved.`);
    onDone(true);
  };
  return html`<div class="proposal" role="region" aria-labelledby="proposal-title">
    <h4 id="proposal-title">Check these fields from the ${source} before they are saved</h4>
    ${proposal.suspicious_instruction ? html`<p class="msg error" role="alert" data-testid="suspicious-instruction">
      <span aria-hidden="true">⚠ </span>The ${source} contains wording that reads like an instruction to the system; it was ignored. Please check the source.</p>` : ""}
    ${notes.length ? html`<ul class="plain small proposal-notes">${notes.map((n) => html`<li>${n}</li>`)}</ul>` : ""}
    ${proposal.text && proposal.read_by && proposal.read_by !== "text" ? html`<details class="small"><summary>What was read (${proposal.read_by === "speech" ? "transcribed" : proposal.read_by === "ocr" ? "recognised" : "extracted"})</summary>
      <pre class="read-text">${proposal.text}</pre></details>` : ""}
    ${fields.length ? html`<ul class="plain checks">${fields.map((f) => html`<li>
      <label><input type="checkbox" checked=${!!chosen.value[f.path]}
        onChange=${(e) => { chosen.value = { ...chosen.value, [f.path]: e.currentTarget.checked }; }} />
        <span><strong>${fieldLabel(f.path)}</strong>: ${shownValue(f.path, f.value)}</span></label></li>`)}</ul>`
      : html`<p>No fields were found in the ${source}.</p>`}
    ${ambiguities.map((a, i) => html`<fieldset class="ambiguity">
      <legend>${a.question || `${fieldLabel(a.path)} is unclear`}</legend>
      ${(a.candidates || []).map((c) => html`<label class="radio"><input type="radio" name=${`amb-${i}`}
        checked=${picks.value[a.path] === c} onChange=${() => { picks.value = { ...picks.value, [a.path]: c }; }} />
        <span>${fieldLabel(a.path)}: ${shownValue(a.path, c)}</span></label>`)}
      <label class="radio"><input type="radio" name=${`amb-${i}`} checked=${!(a.path in picks.value)}
        onChange=${() => { const next = { ...picks.value }; delete next[a.path]; picks.value = next; }} />
        <span>Neither — I will enter it myself</span></label>
    </fieldset>`)}
    <div class="actions">
      <button type="button" class="primary" onClick=${apply}
        disabled=${!fields.some((f) => chosen.value[f.path]) && !Object.keys(picks.value).length}>Use the checked fields</button>
      <button type="button" class="secondary" onClick=${() => onDone(false)}>Discard</button>
    </div>
  </div>`;
}

function FreeText({ snap, readOnly }) {
  const text = persistedSignal(`freetext.${snap.case_id}`, "");
  const proposal = useSignal(null);
  const reading = useSignal(false);
  const read = async () => {
    reading.value = true;
    const res = await parseFreeText(text.value);
    reading.value = false;
    if (res) proposal.value = res;
  };
  const done = (applied) => {
    proposal.value = null;
    if (applied) text.value = "";
  };
  return html`<section class="subpanel" aria-labelledby="freetext-title">
    <h3 id="freetext-title">From free text</h3>
    <div class="field">
      <label for="free-text">Paste or type a referral note or the patient's details</label>
      <textarea id="free-text" rows="4" disabled=${readOnly} value=${text.value}
        onInput=${(e) => { text.value = e.currentTarget.value; }}></textarea>
    </div>
    <button type="button" class="secondary" disabled=${readOnly || !text.value.trim() || reading.value}
      onClick=${read}>${reading.value ? "Reading…" : "Read the text"}</button>
    ${proposal.value ? html`<${ProposalBox} proposal=${proposal.value} source="text" onDone=${done} />` : ""}
  </section>`;
}

function FileIntake({ snap, readOnly }) {
  const result = useSignal(null);
  const proposal = useSignal(null);
  const send = async (e, kind) => {
    const file = e.currentTarget.files && e.currentTarget.files[0];
    e.currentTarget.value = "";
    if (!file) return;
    const known = new Set((snap.record.artifacts || []).map((a) => a.artifact_id));
    const res = await upload(file, kind);
    if (!res) return;
    result.value = { kind, name: file.name, messages: res.messages || [] };
    for (const m of res.messages || []) notify(m);
    const added = ((res.record && res.record.artifacts) || []).find((a) => !known.has(a.artifact_id));
    if (added) {
      // Documents, scanned letters and voice notes go through the intake parser; what it
      // finds is shown for confirmation.
      const found = await parseDocument(added.artifact_id);
      if (found) proposal.value = { ...found, kind };
    }
  };
  const files = (snap.record.artifacts || []).filter((a) => a.kind !== "image");
  return html`<section class="subpanel" aria-labelledby="files-title">
    <h3 id="files-title">From a document or a voice note</h3>
    <div class="upload-row">
      <div class="field"><label for="doc-upload">Document (PDF, plain text, or a scan or photo of a letter)</label>
        <input id="doc-upload" type="file" accept="application/pdf,text/plain,image/png,image/jpeg,image/webp,.pdf,.txt" disabled=${readOnly || !!busy.value}
          onChange=${(e) => send(e, "document")} /></div>
      <div class="field"><label for="voice-upload">Voice note (WAV)</label>
        <input id="voice-upload" type="file" accept="audio/*" capture="user" disabled=${readOnly || !!busy.value}
          onChange=${(e) => send(e, "audio")} /></div>
    </div>
    ${result.value ? html`<p class="msg info" role="status">${result.value.name} was stored securely.</p>` : ""}
    ${proposal.value ? html`<${ProposalBox} proposal=${proposal.value}
      source=${proposal.value.kind === "audio" ? "voice note" : proposal.value.read_by === "ocr" ? "scanned letter" : "document"}
      onDone=${() => { proposal.value = null; }} />` : ""}
    ${files.length ? html`<ul class="plain files">${files.map((a) => html`<li>${optionLabel("ArtifactKind", a.kind)}${" · "}${mediaLabel(a.media_type)} · ${Math.max(1, Math.round(a.size_bytes / 1024))} KB · ${when(a.created_at)}</li>`)}</ul>` : ""}
  </section>`;
}

export function BioPanel({ snap, readOnly, me }) {
  const d = readOnly;
  return html`<section class="panel" aria-labelledby="panel-title">
    <h2 id="panel-title">Bio and consent</h2>
    <div class="grid2">
      <section class="subpanel" aria-labelledby="patient-title">
        <h3 id="patient-title">Patient</h3>
        ${d ? "" : html`<${PossibleDuplicates} snap=${snap} />`}
        <div class="row">
          <${TextField} path="patient.first_name" label="First name" disabled=${d} />
          <${TextField} path="patient.last_name" label="Last name" disabled=${d} />
        </div>
        <${TextField} path="patient.preferred_name" label="Preferred name" disabled=${d} />
        <div class="row">
          <${TextField} path="patient.date_of_birth" label="Date of birth" type="date" disabled=${d} />
          <${NumberField} path="patient.age" label="or age" unit="years" min="0" max="120" step="1" integer disabled=${d} />
        </div>
        <div class="row">
          <${SelectField} path="patient.sex" label="Sex" options=${SEX} disabled=${d} />
          <${TextField} path="patient.mrn" label="MRN" disabled=${d} />
        </div>
        <div class="row">
          <${TextField} path="patient.contact.phone" label="Phone" type="tel" disabled=${d} />
          <${TextField} path="patient.contact.email" label="Email" type="email" disabled=${d} />
        </div>
        <${TextField} path="patient.contact.address" label="Address" multiline rows="2" disabled=${d} />
        <${TextField} path="patient.notes" label="Notes" multiline disabled=${d} />
      </section>
      <div>
        <${ConsentFields} snap=${snap} me=${me} />
        <${FreeText} snap=${snap} readOnly=${d} />
        <${FileIntake} snap=${snap} readOnly=${d} />
      </div>
    </div>
  </section>`;
}

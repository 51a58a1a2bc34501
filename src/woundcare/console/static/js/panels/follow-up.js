// Follow-up tracking: every question with its status; answer it, or dismiss it with a reason.
import { useEffect } from "../../vendor/preact-hooks.mjs";
import { html } from "../html.js";
import * as autosave from "../autosave.js";
import { write } from "../actions.js";
import { Messages, msgId } from "../components/messages.js";
import { fieldId } from "../paths.js";
import { busy, isUnsaved } from "../store.js";
import { choices, fieldLabel, OPTIONS, when } from "../wording.js";
import { persistedSignal } from "./local-draft.js";

const REASON = OPTIONS.FollowUpReason;

// Questions about a field with a fixed list of values are answered by choosing one (in words)
// rather than typing the stored value (woundcare.agents.answers reads the same values).
const CHOICE_KIND = {
  "patient.sex": "Sex", "vitals.pain.scale": "PainScale", "vitals.temperature.site": "TemperatureSite",
  "time_assessment.infection.odour": "Presence", "time_assessment.infection.erythema": "Presence",
  "time_assessment.moisture.exudate_level": "ExudateLevel",
  "time_assessment.moisture.exudate_consistency": "ExudateConsistency",
  "time_assessment.moisture.dressing_saturation": "DressingSaturation",
  "time_assessment.edge.condition": "EdgeCondition", "time_assessment.edge.epibole": "Presence",
};
// The question just answered or dismissed: once the server has it, the focus moves on to the
// next open question's answer box (or to "continue" when none is left) instead of being lost
// with the buttons that disappear.
let focusAfter = null;

function moveFocusOn(items) {
  if (!focusAfter) return;
  const item = items.find((f) => f.follow_up_id === focusAfter);
  const at = items.indexOf(item);
  if (!item || isUnsaved(`follow_ups.${at}`)) return;
  focusAfter = null;
  if (item.status === "pending") { // refused: back to its own answer box
    const own = document.getElementById(`${fieldId(`follow_ups.${at}`)}-answer`);
    if (own) own.focus();
    return;
  }
  const order = [...items.slice(at + 1), ...items.slice(0, at)];
  const next = order.find((f) => f.status === "pending");
  const target = next
    ? document.getElementById(`${fieldId(`follow_ups.${items.indexOf(next)}`)}-answer`)
    : document.getElementById("continue");
  if (target) target.focus();
}

const choiceKind = (path) => CHOICE_KIND[path] || (/^wound\.photos\.\d+\.orientation$/.test(path) ? "Orientation" : null);

function Question({ snap, item, index, readOnly }) {
  const path = `follow_ups.${index}`;
  const answer = persistedSignal(`fu-answer.${item.follow_up_id}`, "");
  const reason = persistedSignal(`fu-dismiss.${item.follow_up_id}`, "");
  const sending = isUnsaved(path);
  const send = (value, draft) => {
    focusAfter = item.follow_up_id;
    autosave.submit(path, value);
    draft.value = "";
  };
  const open = item.status === "pending";
  useEffect(() => {
    if (focusAfter === item.follow_up_id && !sending) moveFocusOn(snap.record.follow_ups || []);
  }, [item.status, sending]);
  const kind = choiceKind(item.field_path);
  return html`<li class=${`question q-${item.status}`} id=${fieldId(path)} tabindex="-1" data-path=${path}
      data-field=${item.field_path} data-status=${item.status} aria-describedby=${msgId(path)}>
    <p class="q-text" id=${`${fieldId(path)}-q`}><strong>${item.question}</strong></p>
    <p class="small muted">${REASON[item.reason] || "Question"} · about ${fieldLabel(item.field_path)} · asked ${when(item.created_at)}</p>
    ${open && !readOnly ? html`<div class="grid2">
      <div class="field">
        <label for=${`${fieldId(path)}-answer`}>Answer</label>
        ${kind ? html`<select id=${`${fieldId(path)}-answer`} aria-describedby=${`${fieldId(path)}-q`} value=${answer.value} disabled=${sending}
            onChange=${(e) => { answer.value = e.currentTarget.value; }}>
            <option value="">Choose…</option>
            ${choices(kind).map(([v, label]) => html`<option value=${v}>${label}</option>`)}</select>`
          : html`<textarea id=${`${fieldId(path)}-answer`} aria-describedby=${`${fieldId(path)}-q`} rows="2" value=${answer.value} disabled=${sending}
            onInput=${(e) => { answer.value = e.currentTarget.value; }}></textarea>`}
        <button type="button" class="primary small" disabled=${sending || !answer.value.trim()}
          onClick=${() => send({ answer: answer.value.trim() }, answer)}>Answer</button>
      </div>
      <div class="field">
        <label for=${`${fieldId(path)}-dismiss`}>Reason to dismiss</label>
        <textarea id=${`${fieldId(path)}-dismiss`} rows="2" value=${reason.value} disabled=${sending}
          onInput=${(e) => { reason.value = e.currentTarget.value; }}></textarea>
        <button type="button" class="secondary small" disabled=${sending || reason.value.trim().length < 3}
          onClick=${() => send({ dismiss_reason: reason.value.trim() }, reason)}>Dismiss</button>
      </div>
    </div>` : ""}
    ${sending ? html`<p class="small" role="status">Saving…</p>` : ""}
    ${item.status === "resolved" ? html`<p class="small"><span class="badge step-done">Answered</span> ${(kind && OPTIONS[kind][item.answer]) || item.answer}</p>` : ""}
    ${item.status === "dismissed" ? html`<p class="small"><span class="badge step-todo">Dismissed</span> ${item.dismiss_reason}</p>` : ""}
    <${Messages} path=${path} deep />
  </li>`;
}

export function FollowUpPanel({ snap, readOnly }) {
  const items = snap.record.follow_ups || [];
  const open = items.filter((f) => f.status === "pending").length;
  return html`<section class="panel" aria-labelledby="panel-title">
    <h2 id="panel-title">Follow-up questions</h2>
    <p>${open ? `${open} question${open === 1 ? "" : "s"} to answer or dismiss.` : "No open questions."}</p>
    ${readOnly ? "" : html`<button type="button" class="secondary small" disabled=${!!busy.value}
      onClick=${() => write("refresh", "follow-ups/refresh", undefined)}>Check the record for new questions</button>`}
    <ol class="questions plain">${items.map((item, i) => html`<${Question} snap=${snap} item=${item} index=${i} readOnly=${readOnly} />`)}</ol>
  </section>`;
}

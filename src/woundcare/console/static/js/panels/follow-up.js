// Follow-up tracking: every question with its status; answer it, or dismiss it with a reason.
import { html } from "../html.js";
import * as autosave from "../autosave.js";
import { write } from "../actions.js";
import { Messages, msgId } from "../components/messages.js";
import { fieldId } from "../paths.js";
import { busy, isUnsaved } from "../store.js";
import { fieldLabel, OPTIONS, when } from "../wording.js";
import { persistedSignal } from "./local-draft.js";

const REASON = OPTIONS.FollowUpReason;

function Question({ snap, item, index, readOnly }) {
  const path = `follow_ups.${index}`;
  const answer = persistedSignal(`fu-answer.${item.follow_up_id}`, "");
  const reason = persistedSignal(`fu-dismiss.${item.follow_up_id}`, "");
  const sending = isUnsaved(path);
  const send = (value, draft) => {
    autosave.submit(path, value);
    draft.value = "";
  };
  const open = item.status === "pending";
  return html`<li class=${`question q-${item.status}`} id=${fieldId(path)} tabindex="-1" data-path=${path}
      data-status=${item.status} aria-describedby=${msgId(path)}>
    <p class="q-text"><strong>${item.question}</strong></p>
    <p class="small muted">${REASON[item.reason] || "Question"} · about ${fieldLabel(item.field_path)} · asked ${when(item.created_at)}</p>
    ${open && !readOnly ? html`<div class="grid2">
      <div class="field">
        <label for=${`${fieldId(path)}-answer`}>Answer</label>
        <textarea id=${`${fieldId(path)}-answer`} rows="2" value=${answer.value} disabled=${sending}
          onInput=${(e) => { answer.value = e.currentTarget.value; }}></textarea>
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
    ${item.status === "resolved" ? html`<p class="small"><span class="badge step-done">Answered</span> ${item.answer}</p>` : ""}
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

// Review and export: the record as it will be signed, the attestation, assembly (encryption),
// the PIN signature and the export, each enabled in its own step.
import { useSignal } from "../../vendor/signals.mjs";
import { html } from "../html.js";
import { fireEvent, setPin, write } from "../actions.js";
import { ActionBlockers, BlockerSummary } from "../components/blockers.js";
import { fieldId } from "../paths.js";
import { allowed, busy, fieldErrors, locked, notify } from "../store.js";
import { go } from "../router.js";
import { day, destinationLabel, SAY, when } from "../wording.js";
import { useEffect } from "../../vendor/preact-hooks.mjs";
import { api } from "../api.js";
import { RecordView } from "./record-view.js";
import { HandoffDownloads } from "../components/handoff.js";

const ORDER = ["REVIEW", "ASSEMBLE_JSON", "LINK_TO_CLINICIAN", "STORE_SYNC", "DONE"];

/** When to see the patient again: shown on the home page under "Visits due". */
function NextVisitPlan({ snap }) {
  const due = useSignal(undefined);
  const typed = useSignal("");
  const saving = useSignal(false);
  useEffect(() => {
    api.nextVisit(snap.case_id).then((r) => {
      due.value = r.due_on;
      if (!typed.value) typed.value = r.due_on || ""; // never over what is being typed
    }).catch(() => {});
  }, [snap.case_id]);
  const save = async (e) => {
    e.preventDefault();
    saving.value = true;
    try {
      const r = await api.setNextVisit(snap.case_id, typed.value || null);
      due.value = r.due_on;
      notify(r.due_on ? `Next visit recorded for ${day(r.due_on)}.` : "The next visit date is cleared.");
    } catch (err) {
      notify((err.problem && err.problem.detail) || "The date could not be saved.", "error");
    } finally {
      saving.value = false;
    }
  };
  return html`<form class="next-visit" onSubmit=${save}>
    <div class="field"><label for="next-visit-date">Next visit due</label>
      <input id="next-visit-date" type="date" value=${typed.value} aria-describedby="next-visit-hint"
        onInput=${(e) => { typed.value = e.currentTarget.value; }} />
      <span class="hint" id="next-visit-hint">${due.value ? `Recorded: ${day(due.value)}. It appears under "Visits due" on the home page.`
        : "Listed under \"Visits due\" on the home page from two weeks before."}</span></div>
    <button type="submit" class="secondary small" disabled=${saving.value || (typed.value || null) === (due.value || null)}>Save the date</button>
  </form>`;
}

function Step({ n, title, done, active, children }) {
  return html`<li class=${`action-step${done ? " done" : ""}${active ? " active" : ""}`}>
    <h3><span class="n" aria-hidden="true">${done ? "✓" : n}</span> ${title}
      <span class="visually-hidden">${done ? "(done)" : active ? "(current)" : "(later)"}</span></h3>
    ${children}
  </li>`;
}

/** Do a write, then fire the step's event if the write succeeded. */
async function writeThenFire(name, endpoint, body, event) {
  const res = await write(name, endpoint, body);
  if (res && event && allowed(event)) await fireEvent(event);
  return res;
}

function SetPin() {
  const password = useSignal("");
  const pin = useSignal("");
  const errors = useSignal({}); // password | pin | form -> the server's words
  const save = async (e) => {
    e.preventDefault();
    errors.value = {};
    if (!/^\d{4,12}$/.test(pin.value)) {
      errors.value = { pin: SAY.pinRule };
      return;
    }
    try {
      await setPin(password.value, pin.value);
      notify("Your PIN is set.");
    } catch (err) {
      const next = {};
      for (const x of err.errors || []) {
        const key = String(x.path || "").replace(/^body\./, "");
        if ((key === "password" || key === "pin") && !next[key]) next[key] = x.message;
      }
      if (!next.password && !next.pin) {
        next.form = (err.problem && err.problem.detail) || "The PIN could not be set.";
      }
      errors.value = next;
    }
  };
  const msg = (key) => html`<div id=${`setpin-${key}-msg`} class="msgs">${errors.value[key]
    ? html`<p class="msg error" role="alert"><span aria-hidden="true">⚠ </span>${errors.value[key]}</p>` : ""}</div>`;
  return html`<form class="set-pin" onSubmit=${save}>
    <p>You have no signing PIN yet. Set one (4–12 digits) with your password.</p>
    <div class="row">
      <div class="field"><label for="setpin-password">Password</label>
        <input id="setpin-password" type="password" autocomplete="current-password" value=${password.value}
          aria-describedby="setpin-password-msg" aria-invalid=${errors.value.password ? "true" : undefined}
          class=${errors.value.password ? "invalid" : ""}
          onInput=${(e) => { password.value = e.currentTarget.value; }} />${msg("password")}</div>
      <div class="field"><label for="setpin-pin">New PIN</label>
        <input id="setpin-pin" type="password" inputmode="numeric" autocomplete="off" value=${pin.value}
          aria-describedby="setpin-pin-msg" aria-invalid=${errors.value.pin ? "true" : undefined}
          class=${errors.value.pin ? "invalid" : ""}
          onInput=${(e) => { pin.value = e.currentTarget.value; }} />${msg("pin")}</div>
    </div>
    ${errors.value.form ? html`<p class="msg error" role="alert">${errors.value.form}</p>` : ""}
    <button type="submit" class="secondary">Set PIN</button>
  </form>`;
}

function SignForm({ me }) {
  const pin = useSignal("");
  const errors = fieldErrors.value.pin || [];
  const sign = async (e) => {
    e.preventDefault();
    const value = pin.value;
    pin.value = "";
    fieldErrors.value = { ...fieldErrors.value, pin: undefined };
    await writeThenFire("sign", "sign", { pin: value }, "CLINICIAN_LINKED");
    // A refused PIN empties the box and disables the button: the focus goes back to the box
    // (its message is read with it) instead of being lost.
    const box = document.getElementById("pin-input");
    if (box && (fieldErrors.value.pin || []).length) box.focus();
  };
  if (me && me.pin_set === false) return html`<${SetPin} />`;
  return html`<form class="sign" onSubmit=${sign} id=${fieldId("pin")} tabindex="-1">
    <div class="field"><label for="pin-input">Your PIN</label>
      <div class="with-button">
        <input id="pin-input" type="password" inputmode="numeric" autocomplete="off" pattern="[0-9]{4,12}"
          aria-describedby="pin-msg" aria-invalid=${errors.length ? "true" : undefined} value=${pin.value}
          onInput=${(e) => { pin.value = e.currentTarget.value.replace(/\D/g, ""); }} />
        <button type="submit" class="primary" disabled=${!!busy.value || pin.value.length < 4}>Sign the record</button>
      </div></div>
    <div id="pin-msg">${errors.filter(Boolean).map((m) => html`<p class="msg error">${m}</p>`)}</div>
    <${ActionBlockers} action="sign_with_pin" />
  </form>`;
}

export function ReviewPanel({ snap, readOnly, me }) {
  const state = snap.state;
  const at = ORDER.indexOf(state);
  const r = snap.record;
  const attest = useSignal(false);
  const active = (s) => state === s && !readOnly;
  const nextVisit = async () => {
    const res = await fireEvent("RESET");
    if (res && res.case_id && res.case_id !== snap.case_id) go(`#/case/${res.case_id}`);
  };
  // When the case is done its card (the hand-off) comes first, in the page and in the reading
  // order: on a landscape tablet it is in view without scrolling past the finished steps.
  return html`<section class="panel" aria-labelledby="panel-title">
    <h2 id="panel-title">Review and export</h2>
    ${state !== "DONE" ? html`<${BlockerSummary} />` : ""}
    <div class="grid-review">
      <div><h3 class="visually-hidden">The record</h3><${RecordView} snap=${snap} /></div>
      <ol class="action-steps plain">
        ${state === "DONE" ? html`<li class="action-step done final"><h3><span class="n" aria-hidden="true">✓</span> Done</h3>
          <p>The case is complete and locked.</p>
          <${HandoffDownloads} snap=${snap} />
          <${NextVisitPlan} snap=${snap} />
          ${allowed("RESET") ? html`<button type="button" class="secondary" onClick=${nextVisit}>Start the next visit</button>` : ""}</li>` : ""}
        <${Step} n="1" title="Review" done=${at > 0 || !!r.review} active=${active("REVIEW")}>
          ${r.review ? html`<p class="small">Reviewed ${when(r.review.attested_at)}.</p>` : ""}
          ${active("REVIEW") ? html`<div id=${fieldId("attest")} tabindex="-1">
            <label class="checkbox"><input type="checkbox" id="attest-check" checked=${attest.value}
              onChange=${(e) => { attest.value = e.currentTarget.checked; }} /> I reviewed the whole record.</label>
            <${ActionBlockers} action="attest_review" />
            <button type="button" class="primary" disabled=${!attest.value || !!busy.value}
              onClick=${() => (r.review ? fireEvent("REVIEW_COMPLETED") : writeThenFire("review", "review", { attest: true }, "REVIEW_COMPLETED"))}>
              Confirm the review</button></div>` : ""}
        <//>
        <${Step} n="2" title="Assemble and encrypt" done=${at > 1} active=${active("ASSEMBLE_JSON")}>
          ${r.seal ? html`<p class="small">Assembled and encrypted on ${when(r.seal.sealed_at)}.</p>` : ""}
          ${active("ASSEMBLE_JSON") ? html`<div id=${fieldId("assemble")} tabindex="-1">
            <${ActionBlockers} action="assemble" />
            <button type="button" class="primary" disabled=${!!busy.value}
              onClick=${() => (r.seal ? fireEvent("JSON_ASSEMBLED") : writeThenFire("assemble", "assemble", undefined, "JSON_ASSEMBLED"))}>
              ${r.seal ? "Continue to signing" : "Assemble and encrypt"}</button>
            ${r.seal ? html` <button type="button" class="secondary" disabled=${!!busy.value}
              onClick=${() => write("assemble", "assemble", undefined)}>Assemble again</button>` : ""}</div>` : ""}
        <//>
        <${Step} n="3" title="Sign with your PIN" done=${at > 2} active=${active("LINK_TO_CLINICIAN")}>
          ${r.pin_linkage ? html`<p class="small">Signed ${when(r.pin_linkage.signed_at)}.</p>` : ""}
          ${active("LINK_TO_CLINICIAN") ? html`<${SignForm} me=${me} />` : ""}
        <//>
        <${Step} n="4" title="Export" done=${at > 3} active=${active("STORE_SYNC")}>
          ${r.export ? html`<p class="small" id="export-status">Exported to ${r.export.destinations.map(destinationLabel).join(", ")} on ${when(r.export.exported_at)}.
            ${locked.value ? " The record is locked." : ""}</p>` : html`<p class="small" id="export-status">Not exported yet.</p>`}
          ${active("STORE_SYNC") ? html`<div id=${fieldId("export")} tabindex="-1">
            <${ActionBlockers} action="export" />
            <button type="button" class="primary" disabled=${!!busy.value}
              onClick=${() => (r.export ? fireEvent("STORED") : writeThenFire("export", "export", { destinations: ["archive"] }, "STORED"))}>
              ${r.export ? "Finish" : "Export and lock"}</button></div>` : ""}
        <//>

      </ol>
    </div>
    ${!readOnly && allowed("ROLLBACK") && !locked.value ? html`<div class="step-footer">
      <button type="button" class="secondary" disabled=${!!busy.value} onClick=${() => fireEvent("ROLLBACK")}>Step back</button></div>` : ""}
  </section>`;
}

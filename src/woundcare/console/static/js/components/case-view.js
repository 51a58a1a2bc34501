// One case: header with badges and autosave status, the timeline, the panel of the step.
import { html } from "../html.js";
import { fireEvent, logout } from "../actions.js";
import { HandoffDownloads } from "./handoff.js";
import { allowed, busy, caseError, forwardEvent, locked, me, route, snapshot } from "../store.js";
import { STEP_LABEL, STEPS } from "../wording.js";
import { StateBadge, StatusBadge } from "./badges.js";
import { BlockerSummary } from "./blockers.js";
import { SaveIndicator } from "./save-indicator.js";
import { Timeline } from "./timeline.js";
import { BioPanel } from "../panels/bio.js";
import { ImagingPanel } from "../panels/imaging.js";
import { VitalsPanel } from "../panels/vitals.js";
import { TimePanel } from "../panels/time.js";
import { FollowUpPanel } from "../panels/follow-up.js";
import { ReviewPanel } from "../panels/review.js";
import { StartPanel } from "../panels/start.js";

const PANELS = {
  START: StartPanel, BIO_INTAKE: BioPanel, WOUND_IMAGING: ImagingPanel, VITALS: VitalsPanel,
  TIME: TimePanel, FOLLOW_UP: FollowUpPanel, REVIEW: ReviewPanel, ASSEMBLE_JSON: ReviewPanel,
  LINK_TO_CLINICIAN: ReviewPanel, STORE_SYNC: ReviewPanel, DONE: ReviewPanel,
};
const OWN_FOOTER = new Set(["START", "REVIEW", "ASSEMBLE_JSON", "LINK_TO_CLINICIAN", "STORE_SYNC", "DONE"]);
const ORDER = STEPS.map(([s]) => s);

function patientLabel(record) {
  const p = record.patient || {};
  const name = [p.preferred_name || p.first_name, p.last_name].filter(Boolean).join(" ");
  return name || "Unnamed patient";
}

function StepFooter({ snap }) {
  const fwd = forwardEvent.value;
  const next = ORDER[ORDER.indexOf(snap.state) + 1];
  return html`<div class="step-footer">
    ${allowed("ROLLBACK") ? html`<button type="button" class="secondary" disabled=${!!busy.value}
      onClick=${() => fireEvent("ROLLBACK")}>Step back</button>` : html`<span></span>`}
    ${fwd ? html`<button type="button" class="primary" id="continue" data-event=${fwd.event} disabled=${!!busy.value}
      onClick=${() => fireEvent(fwd.event)}>
      ${busy.value === fwd.event ? "Checking…" : `Confirm and continue to ${STEP_LABEL[next] || next}`}</button>` : ""}
  </div>`;
}

export function CaseView() {
  const snap = snapshot.value;
  const who = me.value;
  if (caseError.value) {
    return html`<main id="main" tabindex="-1" class="case"><p class="msg error" role="alert">${caseError.value}</p>
      <a href="#/cases">Back to my cases</a></main>`;
  }
  if (!snap) return html`<main id="main" tabindex="-1" class="case"><p class="muted" aria-busy="true">Loading the case…</p></main>`;
  const viewing = route.value.step && PANELS[route.value.step] ? route.value.step : snap.state;
  const current = viewing === snap.state || (PANELS[viewing] === ReviewPanel && PANELS[snap.state] === ReviewPanel);
  const Panel = PANELS[viewing];
  const readOnly = !current || locked.value;
  return html`<div class="case-layout">
    <header class="case-head">
      <div class="case-title">
        <a href="#/cases" class="back">‹ My cases</a>
        <h1>${patientLabel(snap.record)}</h1>
        <div class="badges"><${StateBadge} state=${snap.state} /> <${StatusBadge} status=${snap.status} />
          <span class="muted small">version ${snap.version}</span></div>
      </div>
      <${SaveIndicator} />
    </header>
    <${Timeline} snap=${snap} viewing=${viewing} />
    <main id="main" tabindex="-1" class="panel-wrap" data-viewing=${viewing} data-state=${snap.state}>
      ${!current ? html`<p class="msg info">You are looking at an earlier or later step (${STEP_LABEL[viewing]}).
        The case is at ${STEP_LABEL[snap.state]}. <a href=${`#/case/${snap.case_id}`}>Go to the current step</a></p>` : ""}
      ${current && (snap.messages || []).length && snap.state !== "DONE" ? html`<div class="msg info agent-messages" role="status">
        ${snap.messages.map((m) => html`<p>${m}</p>`)}</div>` : ""}
      ${current && !OWN_FOOTER.has(snap.state) ? html`<${BlockerSummary} />` : ""}
      <${Panel} snap=${snap} readOnly=${readOnly} me=${who} />
      ${current && !OWN_FOOTER.has(snap.state) && !locked.value ? html`<${StepFooter} snap=${snap} />` : ""}
      <${HandoffDownloads} snap=${snap} />
    </main>
  </div>`;
}

export function TopBar() {
  const who = me.value;
  return html`<div class="topbar">
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>Skip to content</a>
    <span class="brand">woundcare</span>
    ${who ? html`<span class="who">${who.display_name || who.email}</span>
      <a class="button secondary small" href="#/account">Account</a>
      <button type="button" class="secondary small" onClick=${() => logout()}>Log out</button>` : ""}
  </div>`;
}

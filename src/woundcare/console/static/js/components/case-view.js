// One case: header with badges and autosave status, the timeline, the panel of the step.
import { useEffect } from "../../vendor/preact-hooks.mjs";
import { html } from "../html.js";
import { fireEvent } from "../actions.js";
import { HandoffDownloads } from "./handoff.js";
import { allowed, busy, caseError, forwardEvent, locked, me, route, shell, snapshot } from "../store.js";
import { plainMessage, STEP_LABEL, STEPS } from "../wording.js";
import { StateBadge, StatusBadge } from "./badges.js";
import { BlockerSummary } from "./blockers.js";
import { SaveIndicator } from "./save-indicator.js";
import { Timeline } from "./timeline.js";
import { ConflictDialog } from "./conflict.js";
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
  const viewing = snap && route.value.step && PANELS[route.value.step] ? route.value.step : snap && snap.state;
  // Each step opens at its top, with its heading in view and focused (not where the last
  // step's page was scrolled to).
  const stepKey = snap ? `${snap.case_id}:${viewing}` : null;
  useEffect(() => {
    if (!stepKey) return;
    window.scrollTo(0, 0);
    const heading = document.getElementById("panel-title");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }, [stepKey]);
  if (caseError.value) {
    return html`<main id="main" tabindex="-1" class="case"><p class="msg error" role="alert">${caseError.value}</p>
      <a href="#/cases">Back to the home page</a></main>`;
  }
  if (!snap) return html`<main id="main" tabindex="-1" class="case"><p class="muted" aria-busy="true">Loading the case…</p></main>`;
  const current = viewing === snap.state || (PANELS[viewing] === ReviewPanel && PANELS[snap.state] === ReviewPanel);
  const Panel = PANELS[viewing];
  const readOnly = !current || locked.value;
  const Notices = shell.Notices;
  const messages = (snap.messages || []).map(plainMessage).filter(Boolean);
  return html`<div class="case-layout">
    <section class="case-head" aria-label="Case">
      <div class="case-head-row">
        <div class="case-title">
          <a href="#/cases" class="back">‹ My cases</a>
          <h1>${patientLabel(snap.record)}</h1>
          <div class="badges" data-version=${snap.version}><${StateBadge} state=${snap.state} /> <${StatusBadge} status=${snap.status} />
            <span class="muted small">Visit ${snap.record.visit_number || 1}</span></div>
        </div>
        <${SaveIndicator} />
      </div>
      ${Notices ? html`<${Notices} inHeader=${true} />` : ""}
    </section>
    <${Timeline} snap=${snap} viewing=${viewing} />
    <main id="main" tabindex="-1" class="panel-wrap" data-viewing=${viewing} data-state=${snap.state}>
      ${!current ? html`<p class="msg info">You are looking at an earlier or later step (${STEP_LABEL[viewing]}).
        The case is at ${STEP_LABEL[snap.state]}. <a href=${`#/case/${snap.case_id}`}>Go to the current step</a></p>` : ""}
      ${current && messages.length && snap.state !== "DONE" ? html`<div class="msg info agent-messages" role="status">
        ${messages.map((m) => html`<p>${m}</p>`)}</div>` : ""}
      ${current && !OWN_FOOTER.has(snap.state) ? html`<${BlockerSummary} />` : ""}
      <${Panel} snap=${snap} readOnly=${readOnly} me=${who} />
      ${current && !OWN_FOOTER.has(snap.state) && !locked.value ? html`<${StepFooter} snap=${snap} />` : ""}
      ${current && snap.state === "DONE" ? "" : html`<${HandoffDownloads} snap=${snap} />`}
    </main>
    <${ConflictDialog} />
  </div>`;
}

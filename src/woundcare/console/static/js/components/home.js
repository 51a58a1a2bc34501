// Home: visits due, my open cases, my patients with their visits, and finding any case.
// "Visits due" are next-visit dates the clinician recorded on a finished visit (see
// service/home.py), listed from two weeks before the date, overdue ones first.
import { useSignal } from "../../vendor/signals.mjs";
import { useEffect } from "../../vendor/preact-hooks.mjs";
import { html } from "../html.js";
import { api } from "../api.js";
import { createCase } from "../actions.js";
import { notify } from "../store.js";
import { day, STEP_LABEL, when } from "../wording.js";
import { StateBadge } from "./badges.js";
import { CaseList } from "./case-list.js";

function dueText(item) {
  if (item.overdue_days > 0) return `Overdue by ${item.overdue_days} ${item.overdue_days === 1 ? "day" : "days"}`;
  return item.due_on === item.today ? "Due today" : `Due ${day(item.due_on)}`;
}

function VisitsDue({ items, today }) {
  return html`<section class="subpanel home-due" aria-labelledby="due-title">
    <h2 id="due-title">Visits due</h2>
    ${items.length ? html`<ul class="plain home-list">${items.map((c) => html`<li class=${c.overdue_days ? "overdue" : ""}>
        <div class="item-text"><span class="who">${c.patient_label || "Unnamed patient"}</span>
        <span class="meta small">${dueText({ ...c, today })} · after visit ${c.visit_number}</span></div>
        <a class="button secondary small" href=${`#/case/${c.case_id}`}
          aria-label=${`Open visit ${c.visit_number} of ${c.patient_label || "the patient"} to start the next visit`}>Open</a></li>`)}</ul>`
      : html`<p class="muted small">No visits due in the next two weeks. Record the next visit's date when you finish a visit.</p>`}
  </section>`;
}

function OpenCases({ items }) {
  return html`<section class="subpanel home-open" aria-labelledby="open-title">
    <h2 id="open-title">My open cases</h2>
    ${items.length ? html`<ul class="plain home-list">${items.map((c) => html`<li data-open-case=${c.case_id}>
        <div class="item-text"><span class="who">${c.patient_label || "Unnamed patient"}</span>
        <span class="meta small"><${StateBadge} state=${c.state} /> visit ${c.visit_number} · ${when(c.updated_at)}</span></div>
        <a class="button secondary small" href=${`#/case/${c.case_id}`}
          aria-label=${`Resume ${c.patient_label || "the unnamed case"}, visit ${c.visit_number}`}>Resume</a></li>`)}</ul>`
      : html`<p class="muted small">No open cases.</p>`}
  </section>`;
}

function Patients({ items }) {
  return html`<section class="subpanel home-patients" aria-labelledby="patients-title">
    <h2 id="patients-title">My patients</h2>
    ${items.length ? html`<ul class="plain patients">${items.map((p) => html`<li data-patient=${p.patient_label}>
        <span class="who">${p.patient_label}</span>
        <ol class="plain visits">${p.visits.map((v) => html`<li>
          <a href=${`#/case/${v.case_id}`}>Visit ${v.visit_number}</a>
          <span class="muted small">${STEP_LABEL[v.state] || ""} · ${when(v.updated_at)}</span></li>`)}</ol></li>`)}</ul>`
      : html`<p class="muted small">No patients yet.</p>`}
  </section>`;
}

export function Home() {
  const home = useSignal(null);
  const failed = useSignal(false);
  useEffect(() => {
    api.home().then((h) => { home.value = h; }).catch((err) => { if (err.status !== 401) failed.value = true; });
  }, []);
  const onCreate = async () => {
    try {
      await createCase();
    } catch (err) {
      notify((err.problem && err.problem.detail) || "The case could not be created.", "error");
    }
  };
  const h = home.value;
  return html`<main id="main" tabindex="-1" class="cases home">
    <div class="page-head">
      <h1>My cases</h1>
      <button type="button" class="primary" onClick=${onCreate}>New case</button>
    </div>
    ${failed.value ? html`<p class="msg error" role="alert">The overview could not be loaded; the list below still works.</p>` : ""}
    ${h ? html`<div class="home-grid">
      <${VisitsDue} items=${h.due} today=${h.today} />
      <${OpenCases} items=${h.open_cases} />
      <${Patients} items=${h.patients} />
    </div>` : html`<p class="muted" aria-busy="true">Loading the overview…</p>`}
    <${CaseList} />
  </main>`;
}

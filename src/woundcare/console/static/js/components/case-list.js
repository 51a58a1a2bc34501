// All my cases: search (names, dates of birth, MRN parts: the server's blind index), filters,
// a pager whose counts are the search's, resume.
import { useSignal } from "../../vendor/signals.mjs";
import { useEffect, useRef } from "../../vendor/preact-hooks.mjs";
import { html } from "../html.js";
import { api } from "../api.js";
import { blockerLabel, STATUS_LABEL, STEPS, when } from "../wording.js";
import { StateBadge, StatusBadge } from "./badges.js";

const PAGE = 20;

export function CaseTable({ items, loading, caption }) {
  return html`<div class="table-wrap">
    <table class="case-table" aria-busy=${loading ? "true" : "false"}>
      <caption class="visually-hidden">${caption}</caption>
      <thead><tr><th scope="col">Patient</th><th scope="col">Step</th><th scope="col">Status</th>
        <th scope="col">Last update</th><th scope="col">What blocks it</th><th scope="col"><span class="visually-hidden">Open</span></th></tr></thead>
      <tbody>
        ${items.map((c) => html`<tr data-case=${c.case_id}>
          <td>${c.patient_label || html`<span class="muted">Unnamed</span>`}<div class="muted small">visit ${c.visit_number || 1}</div></td>
          <td><${StateBadge} state=${c.state} /></td>
          <td><${StatusBadge} status=${c.status} /></td>
          <td>${when(c.updated_at)}</td>
          <td>${(c.blockers || []).length ? html`<ul class="plain">${[...new Set(c.blockers)].map((b) => html`<li>${blockerLabel(b)}</li>`)}</ul>` : html`<span class="muted">nothing</span>`}</td>
          <td><a class="button secondary small" href=${`#/case/${c.case_id}`}
            aria-label=${`${c.state === "DONE" ? "Open" : "Resume"} case ${c.patient_label || "unnamed"}, visit ${c.visit_number || 1}`}>${c.state === "DONE" ? "Open" : "Resume"}</a></td>
        </tr>`)}
        ${!loading && !items.length ? html`<tr><td colspan="6" class="muted">No cases match.</td></tr>` : ""}
      </tbody>
    </table></div>`;
}

export function CaseList() {
  const filters = useSignal({ state: "", status: "", mrn: "", q: "" });
  const text = useSignal(""); // what is typed; searched after a short pause
  const mrnText = useSignal(""); // what is typed; the filter applies on Enter or leaving the box
  const page = useSignal({ items: [], total: 0, offset: 0 });
  const loading = useSignal(true);
  const failed = useSignal(false);
  const latest = useRef(0);
  const timer = useRef(null);
  const load = async (offset = 0) => {
    // Only the newest request's answer is shown: an older, slower one (say the unfiltered
    // list) must not overwrite the page of a filter chosen since.
    const mine = ++latest.current;
    loading.value = true;
    try {
      const res = await api.listCases({ ...filters.value, limit: PAGE, offset });
      if (mine !== latest.current) return;
      page.value = { items: res.items || [], total: res.total || 0, offset };
      failed.value = false;
    } catch (err) {
      if (mine === latest.current && err.status !== 401) failed.value = true;
    } finally {
      if (mine === latest.current) loading.value = false;
    }
  };
  useEffect(() => { load(0); }, [filters.value]);
  const setFilter = (name) => (e) => { filters.value = { ...filters.value, [name]: e.currentTarget.value.trim() }; };
  const onSearch = (e) => {
    text.value = e.currentTarget.value;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => { filters.value = { ...filters.value, q: text.value.trim() }; }, 300);
  };
  const { offset, total, items } = page.value;
  const searching = filters.value.q || filters.value.mrn;
  return html`<section class="subpanel all-cases" aria-labelledby="all-cases-title">
    <h2 id="all-cases-title">Find a case</h2>
    <form class="filters" role="search" onSubmit=${(e) => e.preventDefault()} aria-label="Search and filter cases">
      <div class="field"><label for="case-search">Search</label>
        <input id="case-search" type="search" value=${text.value} onInput=${onSearch}
          aria-describedby="case-search-hint" />
        <span class="hint" id="case-search-hint">Any part of a name, a date of birth or an MRN</span></div>
      <div class="field"><label for="case-mrn">MRN</label>
        <input id="case-mrn" type="search" value=${mrnText.value} aria-describedby="case-mrn-hint"
          onInput=${(e) => { mrnText.value = e.currentTarget.value; }} onChange=${setFilter("mrn")} />
        <span class="hint" id="case-mrn-hint">Its beginning or end is enough</span></div>
      <div class="field"><label for="case-state">Step</label>
        <select id="case-state" onChange=${setFilter("state")}>
          <option value="">Any step</option>
          ${STEPS.map(([v, l]) => html`<option value=${v} selected=${filters.value.state === v}>${l}</option>`)}
        </select></div>
      <div class="field"><label for="case-status">Status</label>
        <select id="case-status" onChange=${setFilter("status")}>
          <option value="">Any status</option>
          ${Object.entries(STATUS_LABEL).map(([v, l]) => html`<option value=${v} selected=${filters.value.status === v}>${l}</option>`)}
        </select></div>
    </form>
    ${failed.value ? html`<p class="msg error" role="alert">The cases could not be loaded. <button class="link" onClick=${() => load(offset)}>Try again</button></p>` : ""}
    <p class="small muted" role="status" id="case-count">${loading.value ? "Searching…"
      : searching ? `${total} ${total === 1 ? "case matches" : "cases match"}` : `${total} ${total === 1 ? "case" : "cases"}`}</p>
    <${CaseTable} items=${items} loading=${loading.value} caption="My cases" />
    <div class="pager">
      <button type="button" class="secondary small" disabled=${offset === 0} onClick=${() => load(Math.max(0, offset - PAGE))}>Previous</button>
      <span>${total ? `${offset + 1}–${Math.min(offset + PAGE, total)} of ${total}` : ""}</span>
      <button type="button" class="secondary small" disabled=${offset + PAGE >= total} onClick=${() => load(offset + PAGE)}>Next</button>
    </div>
  </section>`;
}

// Administration (organisation admins; lazy-loaded): people (invite, roles, PIN resets, log
// out everywhere), delegations (with the break-glass reason when an admin opens a case for
// themselves) and the audit trail with filters. Admins manage people, not PHI: cases appear
// by their reference only.
import { useSignal } from "../../vendor/signals.mjs";
import { useEffect } from "../../vendor/preact-hooks.mjs";
import { html } from "../html.js";
import { request } from "../api.js";
import { go } from "../router.js";
import { me, notify, route } from "../store.js";
import { AUDIT_ACTION, AUDIT_OUTCOME, BREAK_GLASS_REASON, caseRef, optionLabel, when } from "../wording.js";

const TABS = [["people", "People"], ["delegations", "Delegations"], ["audit", "Audit trail"]];
const problemText = (err, fallback) => (err && err.problem && (err.problem.detail || err.problem.title)) || fallback;

function fieldError(err, name) {
  const hit = ((err && err.errors) || []).find((e) => String(e.path || "").replace(/^body\./, "") === name);
  return hit ? hit.message : null;
}

// ------------------------------------------------------------------ people

function Invite({ onDone }) {
  const email = useSignal("");
  const name = useSignal("");
  const role = useSignal("clinician");
  const errors = useSignal({});
  const created = useSignal(null);
  const send = async (e) => {
    e.preventDefault();
    errors.value = {};
    try {
      const res = await request("POST", "/api/admin/clinicians",
        { json: { email: email.value.trim(), display_name: name.value.trim(), role: role.value } });
      created.value = res;
      email.value = "";
      name.value = "";
      onDone();
    } catch (err) {
      const next = { email: fieldError(err, "email"), display_name: fieldError(err, "display_name") };
      if (!next.email && !next.display_name) next.form = problemText(err, "The invitation did not work.");
      errors.value = next;
    }
  };
  const msg = (k) => html`<div id=${`invite-${k}-msg`} class="msgs">${errors.value[k]
    ? html`<p class="msg error">${errors.value[k]}</p>` : ""}</div>`;
  return html`<section class="subpanel" aria-labelledby="invite-title">
    <h2 id="invite-title">Invite a clinician</h2>
    <form onSubmit=${send} class="invite">
      <div class="row">
        <div class="field"><label for="invite-name">Name</label>
          <input id="invite-name" autocomplete="off" value=${name.value} aria-describedby="invite-display_name-msg"
            onInput=${(e) => { name.value = e.currentTarget.value; }} />${msg("display_name")}</div>
        <div class="field"><label for="invite-email">Email</label>
          <input id="invite-email" type="email" autocomplete="off" value=${email.value} aria-describedby="invite-email-msg"
            onInput=${(e) => { email.value = e.currentTarget.value; }} />${msg("email")}</div>
      </div>
      <div class="field"><label for="invite-role">Role</label>
        <select id="invite-role" onChange=${(e) => { role.value = e.currentTarget.value; }}>
          <option value="clinician" selected=${role.value === "clinician"}>${optionLabel("Role", "clinician")}</option>
          <option value="org_admin" selected=${role.value === "org_admin"}>${optionLabel("Role", "org_admin")}</option>
        </select></div>
      ${errors.value.form ? html`<p class="msg error" role="alert">${errors.value.form}</p>` : ""}
      <button type="submit" class="primary" disabled=${!email.value.trim() || !name.value.trim()}>Invite</button>
    </form>
    ${created.value ? html`<div class="msg info temp-password" role="status">
      <p><strong>${created.value.clinician.display_name}</strong> can log in with the temporary password
        <code>${created.value.temporary_password}</code>. Give it to them in person; it is shown only now,
        and they change it when they log in.</p></div>` : ""}
  </section>`;
}

function Person({ c, onChange }) {
  const confirming = useSignal(null); // "pin" | "logout"
  const self = me.value && me.value.clinician_id === c.clinician_id;
  const setRole = async (role) => {
    try {
      await request("PUT", `/api/admin/clinicians/${c.clinician_id}/role`, { json: { role } });
      notify(`${c.display_name} is now: ${optionLabel("Role", role)}.`);
      onChange();
    } catch (err) {
      notify(problemText(err, "The role could not be changed."), "error");
      onChange();
    }
  };
  const act = async () => {
    const which = confirming.value;
    confirming.value = null;
    try {
      if (which === "pin") {
        await request("POST", `/api/admin/clinicians/${c.clinician_id}/pin-reset`);
        notify(`${c.display_name}'s PIN is cleared; they set a new one with their password.`);
      } else {
        const res = await request("POST", `/api/admin/clinicians/${c.clinician_id}/revoke-sessions`);
        notify(`${c.display_name} is logged out on ${res.sessions_revoked} ${res.sessions_revoked === 1 ? "device" : "devices"}.`);
      }
      onChange();
    } catch (err) {
      notify(problemText(err, "That did not work."), "error");
    }
  };
  return html`<tr data-clinician=${c.clinician_id}>
    <td><strong>${c.display_name}</strong>${self ? " (you)" : ""}<div class="muted small">${c.email}</div></td>
    <td><label class="visually-hidden" for=${`role-${c.clinician_id}`}>Role of ${c.display_name}</label>
      <select id=${`role-${c.clinician_id}`} disabled=${self} onChange=${(e) => setRole(e.currentTarget.value)}>
        <option value="clinician" selected=${c.role === "clinician"}>${optionLabel("Role", "clinician")}</option>
        <option value="org_admin" selected=${c.role === "org_admin"}>${optionLabel("Role", "org_admin")}</option>
      </select></td>
    <td>${c.pin_set ? "Set" : html`<span class="muted">Not set</span>`}</td>
    <td class="actions-cell">${confirming.value ? html`<div class="confirm" role="group" aria-label=${`Confirm for ${c.display_name}`}>
        <p>${confirming.value === "pin" ? `Clear ${c.display_name}'s PIN? They cannot sign until they set a new one.`
          : `Log ${c.display_name} out on every device?`}</p>
        <div class="actions"><button type="button" class="danger small" onClick=${act}>Yes</button>
          <button type="button" class="secondary small" onClick=${() => { confirming.value = null; }}>Cancel</button></div></div>`
      : html`<div class="actions">
        <button type="button" class="secondary small" disabled=${!c.pin_set}
          aria-label=${`Reset the PIN of ${c.display_name}`} onClick=${() => { confirming.value = "pin"; }}>Reset PIN</button>
        <button type="button" class="secondary small" aria-label=${`Log ${c.display_name} out everywhere`}
          onClick=${() => { confirming.value = "logout"; }}>Log out everywhere</button></div>`}</td>
  </tr>`;
}

function People({ people, reload }) {
  return html`<div>
    <${Invite} onDone=${reload} />
    <section class="subpanel" aria-labelledby="people-title">
      <h2 id="people-title">People</h2>
      <div class="table-wrap"><table class="admin-table people">
        <caption class="visually-hidden">Clinicians of the organisation</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Signing PIN</th><th scope="col">Actions</th></tr></thead>
        <tbody>${people.map((c) => html`<${Person} key=${c.clinician_id} c=${c} onChange=${reload} />`)}</tbody>
      </table></div>
    </section>
  </div>`;
}

// ------------------------------------------------------------------ delegations

function Delegations({ people, byId }) {
  const list = useSignal([]);
  const caseId = useSignal("");
  const who = useSignal("");
  const reason = useSignal("");
  const errors = useSignal({});
  const load = () => request("GET", "/api/admin/delegations").then((r) => { list.value = r.items; }).catch(() => {});
  useEffect(() => { load(); }, []);
  const self = me.value && who.value === me.value.clinician_id;
  const grant = async (e) => {
    e.preventDefault();
    errors.value = {};
    const id = caseId.value.trim();
    if (!/^[0-9a-fA-F-]{36}$/.test(id)) {
      errors.value = { case: "Paste the case's full reference (it has 36 characters; the case's owner can copy it from the address bar)." };
      return;
    }
    if (self && !reason.value) {
      errors.value = { reason: "Opening a case for yourself is a break-glass access: choose the reason." };
      return;
    }
    try {
      await request("POST", `/api/cases/${encodeURIComponent(id)}/delegations`,
        { json: { clinician_id: who.value, ...(self ? { reason: reason.value } : {}) } });
      notify(`The case is shared with ${byId[who.value] ? byId[who.value].display_name : "the clinician"}.`);
      caseId.value = "";
      reason.value = "";
      load();
    } catch (err) {
      errors.value = { reason: fieldError(err, "reason"), form: fieldError(err, "reason") ? null
        : err.status === 404 ? "No case of the organisation has this reference." : problemText(err, "The case could not be shared.") };
    }
  };
  const revoke = async (d) => {
    try {
      await request("DELETE", `/api/cases/${encodeURIComponent(d.case_id)}/delegations/${encodeURIComponent(d.clinician_id)}`);
      notify("The delegation is withdrawn.");
      load();
    } catch (err) {
      notify(problemText(err, "The delegation could not be withdrawn."), "error");
    }
  };
  const name = (id) => (byId[id] ? byId[id].display_name : "A former colleague");
  return html`<div>
    <section class="subpanel" aria-labelledby="deleg-new-title">
      <h2 id="deleg-new-title">Share a case with a colleague</h2>
      <form onSubmit=${grant}>
        <div class="row">
          <div class="field"><label for="deleg-case">Case reference</label>
            <input id="deleg-case" autocomplete="off" value=${caseId.value} aria-describedby="deleg-case-msg"
              onInput=${(e) => { caseId.value = e.currentTarget.value; }} />
            <div id="deleg-case-msg" class="msgs">${errors.value.case ? html`<p class="msg error">${errors.value.case}</p>` : ""}</div></div>
          <div class="field"><label for="deleg-who">Colleague</label>
            <select id="deleg-who" onChange=${(e) => { who.value = e.currentTarget.value; }}>
              <option value="" selected=${!who.value}>Choose a colleague</option>
              ${people.map((c) => html`<option value=${c.clinician_id} selected=${who.value === c.clinician_id}>${c.display_name}${me.value && c.clinician_id === me.value.clinician_id ? " (you)" : ""}</option>`)}
            </select></div>
        </div>
        ${self ? html`<div class="field break-glass"><label for="deleg-reason">Reason (break-glass access)</label>
          <select id="deleg-reason" aria-describedby="deleg-reason-msg deleg-reason-hint"
            onChange=${(e) => { reason.value = e.currentTarget.value; }}>
            <option value="" selected=${!reason.value}>Choose the reason</option>
            ${Object.entries(BREAK_GLASS_REASON).map(([v, l]) => html`<option value=${v} selected=${reason.value === v}>${l}</option>`)}
          </select>
          <span class="hint" id="deleg-reason-hint">Opening a case you do not own is recorded in the case's audit trail with this reason.</span>
          <div id="deleg-reason-msg" class="msgs">${errors.value.reason ? html`<p class="msg error">${errors.value.reason}</p>` : ""}</div></div>` : ""}
        ${errors.value.form ? html`<p class="msg error" role="alert">${errors.value.form}</p>` : ""}
        <button type="submit" class="primary" disabled=${!caseId.value.trim() || !who.value}>Share the case</button>
      </form>
    </section>
    <section class="subpanel" aria-labelledby="deleg-list-title">
      <h2 id="deleg-list-title">Cases shared with colleagues</h2>
      ${list.value.length ? html`<div class="table-wrap"><table class="admin-table delegations">
        <caption class="visually-hidden">Delegations</caption>
        <thead><tr><th scope="col">Case</th><th scope="col">Shared with</th><th scope="col">By</th><th scope="col">Since</th><th scope="col"><span class="visually-hidden">Withdraw</span></th></tr></thead>
        <tbody>${list.value.map((d) => html`<tr data-delegation=${`${d.case_id}:${d.clinician_id}`}>
          <td>${caseRef(d.case_id)}</td><td>${name(d.clinician_id)}</td><td>${name(d.granted_by)}</td><td>${when(d.created_at)}</td>
          <td><button type="button" class="secondary small" aria-label=${`Withdraw case ${caseRef(d.case_id)} from ${name(d.clinician_id)}`}
            onClick=${() => revoke(d)}>Withdraw</button></td></tr>`)}</tbody></table></div>`
        : html`<p class="muted">No case is shared.</p>`}
    </section>
  </div>`;
}

// ------------------------------------------------------------------ audit trail

const PAGE = 25;

function Audit({ people, byId }) {
  const filters = useSignal({ action: "", actor_id: "", case_id: "", outcome: "", since: "", until: "" });
  const page = useSignal({ items: [], offset: 0, has_more: false });
  const error = useSignal(null);
  const load = async (offset = 0) => {
    const f = filters.value;
    const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    for (const k of ["action", "actor_id", "outcome"]) if (f[k]) q.set(k, f[k]);
    if (f.case_id.trim()) q.set("case_id", f.case_id.trim());
    if (f.since) q.set("since", `${f.since}T00:00:00Z`);
    if (f.until) q.set("until", `${f.until}T23:59:59Z`);
    try {
      const res = await request("GET", `/api/admin/audit?${q}`);
      page.value = { items: res.items, offset, has_more: res.has_more };
      error.value = null;
    } catch (err) {
      error.value = err.status === 422 ? "Check the filters: a case reference has 36 characters." : problemText(err, "The audit trail could not be loaded.");
    }
  };
  useEffect(() => { load(0); }, [filters.value]);
  const set = (k) => (e) => { filters.value = { ...filters.value, [k]: e.currentTarget.value }; };
  const { items, offset, has_more: more } = page.value;
  return html`<section class="subpanel" aria-labelledby="audit-title">
    <h2 id="audit-title">Audit trail</h2>
    <form class="filters audit-filters" role="search" aria-label="Filter the audit trail" onSubmit=${(e) => e.preventDefault()}>
      <div class="field"><label for="audit-action">Action</label>
        <select id="audit-action" onChange=${set("action")}>
          <option value="">Any action</option>
          ${Object.entries(AUDIT_ACTION).map(([v, l]) => html`<option value=${v} selected=${filters.value.action === v}>${l}</option>`)}
        </select></div>
      <div class="field"><label for="audit-actor">Person</label>
        <select id="audit-actor" onChange=${set("actor_id")}>
          <option value="">Anyone</option>
          ${people.map((c) => html`<option value=${c.clinician_id} selected=${filters.value.actor_id === c.clinician_id}>${c.display_name}</option>`)}
        </select></div>
      <div class="field"><label for="audit-outcome">Outcome</label>
        <select id="audit-outcome" onChange=${set("outcome")}>
          <option value="">Any outcome</option>
          ${Object.entries(AUDIT_OUTCOME).map(([v, l]) => html`<option value=${v} selected=${filters.value.outcome === v}>${l}</option>`)}
        </select></div>
      <div class="field"><label for="audit-case">Case reference</label>
        <input id="audit-case" autocomplete="off" value=${filters.value.case_id} onChange=${set("case_id")} /></div>
      <div class="field"><label for="audit-since">From</label>
        <input id="audit-since" type="date" value=${filters.value.since} onChange=${set("since")} /></div>
      <div class="field"><label for="audit-until">To</label>
        <input id="audit-until" type="date" value=${filters.value.until} onChange=${set("until")} /></div>
    </form>
    ${error.value ? html`<p class="msg error" role="alert">${error.value}</p>` : ""}
    <div class="table-wrap"><table class="admin-table audit">
      <caption class="visually-hidden">Audit events, newest first</caption>
      <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Case</th><th scope="col">Outcome</th></tr></thead>
      <tbody>${items.map((e) => html`<tr data-action=${e.action}>
        <td>${when(e.at)}</td>
        <td>${e.actor_id ? (byId[e.actor_id] ? byId[e.actor_id].display_name : "A former colleague") : html`<span class="muted">Not logged in</span>`}</td>
        <td>${AUDIT_ACTION[e.action] || "Other action"}</td>
        <td>${e.case_id ? caseRef(e.case_id) : html`<span class="muted">—</span>`}</td>
        <td>${AUDIT_OUTCOME[e.outcome] || "Other"}</td></tr>`)}
        ${!items.length ? html`<tr><td colspan="5" class="muted">Nothing matches.</td></tr>` : ""}</tbody>
    </table></div>
    <div class="pager">
      <button type="button" class="secondary small" disabled=${offset === 0} onClick=${() => load(Math.max(0, offset - PAGE))}>Newer</button>
      <span>${items.length ? `Events ${offset + 1}–${offset + items.length}` : ""}</span>
      <button type="button" class="secondary small" disabled=${!more} onClick=${() => load(offset + PAGE)}>Older</button>
    </div>
  </section>`;
}

// ------------------------------------------------------------------ page

export function Admin() {
  const people = useSignal([]);
  const denied = useSignal(false);
  const reload = () => request("GET", "/api/admin/clinicians")
    .then((list) => { people.value = list; })
    .catch((err) => { if (err.status === 403) denied.value = true; });
  useEffect(() => { reload(); }, []);
  const tab = TABS.some(([t]) => t === route.value.tab) ? route.value.tab : "people";
  const byId = Object.fromEntries(people.value.map((c) => [c.clinician_id, c]));
  if (denied.value || (me.value && me.value.role !== "org_admin")) {
    return html`<main id="main" tabindex="-1"><h1>Administration</h1>
      <p class="msg info">Administration is for organisation administrators.</p></main>`;
  }
  return html`<main id="main" tabindex="-1" class="admin">
    <h1>Administration</h1>
    <nav class="tabs" aria-label="Administration">
      ${TABS.map(([t, label]) => html`<a href=${`#/admin/${t}`} class=${`tab${t === tab ? " current" : ""}`}
        aria-current=${t === tab ? "page" : undefined} onClick=${(e) => { e.preventDefault(); go(`#/admin/${t}`); }}>${label}</a>`)}
    </nav>
    ${tab === "people" ? html`<${People} people=${people.value} reload=${reload} />` : ""}
    ${tab === "delegations" ? html`<${Delegations} people=${people.value} byId=${byId} />` : ""}
    ${tab === "audit" ? html`<${Audit} people=${people.value} byId=${byId} />` : ""}
  </main>`;
}

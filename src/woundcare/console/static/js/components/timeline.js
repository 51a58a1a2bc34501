// Where am I: every workflow step with its status and the provenance entries behind it.
// The snapshot carries only each step's number of changes; the entries are fetched a page at a
// time (GET /api/session/{id}/timeline) when a step's list is opened.
import { html } from "../html.js";
import { useEffect, useState } from "../../vendor/preact-hooks.mjs";
import { request } from "../api.js";
import { StepBadge } from "./badges.js";
import { AGENT_LABEL, EVENT_LABEL, fieldLabel, OPTIONS, STEP_LABEL, when } from "../wording.js";

function who(e) {
  if (e.actor_kind === "agent") return AGENT_LABEL[e.agent] ? `The ${AGENT_LABEL[e.agent]}` : "An assistant";
  return OPTIONS.ActorKind[e.actor_kind] || "Clinician";
}

const PAGE = 12;

function Entry({ e }) {
  const what = e.event && EVENT_LABEL[e.event] ? EVENT_LABEL[e.event] : fieldLabel(e.field_path);
  return html`<li><span class="field-path">${what || "Change"}</span>
    <span class="meta">${who(e)} · ${when(e.at)}</span></li>`;
}

function Changes({ caseId, step, title }) {
  const [page, setPage] = useState(null);
  const [failed, setFailed] = useState(false);
  const load = async (cursor) => {
    const q = new URLSearchParams({ state: step.state, limit: String(PAGE) });
    if (cursor) q.set("cursor", cursor);
    try {
      const next = await request("GET", `/api/session/${encodeURIComponent(caseId)}/timeline?${q}`);
      setPage((prev) => ({ entries: [...(cursor && prev ? prev.entries : []), ...next.entries], cursor: next.next_cursor }));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  };
  const [open, setOpen] = useState(false);
  // an autosave added changes while the list is open: show the newest page again
  useEffect(() => { if (open) load(null); }, [open, step.changes]);
  const onToggle = (ev) => setOpen(ev.currentTarget.open);
  return html`<details onToggle=${onToggle}>
    <summary>${step.changes} change${step.changes === 1 ? "" : "s"}${title ? ` in ${title}` : ""}</summary>
    ${failed ? html`<p class="muted">Could not load the changes; close and open again.</p>` : ""}
    ${page ? html`<ul class="provenance">${page.entries.map((e) => html`<${Entry} e=${e} />`)}</ul>
      ${page.cursor ? html`<button type="button" class="link" onClick=${() => load(page.cursor)}>Older changes</button>` : ""}`
      : html`<p class="muted" aria-busy="true">Loading…</p>`}
  </details>`;
}

export function Timeline({ snap, viewing }) {
  const steps = snap.timeline || [];
  // On a tablet the steps are a strip across the top, too narrow for their lists: the step
  // being viewed shows its changes under the strip instead (CSS shows one or the other).
  const viewed = steps.find((s) => s.state === viewing && s.changes);
  return html`<nav class="timeline" aria-label="Workflow steps">
    <ol>
      ${steps.map((s) => {
        const here = viewing === s.state;
        return html`<li class=${`step step-${s.status}${here ? " viewing" : ""}`} data-state=${s.state}>
          <a href=${`#/case/${snap.case_id}/${s.state}`} aria-current=${here ? "step" : undefined}>
            <span class="step-name">${STEP_LABEL[s.state] || "Step"}</span>
            <${StepBadge} status=${s.status} />
          </a>
          ${s.changes ? html`<${Changes} key=${`${snap.case_id}:${s.state}`} caseId=${snap.case_id} step=${s} />` : ""}
        </li>`;
      })}
    </ol>
    ${viewed ? html`<div class="timeline-viewed-changes">
      <${Changes} key=${`${snap.case_id}:${viewed.state}:strip`} caseId=${snap.case_id} step=${viewed}
        title=${STEP_LABEL[viewed.state] || "this step"} />
    </div>` : ""}
  </nav>`;
}

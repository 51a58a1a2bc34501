// Where am I: every workflow step with its status and the provenance entries behind it.
import { html } from "../html.js";
import { StepBadge } from "./badges.js";
import { AGENT_LABEL, EVENT_LABEL, fieldLabel, OPTIONS, STEP_LABEL, when } from "../wording.js";

function who(e) {
  if (e.actor_kind === "agent") return AGENT_LABEL[e.agent] ? `The ${AGENT_LABEL[e.agent]}` : "An assistant";
  return OPTIONS.ActorKind[e.actor_kind] || "Clinician";
}

function Entry({ e }) {
  const what = e.event && EVENT_LABEL[e.event] ? EVENT_LABEL[e.event] : fieldLabel(e.field_path);
  return html`<li><span class="field-path">${what || "Change"}</span>
    <span class="meta">${who(e)} · ${when(e.at)}</span></li>`;
}

export function Timeline({ snap, viewing }) {
  const steps = snap.timeline || [];
  return html`<nav class="timeline" aria-label="Workflow steps">
    <ol>
      ${steps.map((s) => {
        // The fields a new case starts with are not changes anyone made.
        const entries = (s.entries || []).filter((e) => e.event !== "CREATE");
        const here = viewing === s.state;
        return html`<li class=${`step step-${s.status}${here ? " viewing" : ""}`} data-state=${s.state}>
          <a href=${`#/case/${snap.case_id}/${s.state}`} aria-current=${here ? "step" : undefined}>
            <span class="step-name">${STEP_LABEL[s.state] || "Step"}</span>
            <${StepBadge} status=${s.status} />
          </a>
          ${entries.length ? html`<details>
            <summary>${entries.length} change${entries.length === 1 ? "" : "s"}</summary>
            <ul class="provenance">${entries.slice(-12).reverse().map((e) => html`<${Entry} e=${e} />`)}</ul>
          </details>` : ""}
        </li>`;
      })}
    </ol>
  </nav>`;
}

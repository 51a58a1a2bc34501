// Where am I: every workflow step with its status and the provenance entries behind it.
import { html } from "../html.js";
import { StepBadge } from "./badges.js";
import { fieldLabel, STEP_LABEL, when } from "../wording.js";

function Entry({ e }) {
  const who = e.actor_kind === "agent" ? `agent ${e.agent || ""}` : e.actor_kind;
  return html`<li><span class="field-path">${e.field_path ? fieldLabel(e.field_path) : e.event}</span>
    <span class="meta">${who}${e.event ? ` · ${e.event}` : ""} · ${when(e.at)}</span></li>`;
}

export function Timeline({ snap, viewing }) {
  const steps = snap.timeline || [];
  return html`<nav class="timeline" aria-label="Workflow steps">
    <ol>
      ${steps.map((s) => {
        const entries = s.entries || [];
        const here = viewing === s.state;
        return html`<li class=${`step step-${s.status}${here ? " viewing" : ""}`} data-state=${s.state}>
          <a href=${`#/case/${snap.case_id}/${s.state}`} aria-current=${here ? "step" : undefined}>
            <span class="step-name">${STEP_LABEL[s.state] || s.state}</span>
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

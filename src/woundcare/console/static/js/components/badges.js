import { html } from "../html.js";
import { STATUS_LABEL, STEP_LABEL, TIMELINE_LABEL } from "../wording.js";

export const StateBadge = ({ state }) =>
  html`<span class="badge state" data-state=${state}>${STEP_LABEL[state] || "Step"}</span>`;

export const StatusBadge = ({ status }) =>
  html`<span class=${`badge status-${status}`} data-status=${status}>${STATUS_LABEL[status] || "Draft"}</span>`;

export const StepBadge = ({ status }) =>
  html`<span class=${`badge step-${status}`}>${TIMELINE_LABEL[status] || "To do"}</span>`;

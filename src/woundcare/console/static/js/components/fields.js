// Inputs bound to record paths: they show the newest unsaved edit (or the server's value),
// autosave every change, and carry the ids that blockers and errors point at.
import { useSignal } from "../../vendor/signals.mjs";
import { useEffect } from "../../vendor/preact-hooks.mjs";
import { html } from "../html.js";
import * as autosave from "../autosave.js";
import { fieldId } from "../paths.js";
import { isUnsaved, messagesAt, valueAt } from "../store.js";
import { Messages, msgId } from "./messages.js";

function a11y(path) {
  const { errors, blockers } = messagesAt(path);
  return {
    id: fieldId(path),
    "aria-describedby": msgId(path),
    "aria-invalid": errors.length ? "true" : undefined,
    "data-path": path,
    class: errors.length ? "invalid" : blockers.length ? "needed" : "",
  };
}

function Label({ path, label, hint }) {
  return html`<label for=${fieldId(path)}>${label}${isUnsaved(path)
    ? html` <span class="unsaved" title="Not saved yet">•</span>` : ""}</label>
    ${hint ? html`<span class="hint">${hint}</span>` : ""}`;
}

/** Text, email, tel, date or a textarea. Keeps the typed text while focused. */
export function TextField({ path, label, type = "text", multiline = false, hint, disabled,
  autocomplete = "off", inputmode, rows = 3, maxlength }) {
  const local = useSignal(null);
  const stored = valueAt(path);
  useFollowStored(path, stored, local);
  const shown = local.value !== null ? local.value : stored == null ? "" : String(stored);
  const onInput = (e) => {
    local.value = e.currentTarget.value;
    const v = e.currentTarget.value;
    autosave.edit(path, v.trim() === "" ? null : v);
  };
  const common = {
    ...a11y(path), value: shown, disabled, onInput, autocomplete, inputmode, maxlength,
    onFocus: () => { local.value = shown; },
    onBlur: () => { local.value = null; },
  };
  return html`<div class="field">
    <${Label} path=${path} label=${label} hint=${hint} />
    ${multiline ? html`<textarea rows=${rows} ...${common}></textarea>` : html`<input type=${type} ...${common} />`}
    <${Messages} path=${path} />
  </div>`;
}

/** A number; empty means "not given" (null). */
export function NumberField({ path, label, min, max, step = "any", unit, hint, disabled, integer }) {
  const local = useSignal(null);
  const stored = valueAt(path);
  useFollowStored(path, stored, local);
  const shown = local.value !== null ? local.value : stored == null ? "" : String(stored);
  const onInput = (e) => {
    const raw = e.currentTarget.value;
    local.value = raw;
    if (raw === "") return autosave.edit(path, null);
    const n = Number(raw);
    if (!Number.isFinite(n)) return;
    autosave.edit(path, integer ? Math.round(n) : n);
  };
  return html`<div class="field number">
    <${Label} path=${path} label=${label} hint=${hint} />
    <div class="with-unit">
      <input type="number" inputmode=${integer ? "numeric" : "decimal"} min=${min} max=${max} step=${step}
        ...${a11y(path)} value=${shown} disabled=${disabled} onInput=${onInput}
        onFocus=${() => { local.value = shown; }} onBlur=${() => { local.value = null; }} />
      ${unit ? html`<span class="unit">${unit}</span>` : ""}
    </div>
    <${Messages} path=${path} />
  </div>`;
}

/** A choice from a list; the empty choice means "not given". */
/** While a box has the focus it shows what was typed; when the saved value changes from
 * elsewhere (another tab won a conflict, another device) and nothing here is waiting to be
 * saved, it shows the saved value again instead of keeping stale text. */
function useFollowStored(path, stored, local) {
  useEffect(() => {
    if (local.value !== null && !isUnsaved(path)) local.value = null;
  }, [stored == null ? "" : String(stored)]);
}

export function SelectField({ path, label, options, hint, disabled, empty = "Not given" }) {
  const v = valueAt(path);
  return html`<div class="field">
    <${Label} path=${path} label=${label} hint=${hint} />
    <select ...${a11y(path)} disabled=${disabled}
      onChange=${(e) => autosave.edit(path, e.currentTarget.value === "" ? null : e.currentTarget.value)}>
      ${empty !== null ? html`<option value="" selected=${v == null}>${empty}</option>` : ""}
      ${options.map(([value, text]) => html`<option value=${value} selected=${v === value}>${text}</option>`)}
    </select>
    <${Messages} path=${path} />
  </div>`;
}

/** Radio buttons in a fieldset (arrow keys move between them). */
export function RadioGroup({ path, label, options, disabled }) {
  const v = valueAt(path);
  const { errors, blockers } = messagesAt(path);
  const cls = errors.length ? "invalid" : blockers.length ? "needed" : "";
  return html`<fieldset class=${`radios ${cls}`} id=${fieldId(path)} tabindex="-1" data-path=${path}
      aria-describedby=${msgId(path)}>
    <legend>${label}${isUnsaved(path) ? html` <span class="unsaved" title="Not saved yet">•</span>` : ""}</legend>
    <div class="radio-row">
      ${options.map(([value, text]) => html`<label class="radio">
        <input type="radio" name=${fieldId(path)} value=${value} checked=${v === value} disabled=${disabled}
          onChange=${() => autosave.edit(path, value)} />
        <span>${text}</span></label>`)}
    </div>
    <${Messages} path=${path} />
  </fieldset>`;
}

export function CheckboxField({ path, label, disabled }) {
  const v = !!valueAt(path);
  return html`<div class="field checkbox">
    <label><input type="checkbox" ...${a11y(path)} checked=${v} disabled=${disabled}
      onChange=${(e) => autosave.edit(path, e.currentTarget.checked)} /> ${label}</label>
    <${Messages} path=${path} />
  </div>`;
}

function toLocalInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A capture time: local date and time in the input, ISO-8601 with zone on the wire. */
export function DateTimeField({ path, label, disabled }) {
  const v = valueAt(path);
  const set = (value) => autosave.edit(path, value);
  return html`<div class="field datetime">
    <${Label} path=${path} label=${label} />
    <div class="with-button">
      <input type="datetime-local" ...${a11y(path)} value=${toLocalInput(v)} disabled=${disabled}
        onChange=${(e) => set(e.currentTarget.value ? new Date(e.currentTarget.value).toISOString() : null)} />
      <button type="button" class="secondary small" disabled=${disabled}
        aria-label=${`${label}: now`} onClick=${() => set(new Date().toISOString())}>Now</button>
    </div>
    <${Messages} path=${path} />
  </div>`;
}

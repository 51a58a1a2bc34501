// Vitals: each with its value, unit and capture time, or explicitly unknown. Ranges are
// input checks (the server's words are shown), never clinical alarms. A nurse usually takes
// them all at once: one button stamps every vital's capture time with the time now; each
// vital keeps its own time (and its own "Now") for one taken at another moment.
import { useSignal } from "../../vendor/signals.mjs";
import * as autosave from "../autosave.js";
import { html } from "../html.js";
import { CheckboxField, DateTimeField, NumberField, SelectField } from "../components/fields.js";
import { Messages, msgId } from "../components/messages.js";
import { fieldId } from "../paths.js";
import { valueAt } from "../store.js";
import { choices } from "../wording.js";

const METHOD = choices("MeasurementMethod");
const TEMP_SITE = choices("TemperatureSite");
const PAIN_SCALE = choices("PainScale");
const NAMES = ["blood_pressure", "heart_rate", "respiratory_rate", "temperature", "oxygen_saturation", "pain"];

const clock = (d) => d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** One tap for the usual case: every vital not marked unknown was taken now. */
function AllNow({ readOnly }) {
  const said = useSignal("");
  const open = NAMES.filter((name) => !valueAt(`vitals.${name}.unknown`));
  const stamp = () => {
    const now = new Date();
    for (const name of open) autosave.edit(`vitals.${name}.captured_at`, now.toISOString());
    const skipped = NAMES.length - open.length;
    said.value = `Capture time ${clock(now)} set on ${open.length === 1 ? "1 vital" : `${open.length} vitals`}`
      + (skipped ? ` (not on the ${skipped === 1 ? "one" : skipped} marked unknown).` : ".");
  };
  if (readOnly) return "";
  return html`<div class="all-now" role="group" aria-labelledby="all-now-q">
    <p id="all-now-q"><strong>Taken together?</strong> Set one capture time on every vital; change a single vital's time below if it was taken at another moment.</p>
    <button type="button" class="primary" id="vitals-all-now" disabled=${!open.length} onClick=${stamp}>All vitals taken now</button>
    <p class="small all-now-said" role="status">${said.value}</p>
  </div>`;
}

function Vital({ name, label, children, readOnly }) {
  const path = `vitals.${name}`;
  const unknown = !!valueAt(`${path}.unknown`);
  return html`<fieldset class="vital" id=${fieldId(path)} tabindex="-1" data-path=${path} aria-describedby=${msgId(path)}>
    <legend>${label}</legend>
    <div class="vital-grid">
      <div class="vital-values">${children(readOnly || unknown)}</div>
      <div class="vital-when">
        <${DateTimeField} path=${`${path}.captured_at`} label="Captured at" disabled=${readOnly || unknown} />
        <${CheckboxField} path=${`${path}.unknown`} label="Unknown" disabled=${readOnly} />
      </div>
    </div>
    <${Messages} path=${path} />
  </fieldset>`;
}

export function VitalsPanel({ readOnly }) {
  return html`<section class="panel" aria-labelledby="panel-title">
    <h2 id="panel-title">Vitals</h2>
    <p class="small">Give each vital with the time it was taken, or mark it unknown. Units with one choice are filled in for you.</p>
    <${AllNow} readOnly=${readOnly} />
    <${Vital} name="blood_pressure" label="Blood pressure" readOnly=${readOnly}>${(d) => html`
      <${NumberField} path="vitals.blood_pressure.systolic" label="Systolic" unit="mmHg" min="40" max="300" step="1" integer disabled=${d} />
      <${NumberField} path="vitals.blood_pressure.diastolic" label="Diastolic" unit="mmHg" min="20" max="200" step="1" integer disabled=${d} />`}
    <//>
    <${Vital} name="heart_rate" label="Heart rate" readOnly=${readOnly}>${(d) => html`
      <${NumberField} path="vitals.heart_rate.value" label="Heart rate" unit="bpm" min="20" max="300" step="1" integer disabled=${d} />
      <${SelectField} path="vitals.heart_rate.method" label="Method" options=${METHOD} disabled=${d} />`}
    <//>
    <${Vital} name="respiratory_rate" label="Respiratory rate" readOnly=${readOnly}>${(d) => html`
      <${NumberField} path="vitals.respiratory_rate.value" label="Respiratory rate" unit="breaths/min" min="2" max="80" step="1" integer disabled=${d} />`}
    <//>
    <${Vital} name="temperature" label="Temperature" readOnly=${readOnly}>${(d) => html`
      <${NumberField} path="vitals.temperature.value" label="Temperature" min="25" max="113" step="0.1" disabled=${d} />
      <${SelectField} path="vitals.temperature.unit" label="Unit" options=${choices("TemperatureUnit")} disabled=${d} />
      <${SelectField} path="vitals.temperature.site" label="Site" options=${TEMP_SITE} disabled=${d} />`}
    <//>
    <${Vital} name="oxygen_saturation" label="Oxygen saturation" readOnly=${readOnly}>${(d) => html`
      <${NumberField} path="vitals.oxygen_saturation.value" label="Saturation (SpO₂)" unit="%" min="0" max="100" step="1" disabled=${d} />
      <${SelectField} path="vitals.oxygen_saturation.method" label="Method" options=${METHOD} disabled=${d} />`}
    <//>
    <${Vital} name="pain" label="Pain score" readOnly=${readOnly}>${(d) => html`
      <${NumberField} path="vitals.pain.value" label="Score (0–10)" min="0" max="10" step="1" integer disabled=${d} />
      <${SelectField} path="vitals.pain.scale" label="Scale" options=${PAIN_SCALE} disabled=${d} />`}
    <//>
  </section>`;
}


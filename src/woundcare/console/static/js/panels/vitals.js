// Vitals: each with its value, unit and capture time, or explicitly unknown. Ranges are
// input checks (the server's words are shown), never clinical alarms.
import { html } from "../html.js";
import { CheckboxField, DateTimeField, NumberField, SelectField } from "../components/fields.js";
import { Messages, msgId } from "../components/messages.js";
import { fieldId } from "../paths.js";
import { valueAt } from "../store.js";
import { choices } from "../wording.js";

const METHOD = choices("MeasurementMethod");
const TEMP_SITE = choices("TemperatureSite");
const PAIN_SCALE = choices("PainScale");

function Vital({ name, label, children, readOnly }) {
  const path = `vitals.${name}`;
  const unknown = !!valueAt(`${path}.unknown`);
  return html`<fieldset class="vital" id=${fieldId(path)} tabindex="-1" data-path=${path} aria-describedby=${msgId(path)}>
    <legend>${label}</legend>
    <div class="vital-row">
      ${children(readOnly || unknown)}
      <${DateTimeField} path=${`${path}.captured_at`} label="Captured at" disabled=${readOnly || unknown} />
      <${CheckboxField} path=${`${path}.unknown`} label="Unknown" disabled=${readOnly} />
    </div>
    <${Messages} path=${path} />
  </fieldset>`;
}

export function VitalsPanel({ readOnly }) {
  return html`<section class="panel" aria-labelledby="panel-title">
    <h2 id="panel-title">Vitals</h2>
    <p class="small">Give each vital with its capture time, or mark it unknown. Units with one choice are filled in for you.</p>
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


// T.I.M.E.: Tissue (percentages with a live total), Infection/inflammation, Moisture, Edge.
import { html } from "../html.js";
import { NumberField, RadioGroup, SelectField, TextField } from "../components/fields.js";
import { Messages, msgId } from "../components/messages.js";
import * as autosave from "../autosave.js";
import { fieldId } from "../paths.js";
import { valueAt } from "../store.js";
import { choices } from "../wording.js";

const PRESENCE = choices("Presence");
const EXUDATE = choices("ExudateLevel");
const CONSISTENCY = choices("ExudateConsistency");
const SATURATION = choices("DressingSaturation");
const EDGE = choices("EdgeCondition");
const TISSUE = [["granulation_pct", "Granulation"], ["slough_pct", "Slough"], ["necrotic_pct", "Necrotic"], ["epithelial_pct", "Epithelial"]];

function Tissue({ d }) {
  const path = "time_assessment.tissue";
  const total = TISSUE.reduce((sum, [k]) => sum + (Number(valueAt(`${path}.${k}`)) || 0), 0);
  const over = total > 100;
  return html`<fieldset class="group" id=${fieldId(path)} tabindex="-1" data-path=${path} aria-describedby=${`${msgId(path)} tissue-total`}>
    <legend>Tissue (% of the wound bed)</legend>
    <div class="row4">${TISSUE.map(([k, label]) => html`<${NumberField} path=${`${path}.${k}`} label=${label}
      unit="%" min="0" max="100" step="1" disabled=${d} />`)}</div>
    <div class=${`total${over ? " over" : ""}`} id="tissue-total" aria-live="polite" data-total=${total}>
      <div class="bar" aria-hidden="true"><span style=${{ width: `${Math.min(total, 100)}%` }}></span></div>
      <span>Total: <strong>${Math.round(total * 10) / 10}%</strong>${over ? " — together the percentages can be at most 100%" : ` (${Math.round((100 - total) * 10) / 10}% not assigned)`}</span>
    </div>
    <${Messages} path=${path} />
  </fieldset>`;
}

function Descriptors({ d }) {
  const path = "time_assessment.infection.pain_descriptors";
  const list = valueAt(path) || [];
  return html`<div class="field">
    <label for=${fieldId(path)}>Pain descriptors</label>
    <span class="hint">Separate with commas, for example: burning, throbbing</span>
    <input id=${fieldId(path)} type="text" disabled=${d} value=${list.join(", ")} aria-describedby=${msgId(path)}
      onChange=${(e) => autosave.edit(path, e.currentTarget.value.split(",").map((s) => s.trim()).filter(Boolean))} />
    <${Messages} path=${path} deep />
  </div>`;
}

export function TimePanel({ readOnly }) {
  const d = readOnly;
  const t = "time_assessment";
  return html`<section class="panel" aria-labelledby="panel-title">
    <h2 id="panel-title">T.I.M.E. wound-bed assessment</h2>
    <${Tissue} d=${d} />
    <fieldset class="group"><legend>Infection / inflammation</legend>
      <div class="grid2">
        <${RadioGroup} path=${`${t}.infection.odour`} label="Odour" options=${PRESENCE} disabled=${d} />
        <${RadioGroup} path=${`${t}.infection.erythema`} label="Erythema" options=${PRESENCE} disabled=${d} />
      </div>
      <div class="grid2">
        <${NumberField} path=${`${t}.infection.erythema_extent_cm`} label="Erythema extent from the edge" unit="cm" min="0" max="100" step="0.1" disabled=${d} />
        <${Descriptors} d=${d} />
      </div>
    </fieldset>
    <fieldset class="group"><legend>Moisture</legend>
      <${RadioGroup} path=${`${t}.moisture.exudate_level`} label="Exudate level" options=${EXUDATE} disabled=${d} />
      <div class="grid2">
        <${SelectField} path=${`${t}.moisture.exudate_consistency`} label="Exudate consistency" options=${CONSISTENCY} disabled=${d} />
        <${SelectField} path=${`${t}.moisture.dressing_saturation`} label="Dressing saturation" options=${SATURATION} disabled=${d} />
      </div>
    </fieldset>
    <fieldset class="group"><legend>Edge</legend>
      <div class="grid3">
        <${SelectField} path=${`${t}.edge.condition`} label="Edge condition" options=${EDGE} disabled=${d} />
        <${NumberField} path=${`${t}.edge.undermining_depth_cm`} label="Undermining depth" unit="cm" min="0" max="30" step="0.1" disabled=${d} />
        <${SelectField} path=${`${t}.edge.epibole`} label="Epibole" options=${PRESENCE} disabled=${d} />
      </div>
    </fieldset>
    <${TextField} path=${`${t}.notes`} label="Notes" multiline disabled=${d} />
  </section>`;
}

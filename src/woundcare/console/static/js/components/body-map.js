// The body map: front and back views; choosing a region sets {region, side, view}. In the
// front view the patient's right is on the viewer's left; in the back view it is on the
// viewer's right. Each region is a button (keyboard: Tab, then Enter or Space). Every region
// drawn smaller than a finger (44 px) in either direction at the drawing's 380 px width is
// also offered as a full-size button below it (the same choice, the same state); the list is
// worked out from the FRONT and BACK tables, so a changed shape changes it.
import { html } from "../html.js";

const CX = 90; // the figure's midline
export const REGION_LABEL = {
  head: "Head", face: "Face", ear: "Ear", occiput: "Back of the head", neck: "Neck", shoulder: "Shoulder",
  chest: "Chest", abdomen: "Abdomen", upper_back: "Upper back", lower_back: "Lower back", sacrum: "Sacrum",
  coccyx: "Coccyx", buttock: "Buttock", ischium: "Ischium", hip: "Hip", groin: "Groin", perineum: "Perineum",
  upper_arm: "Upper arm", elbow: "Elbow", forearm: "Forearm", wrist: "Wrist", hand: "Hand", thigh: "Thigh",
  knee: "Knee", lower_leg: "Lower leg", ankle: "Ankle", heel: "Heel", foot: "Foot", toe: "Toes",
};

// [region, shape, x, y, w|rx, h|ry, paired]: rect or ellipse on the viewer's left half (paired
// shapes are mirrored onto the right half).
const FRONT = [
  ["face", "e", 90, 30, 20, 25, false], ["ear", "e", 67, 32, 4, 8, true], ["neck", "r", 81, 55, 18, 14, false],
  ["shoulder", "e", 60, 78, 13, 10, true], ["chest", "r", 66, 72, 48, 48, false],
  ["abdomen", "r", 68, 120, 44, 44, false], ["groin", "r", 74, 164, 32, 14, false],
  ["hip", "e", 64, 170, 7, 10, true], ["upper_arm", "r", 40, 86, 14, 46, true], ["elbow", "e", 46, 138, 8, 7, true],
  ["forearm", "r", 36, 145, 13, 40, true], ["wrist", "r", 34, 186, 12, 8, true], ["hand", "e", 38, 206, 9, 12, true],
  ["thigh", "r", 68, 180, 20, 72, true], ["knee", "e", 78, 262, 10, 9, true], ["lower_leg", "r", 70, 272, 16, 70, true],
  ["ankle", "e", 78, 348, 8, 6, true], ["foot", "e", 75, 364, 10, 9, true], ["toe", "e", 72, 381, 8, 5, true],
];
const BACK = [
  ["occiput", "e", 90, 30, 20, 25, false], ["neck", "r", 81, 55, 18, 14, false], ["shoulder", "e", 60, 78, 13, 10, true],
  ["upper_back", "r", 66, 72, 48, 44, false], ["lower_back", "r", 68, 116, 44, 34, false],
  ["sacrum", "r", 80, 150, 20, 14, false], ["coccyx", "r", 85, 164, 10, 8, false],
  ["buttock", "e", 76, 180, 13, 13, true], ["ischium", "e", 82, 196, 6, 5, true],
  ["upper_arm", "r", 40, 86, 14, 46, true], ["elbow", "e", 46, 138, 8, 7, true], ["forearm", "r", 36, 145, 13, 40, true],
  ["wrist", "r", 34, 186, 12, 8, true], ["hand", "e", 38, 206, 9, 12, true], ["thigh", "r", 68, 202, 20, 56, true],
  ["knee", "e", 78, 264, 10, 8, true], ["lower_leg", "r", 70, 274, 16, 68, true], ["ankle", "e", 78, 348, 8, 6, true],
  ["heel", "e", 78, 362, 8, 7, true], ["perineum", "r", 85, 172, 10, 6, false],
];

function patientSide(view, viewerLeft) {
  if (view === "anterior") return viewerLeft ? "right" : "left";
  return viewerLeft ? "left" : "right";
}

export function siteLabel(site) {
  if (!site) return "";
  const side = site.side && site.side !== "midline" ? `${site.side} ` : "";
  const view = site.view ? ` (${site.view === "anterior" ? "front" : "back"})` : "";
  return `${side}${(REGION_LABEL[site.region] || site.region).toLowerCase()}${view}`;
}

function Shape({ spec, view, mirrored, value, onPick, disabled, offset }) {
  const [region, kind, x, y, a, b, paired] = spec;
  const sx = mirrored ? 2 * CX - x - (kind === "r" ? a : 0) : x;
  const viewerLeft = !mirrored;
  const side = paired ? patientSide(view, viewerLeft) : "midline";
  const site = { region, side, view };
  const selected = value && value.region === region && value.view === view
    && (!paired || value.side === side);
  const label = `${siteLabel(site)}`;
  const pick = () => { if (!disabled) onPick(site); };
  const common = {
    class: `region${selected ? " selected" : ""}`, role: "button", tabindex: disabled ? -1 : 0,
    "aria-label": label, "aria-pressed": selected ? "true" : "false", "data-region": region,
    "data-side": side, "data-view": view, onClick: pick,
    onKeyDown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } },
  };
  return kind === "r"
    ? html`<rect x=${sx + offset} y=${y} width=${a} height=${b} rx="3" ...${common}><title>${label}</title></rect>`
    : html`<ellipse cx=${sx + offset} cy=${y} rx=${a} ry=${b} ...${common}><title>${label}</title></ellipse>`;
}

function Figure({ specs, view, offset, value, onPick, disabled }) {
  const shapes = [];
  for (const spec of specs) {
    shapes.push(html`<${Shape} spec=${spec} view=${view} mirrored=${false} value=${value} onPick=${onPick} disabled=${disabled} offset=${offset} />`);
    if (spec[6]) shapes.push(html`<${Shape} spec=${spec} view=${view} mirrored=${true} value=${value} onPick=${onPick} disabled=${disabled} offset=${offset} />`);
  }
  return html`<g class=${`figure figure-${view}`}>
    <text x=${offset + CX} y="412" text-anchor="middle" class="figure-label">${view === "anterior" ? "Front" : "Back"}</text>
    <text x=${offset + 20} y="250" text-anchor="middle" class="side-label">${view === "anterior" ? "R" : "L"}</text>
    <text x=${offset + 160} y="250" text-anchor="middle" class="side-label">${view === "anterior" ? "L" : "R"}</text>
    ${shapes}
  </g>`;
}

// The small regions as buttons. A shape is "small" when it is under TAP (44 px) wide or
// high at the drawing's own size (380 px wide; on a phone it is drawn smaller still).
const TAP = 44;
const VIEWS = [["anterior", FRONT], ["posterior", BACK]];
// Head to toe, the way a nurse reads a body: head and trunk, then the arm, then the leg.
const ORDER = ["face", "head", "occiput", "ear", "neck", "shoulder", "chest", "upper_back", "abdomen",
  "lower_back", "upper_arm", "elbow", "forearm", "wrist", "hand", "sacrum", "coccyx", "hip", "buttock",
  "ischium", "groin", "perineum", "thigh", "knee", "lower_leg", "ankle", "heel", "foot", "toe"];
const isSmall = ([, kind, , , a, b]) => (kind === "r" ? Math.min(a, b) : 2 * Math.min(a, b)) < TAP;
// [region, paired, views it is drawn in, views in which it is small], head to toe.
const SMALL = ORDER.flatMap((region) => {
  const drawn = VIEWS.flatMap(([view, specs]) => specs.filter((s) => s[0] === region).map((s) => [view, s]));
  const small = drawn.filter(([, s]) => isSmall(s)).map(([view]) => view);
  return small.length ? [[region, drawn[0][1][6], drawn.map(([view]) => view), small]] : [];
});
const VIEW_WORD = { anterior: "front", posterior: "back" };

function sameSite(a, b) {
  return !!a && !!b && a.region === b.region && a.side === b.side && a.view === b.view;
}

function SmallButton({ site, word, label, value, onPick, disabled }) {
  const chosen = sameSite(value, site);
  return html`<button type="button" class=${`secondary region-button${chosen ? " selected" : ""}`}
    aria-pressed=${chosen ? "true" : "false"} aria-label=${label}
    data-region=${site.region} data-side=${site.side} data-view=${site.view} disabled=${disabled}
    onClick=${() => { if (!disabled) onPick(site); }}>${chosen ? html`<span aria-hidden="true">✓ </span>` : ""}${word}</button>`;
}

function SmallRegions({ value, onPick, disabled }) {
  // The side each button sets is the one the drawing sets: "right"/"left" for a paired
  // shape, "midline" for an unpaired one (see Shape).
  const groups = [["right", "Patient's right", true], ["left", "Patient's left", true],
    ["midline", "Middle", false]];
  return html`<fieldset class="small-regions" id="body-map-small">
    <legend>Small areas</legend>
    <p class="small">The smaller regions of the drawing, as larger buttons.</p>
    <div class="small-sides">
      ${groups.map(([side, title, paired]) => html`<div class=${`small-side small-${side}`} role="group" aria-labelledby=${`small-${side}`}>
        <h4 id=${`small-${side}`}>${title}</h4>
        <div class="small-buttons">
          ${SMALL.filter((entry) => entry[1] === paired).flatMap(([region, , views, small]) => small.map((view) => {
            const site = { region, side, view };
            const word = views.length > 1 ? `${REGION_LABEL[region]} (${VIEW_WORD[view]})` : REGION_LABEL[region];
            const label = paired ? `${side === "right" ? "Right" : "Left"} ${word.toLowerCase()}` : word;
            return html`<${SmallButton} site=${site} word=${word} label=${label} value=${value} onPick=${onPick} disabled=${disabled} />`;
          }))}
        </div>
      </div>`)}
    </div>
  </fieldset>`;
}

export function BodyMap({ value, onChange, disabled }) {
  return html`<div class="body-map" id="body-map">
    <p class="small">Body site: choose the region on the front or back view (R and L are the patient's right and left). The smaller areas also have larger buttons below the drawing.</p>
    <svg viewBox="0 0 380 420" width="380" height="420" role="group" aria-label="Body map">
      <${Figure} specs=${FRONT} view="anterior" offset=${0} value=${value} onPick=${onChange} disabled=${disabled} />
      <${Figure} specs=${BACK} view="posterior" offset=${200} value=${value} onPick=${onChange} disabled=${disabled} />
    </svg>
    <${SmallRegions} value=${value} onPick=${onChange} disabled=${disabled} />
  </div>`;
}

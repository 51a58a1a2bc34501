// What blocks this step: each blocker with a link to the field (or action) that clears it.
import { html } from "../html.js";
import { fieldId } from "../paths.js";
import { blockers, refusal, snapshot } from "../store.js";
import { plainMessage } from "../wording.js";

function focusPath(path) {
  const el = document.getElementById(fieldId(path));
  if (el) {
    el.scrollIntoView({ block: "center" });
    el.focus();
  }
}

/** A follow-up blocker names its question ("Which view …? Answer this question …"): the
 * server's sentence is the same for every open question. */
function question(path) {
  const m = /^follow_ups\.(\d+)$/.exec(path || "");
  const item = m && snapshot.value ? (snapshot.value.record.follow_ups || [])[Number(m[1])] : null;
  return item ? html`<strong>${item.question}</strong> ` : "";
}

const ACTION_TARGET = {
  upload_photo: "photo-upload", attest_review: "attest", assemble: "assemble",
  sign_with_pin: "pin", export: "export", remove_photos: "photos",
};

export function BlockerSummary({ title = "To continue" }) {
  const list = blockers.value;
  const r = refusal.value;
  const refused = r && snapshot.value && r.version === snapshot.value.version;
  if (!list.length) return null;
  return html`<section class=${`blocker-summary${refused ? " refused" : ""}`} aria-labelledby="blockers-title" tabindex="-1"
      role=${refused ? "alert" : undefined}>
    <h2 id="blockers-title">${refused ? "This step cannot be completed yet" : title}</h2>
    <ul>${list.map((b) => {
      const target = b.field || ACTION_TARGET[b.action];
      return html`<li data-code=${b.code}>${question(b.field)}${plainMessage(b.message)}
        ${target ? html` <button type="button" class="link" onClick=${() => focusPath(b.field || target)}>Go to it</button>` : ""}</li>`;
    })}</ul>
  </section>`;
}

/** Blockers that name an action (no field), shown beside the button that performs it. */
export function ActionBlockers({ action }) {
  const list = blockers.value.filter((b) => b.action === action);
  if (!list.length) return null;
  return html`<div class="msgs">${list.map((b) => html`<p class="msg blocker" data-code=${b.code}>${plainMessage(b.message)}</p>`)}</div>`;
}

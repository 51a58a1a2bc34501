// Account: change my password, set or change my signing PIN. Both need the current password;
// the server's refusals are shown at the field they concern, in the server's words.
import { useSignal } from "../../vendor/signals.mjs";
import { html } from "../html.js";
import { changePassword, setPin } from "../actions.js";
import { go } from "../router.js";
import { me, notify } from "../store.js";
import { optionLabel, SAY } from "../wording.js";

/** A small form whose fields show the server's per-field problems (problem+json `errors`). */
function CredentialForm({ id, title, intro, fields, submit, onSubmit, done }) {
  const values = useSignal(Object.fromEntries(fields.map((f) => [f.name, ""])));
  const errors = useSignal({});
  const busy = useSignal(false);
  const send = async (e) => {
    e.preventDefault();
    const mismatch = fields.find((f) => f.sameAs && values.value[f.name] !== values.value[f.sameAs]);
    if (mismatch) {
      errors.value = { [mismatch.name]: "This does not match the new password." };
      return;
    }
    const broken = fields.find((f) => f.rule && !f.rule.test(values.value[f.name]));
    if (broken) {
      errors.value = { [broken.name]: broken.ruleText };
      return;
    }
    errors.value = {};
    busy.value = true;
    try {
      await onSubmit(values.value);
      values.value = Object.fromEntries(fields.map((f) => [f.name, ""]));
      notify(done);
    } catch (err) {
      const next = {};
      for (const x of err.errors || []) {
        const key = String(x.path || "").replace(/^body\./, "");
        if (fields.some((f) => f.name === key) && !next[key]) next[key] = x.message;
      }
      if (!Object.keys(next).length) next.form = (err.problem && err.problem.detail) || "That did not work; try again.";
      errors.value = next;
    } finally {
      busy.value = false;
    }
  };
  return html`<section class="subpanel" aria-labelledby=${`${id}-title`}>
    <h2 id=${`${id}-title`}>${title}</h2>
    <p>${intro}</p>
    <form id=${id} onSubmit=${send}>
      ${fields.map((f) => {
        const fid = `${id}-${f.name}`;
        const error = errors.value[f.name];
        return html`<div class="field"><label for=${fid}>${f.label}</label>
          <input id=${fid} type="password" autocomplete=${f.autocomplete} inputmode=${f.inputmode}
            value=${values.value[f.name]} aria-describedby=${`${fid}-msg`}
            aria-invalid=${error ? "true" : undefined} class=${error ? "invalid" : ""}
            onInput=${(e) => { values.value = { ...values.value, [f.name]: e.currentTarget.value }; }} />
          <div id=${`${fid}-msg`} class="msgs">${error
            ? html`<p class="msg error" role="alert"><span aria-hidden="true">⚠ </span>${error}</p>` : ""}</div>
        </div>`;
      })}
      ${errors.value.form ? html`<p class="msg error" role="alert">${errors.value.form}</p>` : ""}
      <button type="submit" class="primary" disabled=${busy.value}>${submit}</button>
    </form>
  </section>`;
}

export function Account() {
  const who = me.value;
  return html`<main id="main" tabindex="-1" class="account">
    <p><a href="#/cases" onClick=${(e) => { e.preventDefault(); go("#/cases"); }}>‹ My cases</a></p>
    <h1>Account</h1>
    <p>${who.display_name} · ${who.email} · ${optionLabel("Role", who.role)}</p>
    <div class="grid2">
      <${CredentialForm} id="password-form" title="Password"
        intro="Changing your password logs you out on every other device."
        submit="Change password" done="Your password is changed."
        fields=${[
          { name: "current_password", label: "Current password", autocomplete: "current-password" },
          { name: "new_password", label: "New password", autocomplete: "new-password" },
          { name: "confirm", label: "New password again", autocomplete: "new-password", sameAs: "new_password" },
        ]}
        onSubmit=${(v) => changePassword(v.current_password, v.new_password)} />
      <${CredentialForm} id="pin-form" title="Signing PIN"
        intro=${who.pin_set ? "Your PIN signs records. Change it here (4–12 digits)."
          : "You have no signing PIN yet. Set one here (4–12 digits)."}
        submit=${who.pin_set ? "Change PIN" : "Set PIN"} done="Your PIN is set."
        fields=${[
          { name: "password", label: "Password", autocomplete: "current-password" },
          { name: "pin", label: "New PIN", autocomplete: "off", inputmode: "numeric", rule: /^\d{4,12}$/, ruleText: SAY.pinRule },
        ]}
        onSubmit=${(v) => setPin(v.password, v.pin)} />
    </div>
  </main>`;
}

import { useSignal } from "../../vendor/signals.mjs";
import { html } from "../html.js";
import { login } from "../actions.js";
import { route } from "../store.js";

export function Login() {
  const email = useSignal("");
  const password = useSignal("");
  const error = useSignal(null);
  const working = useSignal(false);
  const onSubmit = async (e) => {
    e.preventDefault();
    error.value = null;
    working.value = true;
    try {
      await login(email.value.trim(), password.value);
      password.value = "";
    } catch (err) {
      error.value = err.status === 401 || err.status === 422 || err.status === 400
        ? (err.problem && err.problem.detail) || "The email or password is not right."
        : err.status === 429 ? err.problem.detail || "Too many attempts; wait a moment."
        : "The server cannot be reached; try again in a moment.";
    } finally {
      working.value = false;
    }
  };
  const next = route.value.next;
  return html`<main id="main" tabindex="-1" class="login">
    <form class="card" onSubmit=${onSubmit} aria-labelledby="login-title" novalidate>
      <h1 id="login-title">Log in</h1>
      <p class="lead">Wound-care intake console${next && next.startsWith("/case/") ? " — you will return to the case you were working on." : ""}</p>
      <div class="field">
        <label for="login-email">Email</label>
        <input id="login-email" type="email" autocomplete="username" required value=${email.value}
          onInput=${(e) => { email.value = e.currentTarget.value; }} />
      </div>
      <div class="field">
        <label for="login-password">Password</label>
        <input id="login-password" type="password" autocomplete="current-password" required value=${password.value}
          onInput=${(e) => { password.value = e.currentTarget.value; }} />
      </div>
      ${error.value ? html`<p class="msg error" role="alert" id="login-error">${error.value}</p>` : ""}
      <button type="submit" class="primary" disabled=${working.value}>${working.value ? "Logging in…" : "Log in"}</button>
    </form>
  </main>`;
}

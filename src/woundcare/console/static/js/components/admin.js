// Administration (lazy-loaded; organisation admins only).
import { html } from "../html.js";

export function Admin() {
  return html`<main id="main" tabindex="-1"><h1>Administration</h1></main>`;
}

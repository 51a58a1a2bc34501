// One place that binds htm to Preact: every component writes html`...` (no build step).
import { h, render, Fragment } from "../vendor/preact.mjs";
import htm from "../vendor/htm.mjs";

export const html = htm.bind(h);
export { render, Fragment };

// The home page (lazy-loaded): the clinician's cases.
export { CaseList as Home } from "./case-list.js";

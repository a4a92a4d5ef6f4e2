export { loadCore } from "./core.js";

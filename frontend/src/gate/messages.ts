// Registers the gate's catalogue (catalogue.ts) as the "gate" namespace.
import { registerMessages } from "../i18n/index.js";
import { en, zh } from "./catalogue.js";

registerMessages("gate", { en, zh });

export { KNOWN_REASONS } from "./catalogue.js";

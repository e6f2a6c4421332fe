// Every refusal the gate can answer is said in words at the door, in English and in Chinese.
import { expect } from "chai";

import { en, KNOWN_REASONS, zh } from "../../frontend/src/gate/catalogue.js";
import { REFUSAL_REASONS, type RefusalReason } from "../../lib/pass/index.js";
import type { GateRefusalReason } from "../../server/gate/service.js";

describe("Gate scanner messages", function () {
  it("have a title and a sentence for every refusal reason, in English and Simplified Chinese", function () {
    // The pass's reasons, and the server's own (server/gate/service.ts GateRefusalReason).
    // A Record, so that a reason added to the server without a line here does not compile.
    const serverReasons: Record<Exclude<GateRefusalReason, RefusalReason>, true> = {
      "event-cancelled": true,
      "door-not-open": true,
      "no-backup-code": true,
      "bad-backup-code": true,
      "backup-code-locked": true,
    };
    for (const reason of [...REFUSAL_REASONS, ...Object.keys(serverReasons)]) {
      expect(KNOWN_REASONS.has(reason), reason).to.equal(true);
      for (const catalogue of [en, zh]) {
        const entry = (catalogue.reason as Record<string, { title: string; text: string }>)[reason];
        expect(entry?.title, reason).to.be.a("string").and.not.equal("");
        expect(entry?.text, reason).to.be.a("string").and.not.equal("");
      }
      expect((zh.reason as Record<string, { text: string }>)[reason].text, `${reason} is translated`).to.not.equal((en.reason as Record<string, { text: string }>)[reason].text);
    }
  });
});

// Every custom error a call from the app can meet (the event's, the factory's, the membership
// programs', and what the event passes through from its ERC-20 currency or its membership program) has a sentence in English and Simplified Chinese,
// with a placeholder for each argument the sentence names, so no selector ever reaches a fan.
import { expect } from "chai";

import { chainpassEventAbi, chainpassMembershipAbi, ticketFactoryAbi } from "../../lib/abi/index.js";
import { errorsEn, errorsZh } from "../../frontend/src/i18n/errors.js";

describe("Error sentences", function () {
  const errors = [...chainpassEventAbi, ...ticketFactoryAbi, ...chainpassMembershipAbi].filter((item) => item.type === "error");

  it("exist for every error in the ABIs, in both languages, and name only the error's own arguments", function () {
    expect(errors.map((e) => e.name)).to.include.members(["ERC20InsufficientBalance", "ERC20InsufficientAllowance", "CurrencyPermitFailed"]);
    for (const error of errors) {
      const inputs = new Set<string>(error.inputs.map((input) => input.name));
      for (const [language, catalogue] of [["en", errorsEn], ["zh", errorsZh]] as const) {
        const sentence = (catalogue as unknown as Record<string, unknown>)[error.name];
        expect(sentence, `${language} ${error.name}`).to.be.a("string").and.not.equal("");
        for (const [, placeholder] of (sentence as string).matchAll(/\{\{(\w+)\}\}/g)) {
          expect(inputs.has(placeholder), `${language} ${error.name} names {{${placeholder}}}`).to.equal(true);
        }
      }
      expect(errorsZh[error.name as keyof typeof errorsZh], `${error.name} is translated`).to.not.equal(errorsEn[error.name as keyof typeof errorsEn]);
    }
  });
});

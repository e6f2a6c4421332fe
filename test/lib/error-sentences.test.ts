// Every custom error a call from the app can meet (the event's, the factory's, the membership
// programs', and what the event passes through from its ERC-20 currency or its membership program) has a sentence in English and Simplified Chinese,
// with a placeholder for each argument the sentence names, so no selector ever reaches a fan.
import { expect } from "chai";
import type { TFunction } from "i18next";
import { BaseError, ContractFunctionRevertedError, encodeErrorResult, UserRejectedRequestError } from "viem";

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

describe("Errors in words (describeError)", function () {
  let describeError: typeof import("../../frontend/src/shared/errors.js").describeError;
  before(async function () {
    // The module reaches the app's network settings, which make URLs absolute against the page's origin.
    const global = globalThis as { window?: unknown };
    const had = "window" in global;
    global.window ??= { location: { origin: "http://localhost" } };
    try {
      ({ describeError } = await import("../../frontend/src/shared/errors.js"));
    } finally {
      if (!had) delete global.window;
    }
  });
  // The sentence's key and its values, instead of i18next: what the catalogue would be asked for.
  const t = ((key: string, values?: Record<string, unknown>) => `${key}${values && Object.keys(values).length ? JSON.stringify(values) : ""}`) as unknown as TFunction;
  const context = { locale: "en" };
  const bare = chainpassEventAbi.find((item) => item.type === "error" && item.inputs.length === 0)!;

  it("decodes a revert into the contract's error and recognises the wallet's refusal", function () {
    const reverted = new ContractFunctionRevertedError({ abi: chainpassEventAbi, data: encodeErrorResult({ abi: chainpassEventAbi, errorName: bare.name } as never), functionName: "buy" });
    expect(describeError(new BaseError("simulation failed", { cause: reverted }), t, context).name).to.equal(bare.name);
    expect(describeError(new BaseError("request failed", { cause: new UserRejectedRequestError(new Error("no")) }), t, context)).to.deep.equal({ name: "userRejected", message: "errors:userRejected" });
  });

  it("recognises the same errors from another copy of viem's classes (an on-demand chunk's), by name", function () {
    // Not instances of this copy's classes: only their names and shapes are viem's.
    const foreign = (name: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...fields });
    const rejected = foreign("WaitForCallsStatusError", { shortMessage: "The calls failed", cause: foreign("UserRejectedRequestError", { shortMessage: "User rejected the request." }) });
    expect(rejected instanceof BaseError).to.equal(false);
    expect(describeError(rejected, t, context).name).to.equal("userRejected");
    const reverted = foreign("CallExecutionError", { shortMessage: "reverted", cause: foreign("ContractFunctionRevertedError", { shortMessage: "reverted", data: { errorName: bare.name, args: [], abiItem: bare } }) });
    expect(describeError(reverted, t, context).name).to.equal(bare.name);
    expect(describeError(foreign("SomethingElse", { shortMessage: "odd" }), t, context)).to.deep.equal({ name: "unknown", message: 'errors:unknown{"message":"odd"}' });
  });
});

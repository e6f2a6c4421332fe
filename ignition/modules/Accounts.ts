// Passkey accounts and sponsored gas (issue 17) as an Ignition module, deployed after the platform
// (Platform.ts): PasskeyVerifier (OpenZeppelin's ERC-7913 WebAuthn verifier, the passkeys' checker),
// ChainpassAccountFactory (fans' accounts, as clones) and ChainpassPaymaster (the gas budgets).
// Parameters, e.g. in ignition/parameters/<network>.json:
//   { "ChainpassAccounts": { "entryPoint": "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108",
//     "eventImplementation": "<the platform's EventTicket>", "sponsor": "<the server's sponsor key's address>",
//     "owner": "<the platform's multisig>" } }
// The EntryPoint is v0.8's canonical address (deployed on every public chain; local chains get the
// release's bytecode at the same address, scripts/lib/account-stack.ts).
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { entryPoint08Address } from "viem/account-abstraction";

export default buildModule("ChainpassAccounts", (m) => {
  const entryPoint = m.getParameter<string>("entryPoint", entryPoint08Address);
  const eventImplementation = m.getParameter<string>("eventImplementation");
  const sponsor = m.getParameter<string>("sponsor");
  const owner = m.getParameter("owner", m.getAccount(0));
  const passkeyVerifier = m.contract("PasskeyVerifier");
  const accountFactory = m.contract("ChainpassAccountFactory", [entryPoint]);
  const accountImplementation = m.staticCall(accountFactory, "IMPLEMENTATION");
  const paymaster = m.contract("ChainpassPaymaster", [entryPoint, eventImplementation, accountImplementation, sponsor, owner]);
  return { passkeyVerifier, accountFactory, paymaster };
});

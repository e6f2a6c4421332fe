// Local chains only: the ERC-4337 EntryPoint v0.8 (eth-infinitism's, compiled here), which public
// chains have at its canonical address. Its address is the Accounts module's `entryPoint`.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export default buildModule("ChainpassLocalEntryPoint", (m) => ({ entryPoint: m.contract("LocalEntryPoint") }));

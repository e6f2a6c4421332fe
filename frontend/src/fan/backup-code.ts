// The pass's backup code (lib/pass/backup-code.ts) on the fan's phone: registered with the gate the
// first time the pass is opened online (signed by the pass key), then computed here every step
// with no network, like the QR's frames.
import { onlineManager } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";

import {
  backupCodeDigits,
  backupStep,
  delegationDigest,
  formatBackupCode,
  makePass,
  registrationMessage,
  type PassDelegation,
  type PassKey,
} from "../../../lib/pass/index.js";
import { api } from "../shared/api.js";

const storageKey = (d: PassDelegation, tokenId: bigint) => `chainpass.backup.${d.chainId}.${d.ticket.toLowerCase()}.${tokenId}.${d.passKey}`;

async function register(passKey: PassKey, delegation: PassDelegation, holder: Address, walletSignature: Hex, tokenId: bigint): Promise<Hex> {
  const now = Math.floor(Date.now() / 1000);
  const pass = await makePass({ passKey, delegation, holder, walletSignature, tokenId, now });
  const proof = bytesToHex(await passKey.sign(registrationMessage(delegationDigest(delegation), tokenId, now)));
  const { secret } = await api<{ secret: Hex }>(`/gate/${delegation.ticket}/backup-codes`, { method: "POST", json: { pass, proof } });
  return secret;
}

/**
 * The ticket's current backup code ("1000123 482 913"), or null until this phone is registered
 * (it tries when the pass opens, and again each minute while it has no code).
 */
export function useBackupCode(pass: { passKey: PassKey; delegation: PassDelegation; holder: Address; walletSignature: Hex } | undefined, tokenId: bigint): string | null {
  const [code, setCode] = useState<string | null>(null);
  useEffect(() => {
    if (!pass) return;
    const key = storageKey(pass.delegation, tokenId);
    let secret = localStorage.getItem(key) as Hex | null;
    let cancelled = false;
    let lastTry = 0;
    let step = -1;
    const tick = async () => {
      if (!secret && onlineManager.isOnline() && Date.now() - lastTry > 60_000) {
        lastTry = Date.now();
        try {
          secret = await register(pass.passKey, pass.delegation, pass.holder, pass.walletSignature, tokenId);
          localStorage.setItem(key, secret);
        } catch {
          // The gate cannot be reached or refused (the ticket moved): the QR is the pass; try later.
        }
      }
      const now = backupStep(Date.now() / 1000);
      if (secret && now !== step) {
        step = now;
        const digits = await backupCodeDigits(hexToBytes(secret), tokenId, now);
        if (!cancelled) setCode(formatBackupCode(tokenId, digits));
      }
    };
    void tick();
    const id = setInterval(() => void tick(), 1000);
    return () => {
      cancelled = true;
      clearInterval(id);
    };
  }, [pass, tokenId]);
  return code;
}

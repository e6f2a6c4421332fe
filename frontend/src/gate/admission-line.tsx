// Who admitted a ticket, in the door's words: a device's or a staff member's name, and the line
// under an already-used ticket (when, by whom, how), as the scanner's verdict and the lookup show it.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { isAddressEqual } from "viem";
import { useAccount } from "wagmi";

import type { AdmissionWinner } from "../../../lib/offline-admissions.js";
import { formatDateTime, formatTime, shortAddress } from "../shared/format.js";
import { admissionOf } from "./gate-api.js";
import { gateClock } from "./gate-clock.js";

/**
 * Names who admitted a ticket, in the door's words: this device, another by its name, a staff
 * member by address, or the chain (checked in there, not through these gates).
 */
export function useAdmitterName(device: string) {
  const { t } = useTranslation("gate");
  return (d: AdmissionWinner) =>
    d.onChain && !d.staff ? t("offline.conflictChain") : d.device === device ? t("offline.conflictHere") : (d.deviceLabel ?? (d.staff ? shortAddress(d.staff) : t("offline.conflictOther")));
}

/**
 * Under an already-used refusal, and a used ticket the lookup found: when the ticket was admitted,
 * by whom and how, asked of the gate once it shows (the refusal itself does not wait for it).
 * Staff can tell their own scan a moment ago, whose answer they missed, from a pass used at
 * another door.
 */
export function UsedAt({ event, tokenId, device, zone, testId = "verdict-used-at" }: { event: string; tokenId: string; device: string; zone: string | undefined; testId?: string }) {
  const { t, i18n } = useTranslation("gate");
  const { address } = useAccount();
  const who = useAdmitterName(device);
  const admission = useQuery({
    queryKey: ["gate-admission", event, tokenId],
    queryFn: ({ signal }) => admissionOf(event, tokenId, signal),
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });
  const found = admission.data;
  if (!found) return null;
  let text: string;
  if (found.at === undefined) text = t("usedAt.onChain");
  else {
    // A ticket used on another day (a season's timed entry) shows its date too.
    const old = gateClock.nowSeconds() - found.at > 12 * 3600;
    const at = old ? formatDateTime(found.at, i18n.language, zone) : formatTime(found.at, i18n.language, zone);
    const mine = !found.device && found.staff !== undefined && address !== undefined && isAddressEqual(found.staff as `0x${string}`, address);
    const how = t(`usedAt.method.${found.method ?? "qr"}`, { defaultValue: found.method ?? "" });
    text = t("usedAt.admitted", { at, who: mine ? t("usedAt.you") : who(found), how });
  }
  return (
    <span className="gate-verdict-used" data-testid={testId} data-at={found.at ?? ""}>
      {text}
    </span>
  );
}

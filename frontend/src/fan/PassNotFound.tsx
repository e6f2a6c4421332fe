// Why a pass cannot be shown: the ticket is not in this wallet's list. Asks the chain who holds it
// so the fan reads "held by 0x…" rather than a bare "not found". Loaded only on this path: the
// contract read (ABI, viem's call action) would otherwise weigh on every pass that opens fine.
import { useTranslation } from "react-i18next";
import { getAddress, isAddressEqual, zeroAddress, type Address } from "viem";
import { useReadContract } from "wagmi";

import { chainpassEventFanAbi } from "../../../lib/abi/index.js";
import { Loading } from "../shared/ui.js";

export function PassNotFound({ eventAddress, tokenId, viewer }: { eventAddress: string; tokenId: string; viewer?: Address }) {
  const { t } = useTranslation("fan");
  const owner = useReadContract({
    address: getAddress(eventAddress || zeroAddress),
    abi: chainpassEventFanAbi,
    functionName: "ownerOf",
    args: [BigInt(/^\d+$/.test(tokenId) ? tokenId : "0")],
    query: { enabled: !!eventAddress },
  });
  if (owner.isLoading) return <Loading />;
  const holder = owner.data;
  return (
    <p className="notice error" role="alert" data-testid="pass-not-holder">
      {holder && viewer && !isAddressEqual(holder, viewer) ? t("pass.notHolder", { holder }) : t("pass.notFound")}
    </p>
  );
}

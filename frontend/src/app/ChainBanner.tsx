// A wallet on another chain gets a clear prompt and a one-click switch before anything is sent.
import { useTranslation } from "react-i18next";
import { useAccount, useSwitchChain } from "wagmi";

import { network } from "../wallet/network.js";

export function ChainBanner() {
  const { t } = useTranslation();
  const { chainId, isConnected } = useAccount();
  const { switchChain, isPending, error } = useSwitchChain();
  if (!isConnected || chainId === network.chainId) return null;
  return (
    <div className="banner warning" role="alert" data-testid="wrong-chain">
      <span>{t("chain.wrong", { current: chainId, expected: network.name })}</span>
      <button type="button" className="primary" disabled={isPending} onClick={() => switchChain({ chainId: network.chainId })}>
        {isPending ? t("chain.switching") : t("chain.switch", { expected: network.name })}
      </button>
      {error && <span className="small">{error.message}</span>}
    </div>
  );
}

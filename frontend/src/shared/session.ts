// Sign-In with Ethereum against the server's auth module: nonce → EIP-4361 message signed by the
// connected wallet → verify → HttpOnly session cookie (a token in a static build on another
// origin: api.ts). The session is per address: switching accounts in the wallet means signing in again.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { isAddressEqual, type Address } from "viem";
import { createSiweMessage } from "viem/siwe";
import { useAccount, useSignMessage } from "wagmi";

import { network } from "../wallet/network.js";
import { api, sessionToken } from "./api.js";

export interface Session {
  address: Address;
  chainId: number;
  expiresAt: number;
}

const SESSION_KEY = ["session"] as const;

export function useSession() {
  const { address } = useAccount();
  const { t } = useTranslation();
  const { signMessageAsync } = useSignMessage();
  const queryClient = useQueryClient();

  const session = useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      const answer = await api<({ signedIn: true } & Session) | { signedIn: false }>("/auth/session");
      if (!answer.signedIn) {
        sessionToken.clear(); // expired or signed out elsewhere
        return null;
      }
      const { address, chainId, expiresAt } = answer;
      return { address, chainId, expiresAt };
    },
    staleTime: 60_000,
  });

  const signIn = useMutation({
    mutationFn: async () => {
      if (!address) throw new Error(t("connectFirst"));
      const { nonce } = await api<{ nonce: string }>("/auth/nonce");
      const issuedAt = new Date();
      const message = createSiweMessage({
        domain: window.location.host,
        address,
        statement: t("session.statement"),
        uri: window.location.origin,
        version: "1",
        chainId: network.chainId,
        nonce,
        issuedAt,
        expirationTime: new Date(issuedAt.getTime() + 10 * 60_000),
      });
      const signature = await signMessageAsync({ message });
      const { token, ...session } = await api<Session & { token?: string }>("/auth/verify", { method: "POST", json: { message, signature } });
      sessionToken.set(token);
      return session;
    },
    onSuccess: (data) => queryClient.setQueryData(SESSION_KEY, data),
  });

  const signOut = useMutation({
    mutationFn: () => api("/auth/logout", { method: "POST", json: {} }),
    onSettled: () => sessionToken.clear(),
    onSuccess: () => {
      queryClient.setQueryData(SESSION_KEY, null);
    },
  });

  const current = session.data ?? null;
  /** Signed in as the wallet's current account (a session for another account does not count). */
  const signedIn = !!current && !!address && isAddressEqual(current.address, address);
  return { session: current, signedIn, loading: session.isLoading, signIn, signOut };
}

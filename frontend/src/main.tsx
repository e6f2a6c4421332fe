import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { WagmiProvider } from "wagmi";

import "./i18n/index.js";
import "./styles.css";
import { router } from "./app/routes.js";
import { watchConnectivity } from "./shared/offline.js";
import { wagmiConfig } from "./wallet/config.js";

// Opened with no network, queries wait for it (pages show their offline copies) and the shell says
// so (shared/offline.ts useOnline). Offline is what the browser says or what requests find.
const requestFailed = watchConnectivity();

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: requestFailed }),
  defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: true } },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <WagmiProvider config={wagmiConfig}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </WagmiProvider>
  </StrictMode>,
);

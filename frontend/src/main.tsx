import { onlineManager, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { WagmiProvider } from "wagmi";

import "./i18n/index.js";
import "./styles.css";
import { router } from "./app/routes.js";
import { wagmiConfig } from "./wallet/config.js";

// Opened with no network, queries wait for it (pages show their offline copies) and the shell says
// so (shared/offline.ts useOnline); TanStack Query itself only follows the online/offline events.
onlineManager.setOnline(navigator.onLine);

const queryClient = new QueryClient({
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

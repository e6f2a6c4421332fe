// Routes, each area loaded on demand: a fan's phone downloads neither the organizer console
// (and its charts) nor the gate scanner. A static build (scripts/build-web.ts) routes in the URL's
// hash (index.html#/events/0x..), so any static host or IPFS gateway path serves every route.
import { createBrowserRouter, createHashRouter } from "react-router";

import { Layout, NotFound } from "./Layout.js";

const createRouter = import.meta.env.VITE_CHAINPASS_STATIC === "1" ? createHashRouter : createBrowserRouter;

export const router = createRouter([
  {
    element: <Layout />,
    children: [
      { index: true, lazy: () => import("../fan/ExplorePage.js").then((m) => ({ Component: m.ExplorePage })) },
      { path: "events/:event", lazy: () => import("../fan/EventPage.js").then((m) => ({ Component: m.EventPage })) },
      { path: "events/:event/checkout/:tier", lazy: () => import("../fan/CheckoutPage.js").then((m) => ({ Component: m.CheckoutPage })) },
      { path: "events/:event/resale", lazy: () => import("../fan/ResalePage.js").then((m) => ({ Component: m.ResalePage })) },
      { path: "tickets", lazy: () => import("../fan/MyTicketsPage.js").then((m) => ({ Component: m.MyTicketsPage })) },
      { path: "membership", lazy: () => import("../fan/MembershipsPage.js").then((m) => ({ Component: m.MembershipsPage })) },
      { path: "wallet", lazy: () => import("../fan/PasskeyWalletPage.js").then((m) => ({ Component: m.PasskeyWalletPage })) },
      { path: "membership/:organizer", lazy: () => import("../fan/ProgramPage.js").then((m) => ({ Component: m.ProgramPage })) },
      { path: "tickets/:event/:tokenId", lazy: () => import("../fan/PassPage.js").then((m) => ({ Component: m.PassPage })) },
      { path: "organizer", lazy: () => import("../organizer/OrganizerHome.js").then((m) => ({ Component: m.OrganizerHome })) },
      { path: "organizer/new", lazy: () => import("../organizer/CreateEventPage.js").then((m) => ({ Component: m.CreateEventPage })) },
      { path: "organizer/:event/*", lazy: () => import("../organizer/EventConsole.js").then((m) => ({ Component: m.EventConsole })) },
      { path: "gate", lazy: () => import("../gate/GateHome.js").then((m) => ({ Component: m.GateHome })) },
      { path: "gate/:event", lazy: () => import("../gate/ScannerPage.js").then((m) => ({ Component: m.ScannerPage })) },
      { path: "*", Component: NotFound },
    ],
  },
]);

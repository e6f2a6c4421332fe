// Routes, each area loaded on demand: a fan's phone downloads neither the organizer console
// (and its charts) nor the gate scanner.
import { createBrowserRouter } from "react-router";

import { Layout, NotFound } from "./Layout.js";

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, lazy: () => import("../fan/ExplorePage.js").then((m) => ({ Component: m.ExplorePage })) },
      { path: "events/:event", lazy: () => import("../fan/EventPage.js").then((m) => ({ Component: m.EventPage })) },
      { path: "events/:event/checkout/:tier", lazy: () => import("../fan/CheckoutPage.js").then((m) => ({ Component: m.CheckoutPage })) },
      { path: "events/:event/resale", lazy: () => import("../fan/ResalePage.js").then((m) => ({ Component: m.ResalePage })) },
      { path: "tickets", lazy: () => import("../fan/MyTicketsPage.js").then((m) => ({ Component: m.MyTicketsPage })) },
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

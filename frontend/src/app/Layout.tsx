// The frame of every page: navigation, language, wallet, the wrong-chain prompt.
import { Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet, useLocation } from "react-router";

import { LOCALES, setLocale, type Locale } from "../i18n/index.js";
import { useOnline } from "../shared/offline.js";
import { Loading } from "../shared/ui.js";
import { ChainBanner } from "./ChainBanner.js";
import { WalletButton } from "./WalletButton.js";

export function Layout() {
  const { t, i18n } = useTranslation();
  const online = useOnline();
  // The gate's scanner says it in its own words (the staff's, not a fan's).
  const { pathname } = useLocation();
  const atGate = pathname.startsWith("/gate");
  // A new page opens at its top, not at the scroll position of the page the link was on.
  // A block body: Chromium's scrollTo returns a promise, which React would take for the cleanup and call.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);
  return (
    <>
      {/* Not a plain #main link: under the static build's hash router that would be a route. */}
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <NavLink to="/" className="brand">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" width={24} height={24} /> {t("brand")}
        </NavLink>
        <nav aria-label="Main">
          <NavLink to="/" end>
            {t("nav.explore")}
          </NavLink>
          <NavLink to="/tickets">{t("nav.tickets")}</NavLink>
          <NavLink to="/membership" data-testid="nav-memberships">
            {t("nav.memberships")}
          </NavLink>
          <NavLink to="/organizer">{t("nav.organizer")}</NavLink>
          <NavLink to="/gate">{t("nav.gate")}</NavLink>
        </nav>
        <div className="top-actions">
          <select aria-label={t("locale")} value={i18n.language} onChange={(e) => setLocale(e.target.value as Locale)} data-testid="locale">
            {LOCALES.map((l) => (
              <option key={l.code} value={l.code}>
                {l.label}
              </option>
            ))}
          </select>
          <WalletButton />
        </div>
      </header>
      <ChainBanner />
      {!online && !atGate && (
        <p className="banner warning" role="status" data-testid="app-offline">
          {t("offlineBanner")}
        </p>
      )}
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="card center">
      <p>{t("notFound")}</p>
      <NavLink to="/">{t("home")}</NavLink>
    </section>
  );
}

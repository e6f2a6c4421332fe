// English and Simplified Chinese. The shell's catalogues (common, errors) load with the app;
// each area (fan, organizer, gate) registers its own namespace when its code loads, so a fan's
// phone never downloads the organizer console's strings.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import { commonEn, commonZh } from "./common.js";
import { errorsEn, errorsZh } from "./errors.js";
import { MISSING_KEY } from "./missing-key.js";

export const LOCALES = [
  { code: "en", label: "English" },
  { code: "zh-CN", label: "简体中文" },
] as const;
export type Locale = (typeof LOCALES)[number]["code"];

const STORAGE_KEY = "chainpass.locale";
const stored = localStorage.getItem(STORAGE_KEY);
const initial: Locale = stored === "en" || stored === "zh-CN" ? stored : navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";

void i18n.use(initReactI18next).init({
  lng: initial,
  fallbackLng: "en",
  defaultNS: "common",
  ns: ["common", "errors"],
  resources: { en: { common: commonEn, errors: errorsEn }, "zh-CN": { common: commonZh, errors: errorsZh } },
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  // A key no catalogue has would show as the key itself: say so where the browser tests look
  // (test/e2e/support/flows.ts fails a test that logged one).
  saveMissing: true,
  missingKeyHandler: (_languages, namespace, key) => console.error(`${MISSING_KEY} ${namespace}:${key}`),
});
document.documentElement.lang = initial;

export function setLocale(locale: Locale) {
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
  void i18n.changeLanguage(locale);
}

/** Adds an area's catalogues (call at the top level of the area's module). */
export function registerMessages(namespace: string, messages: { en: Record<string, unknown>; zh: Record<string, unknown> }) {
  i18n.addResourceBundle("en", namespace, messages.en, true, true);
  i18n.addResourceBundle("zh-CN", namespace, messages.zh, true, true);
}

export default i18n;

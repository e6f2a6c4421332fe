/** How the app reports a message key no catalogue has, on the console (the browser tests look for it). */
export const MISSING_KEY = "i18n: no message for";

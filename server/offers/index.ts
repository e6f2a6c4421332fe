export { registerOffers, parseVoucher, serializeVoucher } from "./routes.js";
export { OffersStore } from "./store.js";

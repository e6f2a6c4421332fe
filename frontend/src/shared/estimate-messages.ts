// The strings of the estimates in US dollars (namespace "estimate", shared/price-estimate.tsx),
// English and Simplified Chinese: apart from the fan catalogue, so only the routes that show
// estimates load them (the pass page does not).
import { registerMessages } from "../i18n/index.js";

const en = {
  title: "Estimate in US dollars from the {{network}} price feed",
  hidden: "(estimate in US dollars)",
  note: "≈ amounts are estimates in US dollars from the {{network}} price feed, for reference only: you pay the amount in crypto.",
};

const zh: typeof en = {
  title: "根据 {{network}} 链上价格数据估算的美元金额",
  hidden: "（美元估算）",
  note: "带 ≈ 的金额是根据 {{network}} 链上价格数据估算的美元金额，仅供参考：实际支付的是加密货币金额。",
};

registerMessages("estimate", { en, zh });

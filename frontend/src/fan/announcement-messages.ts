// The strings of a fan's announcements (namespace "announcements": ./Announcements.tsx on My
// tickets and the membership pages), English and Simplified Chinese: a catalogue of their own, so
// that no other fan route (the checkout is at its size budget) carries them.
import { registerMessages } from "../i18n/index.js";

const en = {
  title: "Announcements",
  from: "From {{name}}",
  toMembers: "For all members",
  toLevel: "For {{level}} members and above",
  loading: "Loading announcements…",
  failed: "Announcements could not be loaded.",
  loadingText: "Loading the text…",
  unavailable: "The text of this announcement could not be loaded.",
  none: "No announcements yet.",
  more: "Show {{count}} more",
  feed: "JSON feed",
  feeds: "JSON feeds:",
};

const zh: typeof en = {
  title: "公告",
  from: "来自{{name}}",
  toMembers: "面向全体会员",
  toLevel: "面向{{level}}及以上会员",
  loading: "正在加载公告……",
  failed: "无法加载公告。",
  loadingText: "正在加载正文……",
  unavailable: "无法加载此公告的正文。",
  none: "暂无公告。",
  more: "再显示 {{count}} 条",
  feed: "JSON 订阅源",
  feeds: "JSON 订阅源：",
};

registerMessages("announcements", { en, zh });

import type { SimulatedCard } from "./simulator";

/**
 * The simulated 粤政易 phone screen: a server-rendered page with plain HTML forms (the platform's
 * content security policy allows no inline script), one card per task or notice.
 */

export type PageLocale = "zh-CN" | "zh-HK" | "en";

const TEXT = {
  "zh-CN": {
    app: "粤政易（模拟器）",
    todo: "待办",
    notices: "通知",
    empty: "暂无待办事项和通知。",
    signIn: "请先在本站以工作人员账号登录，再打开本页：本模拟器以平台会话代替粤政易的登录。",
    signInLink: "前往登录",
    notLinked:
      "你的账号尚未绑定粤政易账号。可在工作台绑定，或由管理员调用 PUT /api/office/mobile/accounts/{用户ID}。",
    due: "办理时限",
    claim: "签收",
    read: "标记已读",
    openWeb: "在电脑端打开",
    done: "已办理",
    readDone: "已读",
    comment: "意见（可选）",
    account: "粤政易账号",
    refresh: "每 10 秒自动刷新",
  },
  "zh-HK": {
    app: "粵政易（模擬器）",
    todo: "待辦",
    notices: "通知",
    empty: "暫無待辦事項和通知。",
    signIn: "請先在本站以工作人員帳戶登入，再打開本頁：本模擬器以平台會話代替粵政易的登入。",
    signInLink: "前往登入",
    notLinked:
      "你的帳戶尚未綁定粵政易帳戶。可在工作台綁定，或由管理員調用 PUT /api/office/mobile/accounts/{用戶ID}。",
    due: "辦理時限",
    claim: "簽收",
    read: "標記已讀",
    openWeb: "在電腦端打開",
    done: "已辦理",
    readDone: "已讀",
    comment: "意見（可選）",
    account: "粵政易帳戶",
    refresh: "每 10 秒自動刷新",
  },
  en: {
    app: "Yuezhengyi (simulator)",
    todo: "To do",
    notices: "Notices",
    empty: "Nothing to do and no notices.",
    signIn:
      "Sign in to this site with a staff account first, then open this page: the simulator stands in for the app's own sign-in with your platform session.",
    signInLink: "Sign in",
    notLinked:
      "Your account is not linked to a Yuezhengyi account yet. Link it in the work portal, or an administrator calls PUT /api/office/mobile/accounts/{userId}.",
    due: "Due",
    claim: "Claim",
    read: "Mark read",
    openWeb: "Open on the computer",
    done: "Done",
    readDone: "Read",
    comment: "Comment (optional)",
    account: "App account",
    refresh: "refreshes every 10 s",
  },
} as const;

export function pickLocale(query: string | undefined, acceptLanguage: string | undefined): PageLocale {
  if (query === "zh-CN" || query === "zh-HK" || query === "en") return query;
  const accept = (acceptLanguage ?? "").toLowerCase();
  if (/^(zh-(hk|tw|mo)|zh-hant)/.test(accept)) return "zh-HK";
  if (accept.startsWith("en")) return "en";
  return "zh-CN";
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function formatDue(iso: string, locale: PageLocale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: "Asia/Shanghai",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}

const STYLE = `
body{margin:0;background:#e9edf3;font:15px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2329}
.phone{max-width:390px;min-height:100vh;margin:0 auto;background:#f5f6f8;box-shadow:0 0 24px rgba(0,0,0,.12)}
header{background:#1b6ff5;color:#fff;padding:14px 16px}
header h1{margin:0;font-size:18px}header p{margin:2px 0 0;font-size:12px;opacity:.85}
h2{font-size:14px;color:#646a73;margin:16px 16px 8px}
.card{background:#fff;border-radius:10px;margin:0 12px 10px;padding:12px 14px}
.card h3{margin:0 0 2px;font-size:16px}.meta{font-size:12px;color:#8f959e}
.note{font-size:12px;color:#d83931;margin-top:6px}
.state{font-size:12px;color:#34a853;margin-top:6px}
form{margin:10px 0 0}.row{display:flex;gap:8px;flex-wrap:wrap}
input[type=text]{width:100%;box-sizing:border-box;border:1px solid #d0d3d6;border-radius:6px;padding:6px 8px;margin-bottom:8px}
button{flex:1;border:0;border-radius:6px;padding:9px 0;font-size:15px;background:#1b6ff5;color:#fff}
button.reject{background:#fff;color:#d83931;border:1px solid #d83931}button.plain{background:#eef3fe;color:#1b6ff5}
a{color:#1b6ff5;font-size:13px}.empty{text-align:center;color:#8f959e;padding:32px 0}
`;

function layout(locale: PageLocale, subtitle: string, content: string, refresh: boolean): string {
  const t = TEXT[locale];
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">${refresh ? '<meta http-equiv="refresh" content="10">' : ""}
<title>${t.app}</title><style>${STYLE}</style></head>
<body><div class="phone"><header><h1>${t.app}</h1><p>${subtitle}</p></header>${content}</div></body></html>`;
}

export function renderSignIn(locale: PageLocale): string {
  const t = TEXT[locale];
  return layout(
    locale,
    "",
    `<div class="card"><p>${t.signIn}</p><a href="/">${t.signInLink}</a></div>`,
    false,
  );
}

export function renderNotLinked(locale: PageLocale, who: string): string {
  return layout(locale, escapeHtml(who), `<div class="card"><p>${TEXT[locale].notLinked}</p></div>`, false);
}

export function renderCards(
  locale: PageLocale,
  who: string,
  openId: string,
  cards: SimulatedCard[],
  base: string,
): string {
  const t = TEXT[locale];
  const tasks = cards.filter((c) => c.kind === "task");
  const notices = cards.filter((c) => c.kind === "notice");
  const section = (title: string, list: SimulatedCard[]) =>
    list.length === 0
      ? ""
      : `<h2>${title}${locale === "en" ? ` (${list.length})` : `（${list.length}）`}</h2>${list.map((c) => card(c)).join("")}`;
  const card = (c: SimulatedCard) => {
    const action = `${base}/cards/${c.kind}/${encodeURIComponent(c.id)}?lang=${locale}`;
    const meta = [c.subtitle, c.dueAt ? `${t.due} ${formatDue(c.dueAt, locale)}` : null]
      .filter(Boolean)
      .map((m) => escapeHtml(String(m)))
      .join(" · ");
    const buttons: string[] = [];
    if (c.kind === "task" && c.state === "open") {
      for (const a of c.actions) {
        buttons.push(
          `<button name="choice" value="${a.key}" class="${a.key === "reject" ? "reject" : ""}">${escapeHtml(a.label)}</button>`,
        );
      }
      if (c.claimable) buttons.push(`<button name="choice" value="claim" class="plain">${t.claim}</button>`);
    }
    if (c.kind === "notice" && c.state === "open")
      buttons.push(`<button name="choice" value="read" class="plain">${t.read}</button>`);
    const form =
      buttons.length === 0
        ? ""
        : `<form method="post" action="${escapeHtml(action)}">${
            c.kind === "task" && c.actions.length > 0
              ? `<input type="text" name="comment" maxlength="200" placeholder="${t.comment}">`
              : ""
          }<div class="row">${buttons.join("")}</div></form>`;
    const state =
      c.state === "done"
        ? `<div class="state">${t.done}</div>`
        : c.state === "read"
          ? `<div class="state">${t.readDone}</div>`
          : "";
    return `<div class="card"><h3>${escapeHtml(c.title)}</h3><div class="meta">${meta}</div>${state}${
      c.note ? `<div class="note">${escapeHtml(c.note)}</div>` : ""
    }${form}${/^https?:\/\//.test(c.link) ? `<p><a href="${escapeHtml(c.link)}">${t.openWeb}</a></p>` : ""}</div>`;
  };
  const body =
    cards.length === 0
      ? `<div class="empty">${t.empty}</div>`
      : `${section(t.todo, tasks)}${section(t.notices, notices)}`;
  return layout(locale, `${escapeHtml(who)} · ${t.account} ${escapeHtml(openId)} · ${t.refresh}`, body, true);
}

// Channel payloads exactly as each channel delivers them, so the demo exercises the real parsers:
// WeChat push XML, Weibo comment JSON, the portal form JSON, the call-centre work order JSON.

const CN_OFFSET_MS = 8 * 3600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The wall-clock fields of an instant in China Standard Time (UTC+8, no DST). */
export function chinaTime(d: Date) {
  const t = new Date(d.getTime() + CN_OFFSET_MS);
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds(), dow: t.getUTCDay() };
}

/** "2026-11-02 10:00:00", as call-centre systems write local time. */
export function formatChinaDateTime(d: Date): string {
  const c = chinaTime(d);
  return `${c.y}-${pad(c.mo)}-${pad(c.d)} ${pad(c.h)}:${pad(c.mi)}:${pad(c.s)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Weibo's created_at: "Mon Nov 02 10:00:00 +0800 2026". */
export function formatWeiboDate(d: Date): string {
  const c = chinaTime(d);
  return `${DAYS[c.dow]} ${MONTHS[c.mo - 1]} ${pad(c.d)} ${pad(c.h)}:${pad(c.mi)}:${pad(c.s)} +0800 ${c.y}`;
}

/** CDATA cannot contain "]]>"; split it across two sections as XML writers do. */
function cdata(s: string): string {
  return `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export function wechatTextXml(p: { toUser: string; fromUser: string; createTime: Date; content: string; msgId: string }): string {
  return (
    '<xml>' +
    `<ToUserName>${cdata(p.toUser)}</ToUserName>` +
    `<FromUserName>${cdata(p.fromUser)}</FromUserName>` +
    `<CreateTime>${Math.floor(p.createTime.getTime() / 1000)}</CreateTime>` +
    `<MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(p.content)}</Content>` +
    `<MsgId>${p.msgId}</MsgId>` +
    '</xml>'
  );
}

export function weiboCommentJson(p: { id: string; text: string; createdAt: Date; uid: string; screenName: string; statusId: string }): string {
  return JSON.stringify({
    created_at: formatWeiboDate(p.createdAt),
    id: Number(p.id),
    idstr: p.id,
    text: p.text,
    source: '<a href="https://weibo.com/" rel="nofollow">微博 weibo.com</a>',
    user: { id: Number(p.uid), idstr: p.uid, screen_name: p.screenName },
    status: { id: Number(p.statusId), idstr: p.statusId },
  });
}

export function portalFormJson(p: { title: string; content: string; contactName: string; phone: string; district: string; street: string; isPublic: boolean }): string {
  return JSON.stringify({ title: p.title, content: p.content, contactName: p.contactName, phone: p.phone, district: p.district, street: p.street, isPublic: p.isPublic });
}

export function hotlineOrderJson(p: { orderNo: string; callTime: Date; callerPhone: string; content: string; address: string; category: string }): string {
  return JSON.stringify({ orderNo: p.orderNo, callTime: formatChinaDateTime(p.callTime), callerPhone: p.callerPhone, content: p.content, address: p.address, category: p.category });
}

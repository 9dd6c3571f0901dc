// 答复质量检查: advice to staff before a reply goes out, never a gate. Flags a reply that does not
// address the message, lacks the parts residents and reviewers expect, or is a bare template.
import { contentBigrams } from './duplicates';

export type ReplyFlagCode = 'low_relevance' | 'no_greeting' | 'no_findings' | 'no_measures' | 'no_contact' | 'too_short' | 'template_only';

export interface ReplyFlag {
  code: ReplyFlagCode;
  severity: 'warning' | 'info';
  zh: string;
  en: string;
}

export interface ReplyAdvice {
  /** 0–100, for sorting and display; the flags are what matter */
  score: number;
  relevance: number;
  parts: { greeting: boolean; findings: boolean; measures: boolean; contact: boolean };
  flags: ReplyFlag[];
  ok: boolean;
}

const GREETING = /(您好|你好|尊敬的|市民朋友|网友|先生|女士|感谢您|谢谢您)/;
const FINDINGS = /(经核实|经查|经调查|核实|经了解|了解到|现场查看|现场勘查|实地|调查|检查发现|查明|情况如下|经现场)/;
const MEASURES = /(已安排|已派|已责令|已督促|已完成|已修复|已维修|已更换|已清理|已整改|将于|将在|预计|计划|整改|维修|修复|更换|清运|处罚|立案|约谈|督促|协调|解决|恢复)/;
const CONTACT = /(电话|联系|咨询|热线|0553[-－]?\d{7,8}|1[3-9]\d{9}|\d{7,8}|地址|窗口|办公室)/;
const BOILERPLATE = /(来信已收悉|已收悉|高度重视|正在处理|正在办理|感谢您的(来信|关注|支持|理解)|请耐心等待|我们会尽快|尽快处理|相关部门|予以处理)/g;

function stripBoilerplate(text: string): string {
  return text.replace(BOILERPLATE, '').replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** Share of the reply's content bigrams the message also has, against a reply of about that size. */
export function relevance(reply: string, messages: string[]): number {
  const r = contentBigrams(stripBoilerplate(reply));
  const m = new Set(messages.flatMap((t) => [...contentBigrams(t)]));
  if (!r.size || !m.size) return 0;
  let shared = 0;
  for (const b of r) if (m.has(b)) shared++;
  // a good reply echoes the problem (place, object) in a few words; 12 shared bigrams is plenty
  return Math.min(1, shared / Math.min(12, Math.max(4, Math.round(m.size * 0.25))));
}

export function checkReply(reply: string, messages: string[]): ReplyAdvice {
  const text = reply.trim();
  const flags: ReplyFlag[] = [];
  const add = (code: ReplyFlagCode, severity: ReplyFlag['severity'], zh: string, en: string) => flags.push({ code, severity, zh, en });
  const parts = { greeting: GREETING.test(text), findings: FINDINGS.test(text), measures: MEASURES.test(text), contact: CONTACT.test(text) };
  const rel = relevance(text, messages);
  const substance = stripBoilerplate(text).length;
  if ([...text].length < 30) add('too_short', 'warning', '答复过短，未说明办理情况', 'the reply is too short to say what was done');
  if (substance < 20) add('template_only', 'warning', '答复基本是套话，缺少针对本诉求的内容', 'the reply is boilerplate with nothing specific to this message');
  if (rel < 0.35) add('low_relevance', 'warning', '答复与留言内容关联度低，请确认回应了诉求（地点、问题）', 'the reply shares little with the message: check it addresses the place and the problem');
  if (!parts.greeting) add('no_greeting', 'info', '缺少称呼或问候（如“您好”）', 'no greeting or form of address');
  if (!parts.findings) add('no_findings', 'warning', '缺少核实情况（如“经核实……”）', 'does not say what was found (经核实…)');
  if (!parts.measures) add('no_measures', 'warning', '缺少处理结果或措施（已做什么、将做什么、何时完成）', 'does not say what was or will be done, and when');
  if (!parts.contact) add('no_contact', 'info', '缺少联系方式，诉求人无法进一步沟通', 'no contact for the resident to follow up');
  const score = Math.round(
    100 * (0.35 * rel + 0.05 * +parts.greeting + 0.2 * +parts.findings + 0.25 * +parts.measures + 0.1 * +parts.contact + 0.05 * +(substance >= 20)),
  );
  return { score, relevance: Math.round(rel * 100) / 100, parts, flags, ok: !flags.some((f) => f.severity === 'warning') };
}

export const CHANNEL_LABELS: Record<string, string> = { wechat: '微信', weibo: '微博', portal: '留言板', hotline: '12345热线', open311: 'Open311' };
export const STATUS_LABELS: Record<string, string> = {
  received: '已受理', dispatched: '已派单', accepted: '已签收', returned: '已退单', waiting: '待补充',
  replied: '已答复', closed: '已办结', rated: '已回访', merged: '已合并',
};
export const SENTIMENT_LABELS: Record<string, string> = { negative: '负面', neutral: '中性', positive: '正面', unknown: '未知' };
export const URGENCY_LABELS: Record<string, string> = { urgent: '紧急', normal: '一般' };
/** why the NLP's reading waits for 人工复核 (core/nlp/analyze.ts reviewReasons) */
export const REVIEW_REASON_LABELS: Record<string, string> = {
  category: '分类把握不足', requestType: '诉求类型把握不足', urgency: '紧急程度把握不足', sentiment: '情感把握不足', place: '地点把握不足',
  script: '非中文留言', truncated: '留言过长已截断', empty: '内容为空',
};

/** The member of `list` that `v` names (a select's value), if any. */
export function oneOf<T extends string>(list: readonly T[], v: string | null | undefined): T | undefined {
  return list.find((x) => x === v);
}
export const DEADLINE_LABELS: Record<string, string> = { acceptance: '签收时限', response: '响应时限', resolution: '办结时限' };
/** the deadline names SLA timers and their events use */
export const TIMER_DEADLINE_LABELS: Record<string, string> = { dispatch: '派单', accept: '签收', response: '响应', resolve: '办结' };
export const TIMER_LABELS: Record<string, string> = { remind: '催办', overdue: '超期', escalate: '督办' };
export const ROLE_LABELS: Record<string, string> = { admin: '系统管理员', centre: '12345协调中心', department: '承办单位', leader: '督办领导' };

/** the case timeline, in the words staff use */
export const EVENT_LABELS: Record<string, string> = {
  received: '受理', analysed: '智能分析', dispatched: '派单', designated: '指定承办', overridden: '改派', accepted: '签收',
  returned: '退单', contacted: '联系诉求人', paused: '暂停（待补充）', resumed: '恢复办理', 'extension-requested': '申请延期',
  'extension-approved': '批准延期', 'extension-refused': '拒绝延期', replied: '答复', 'reply-rejected': '答复被驳回', closed: '办结',
  rated: '回访评价', reopened: '重办', merged: '合并', split: '拆分', relabelled: '人工更正', reminded: '催办', overdue: '超期', escalated: '督办',
  'deadlines-recomputed': '按正式节假日安排重算时限', 'not-dispatched': '未派单（无法计算时限）',
  'reply-approved': '答复审核通过', 'awaiting-dispatch': '待派单（无规则命中）', 'dispatch-clock-started': '派单时限起算', 'note-added': '内部备注', urged: '人工催办',
  assigned: '指派经办人', instructed: '领导批示', 'instruction-answered': '答复批示', 'photos-added': '居民补充图片',
};
export const EVENT_TONE: Record<string, 'bad' | 'warn' | 'good' | undefined> = {
  overdue: 'bad', escalated: 'bad', reminded: 'warn', urged: 'warn', instructed: 'warn', 'awaiting-dispatch': 'warn', returned: 'warn', reopened: 'bad', 'reply-rejected': 'warn',
  replied: 'good', closed: 'good', rated: 'good', accepted: 'good',
};

/** the audit trail's actions (core/audit/audit.ts AUDIT_ACTIONS), as the admin page names them; `case.*` and the like search a group */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'contact.read': '查看诉求人联系方式', 'case.action': '工单操作', 'triage.correct': '人工复核更正',
  'auth.login': '登录', 'auth.login-failed': '登录失败', 'auth.logout': '退出登录', 'auth.password-changed': '修改密码',
  'admin.user-created': '新建用户', 'admin.user-disabled': '停用用户', 'admin.user-enabled': '启用用户', 'admin.password-reset': '重置密码',
  'admin.token-created': '新建接口令牌', 'admin.token-revoked': '吊销接口令牌', 'staff.request': '其他操作',
};
export const AUDIT_GROUP_LABELS: Record<string, string> = { 'case.*': '全部工单操作', 'auth.*': '全部登录记录', 'admin.*': '全部系统管理' };
/** the case actions' routes (POST /cases/:id/<route>, core/cases/staff-actions.ts), as the audit trail names them */
export const CASE_ACTION_LABELS: Record<string, string> = {
  dispatch: '派单', designate: '指定承办', accept: '签收', return: '退单', contact: '联系诉求人', pause: '暂停（待补充）', resume: '恢复办理',
  'request-extension': '申请延期', 'decide-extension': '审批延期', reply: '答复', 'reject-reply': '驳回答复', 'approve-reply': '审核通过', close: '办结',
  merge: '合并', split: '拆分', note: '内部备注', urge: '催办', assign: '指派经办人', instruct: '领导批示', 'answer-instruction': '答复批示',
};
/** API token scopes */
export const SCOPE_LABELS: Record<string, string> = { read: '只读', write: '读写', admin: '系统管理' };
/** the audit rows' detail fields */
export const AUDIT_DETAIL_LABELS: Record<string, string> = {
  action: '操作', method: '请求方式', path: '地址', status: '结果代码', user: '用户', role: '角色', departmentCode: '单位', tokenId: '令牌编号', name: '用途',
  scopes: '权限', reason: '原因', request: '请求', sessionId: '会话', via: '方式', messageIds: '留言', fields: '字段', changed: '更正',
};

// zh-CN first, English where cheap: one dictionary for navigation and the main labels.
import { createContext, useContext, useState, type ReactNode } from 'react';

export type Lang = 'zh' | 'en';

const EN: Record<string, string> = {
  总览: 'Overview', 工单队列: 'Case queue', 人工复核: 'Review', 领导驾驶舱: 'Leaders', 进度查询: 'Track my message', 我要留言: 'Leave a message', 公开留言选登: 'Public board',
  登录: 'Log in', 退出: 'Log out', 员工登录: 'Staff login', 芜湖市民诉求办理: 'Wuhu residents’ requests',
  在办: 'Open', 超期: 'Overdue', 待复核: 'To review', 待派单: 'To dispatch', 全部: 'All', 我的部门: 'My department',
  答复审核: 'Reply review', 延期审批: 'Extensions', 内部备注: 'Internal note', 催办: 'Urge', 指派经办人: 'Assign', 领导批示: 'Instruction',
  答复批示: 'Answer instruction', 审核通过: 'Approve reply', 备注内容: 'Note', 催办事项: 'What to urge', 经办人: 'Assignee', 批示内容: 'Instruction', 答复内容: 'Answer',
  分类: 'Category', 区县: 'District', 承办单位: 'Department', 搜索: 'Search', 状态: 'Status', 时限: 'Deadline', 编号: 'No.', 标题: 'Title',
  渠道: 'Channel', 类型: 'Type', 紧急: 'Urgent', 上一页: 'Previous', 下一页: 'Next', 共: 'Total', 超过: 'More than', 件: 'cases', 关闭: 'Close',
  全部分类: 'All categories', 全部区县: 'All districts', 全部单位: 'All departments',
  留言内容: 'Messages', 办理记录: 'Timeline', 办理时限: 'Deadlines', 可执行操作: 'Actions', 签收: 'Accept', 退单: 'Return', 延期: 'Extension',
  暂停: 'Pause', 恢复: 'Resume', 答复: 'Reply', 办结: 'Close case', 派单: 'Dispatch', 改派: 'Re-dispatch', 指定承办: 'Designate',
  合并: 'Merge', 拆分: 'Split', 联系诉求人: 'Contacted', 答复质量建议: 'Reply advice', 驳回答复: 'Reject reply', 批准延期: 'Approve', 拒绝延期: 'Refuse',
  响应率: 'Response rate', 解决率: 'Resolution rate', 满意率: 'Satisfaction', 按时办结率: 'On-time rate', 参评率: 'Rated share',
  部门排名: 'Department ranking', 情感趋势: 'Sentiment trend', 热点: 'Hot topics', 办件量: 'Volume', 样本不足: 'Below minimum volume',
  受理编号: 'Tracking no.', 查询码: 'Query code', 查询: 'Look up', 提交: 'Submit', 满意: 'Satisfied', 基本满意: 'Fairly satisfied', 不满意: 'Dissatisfied',
  评价: 'Rate', 补充材料: 'Add information', 联系人: 'Name', 电话: 'Phone', 内容: 'Content', 地址: 'Address', 确认: 'Confirm', 更正: 'Correct',
  置信度: 'Confidence', 情感: 'Sentiment', 紧急程度: 'Urgency', 近7天: 'Last 7 days', 近30天: 'Last 30 days', 令牌: 'Token', 演示账号: 'Demo accounts',
  加载中: 'Loading…', 加载失败: 'Failed to load',
  留言总数: 'Messages', 今日留言: 'Today', 在办工单: 'Open cases', 超期工单: 'Overdue cases', 待人工复核: 'To review', 待处理留言: 'Unprocessed',
  近30天趋势: '30-day trend', 诉求分类: 'Categories', 区县分布: 'Districts', 渠道来源: 'Channels', 情感倾向: 'Sentiment',
  排名: 'Rank', 超期在办: 'Open overdue',
  知识库: 'Knowledge base', 知识库条目: 'Entries', 答复模板: 'Reply templates', 新增条目: 'New entry', 编辑条目: 'Edit entry', 问题: 'Question', 答案: 'Answer',
  生效日期: 'Valid from', 失效日期: 'Valid to', 设为失效: 'Expire', 新建模板: 'New template', 模板名称: 'Template name', 模板内容: 'Template text',
  批示: 'Instruct', 查看批示: 'Instructions', 派单时限: 'Dispatch deadline',
};

const LangContext = createContext<{ lang: Lang; setLang: (l: Lang) => void }>({ lang: 'zh', setLang: () => {} });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('minsheng.lang') === 'en' ? 'en' : 'zh'));
  const setLang = (l: Lang) => {
    localStorage.setItem('minsheng.lang', l);
    document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
    setLangState(l);
  };
  return <LangContext.Provider value={{ lang, setLang }}>{children}</LangContext.Provider>;
}

/** t('工单队列') → the Chinese text, or its English when the toggle says so and the dictionary has it. */
export function useT() {
  const { lang, setLang } = useContext(LangContext);
  const t = (zh: string) => (lang === 'en' ? EN[zh] ?? zh : zh);
  return { t, lang, setLang };
}

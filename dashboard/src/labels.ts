export const CHANNEL_LABELS: Record<string, string> = { wechat: '微信', weibo: '微博', portal: '留言板', hotline: '12345热线' };
export const STATUS_LABELS: Record<string, string> = {
  received: '已受理', dispatched: '已派单', accepted: '已签收', returned: '已退单', waiting: '待补充',
  replied: '已答复', closed: '已办结', rated: '已回访', merged: '已合并',
};
export const SENTIMENT_LABELS: Record<string, string> = { negative: '负面', neutral: '中性', positive: '正面', unknown: '未知' };

// Hot topics for the demo month: many residents, on every channel, about one event. Each message is
// assembled from interchangeable phrases so the duplicates are paraphrases, as real ones are.
import type { Channel } from '../messages/incoming';
import type { RequestType, SentimentLabel, Urgency } from '../nlp/types';
import type { Rng } from '../util/seeded-random';
import type { Category } from './seed-corpus';

export interface BurstPlace {
  district: string;
  street: string;
  communities: string[];
  road: string;
  complex: string;
}

export interface BurstMessage {
  text: string;
  category: Category;
  type: RequestType;
  urgency: Urgency;
  sentiment: SentimentLabel;
  community: string;
}

export interface BurstSpec {
  id: 'water-outage' | 'construction-noise' | 'gym-closure';
  /** share of the month's messages */
  share: number;
  /** hours the burst lasts from its start */
  hours: number;
  /** local hours (0-23) when residents write about it, with weights */
  hourWeights: number[];
  write(rng: Rng, channel: Channel, p: BurstPlace): BurstMessage;
}

const join = (parts: string[]) => parts.filter(Boolean).join('，').replace(/，([？！。])/g, '$1');

const day = [0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 2, 4, 5, 5, 4, 4, 3.5, 3, 3, 3, 3, 3.5, 4, 4, 3.5, 2.5, 1.5, 0.6];
const night = [3, 2.5, 1.5, 0.5, 0.1, 0.1, 0.5, 2, 2.5, 1.5, 0.6, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.5, 0.8, 1.5, 3, 4, 4];

export const BURSTS: BurstSpec[] = [
  {
    id: 'water-outage',
    share: 0.06,
    hours: 34,
    hourWeights: day,
    write(rng, channel, p) {
      const c = rng.pick(p.communities);
      const type = rng.weighted<RequestType>(['求助', '投诉', '咨询'], [6, 3, 1.5]);
      const where = rng.pick([`${p.street}${c}`, `${p.road}这一片`, `${c}${p.complex}`, `我们${p.street}这边`, `${p.district}${p.street}`, `${p.complex}`]);
      const what = rng.pick(['停水了', '一直没水', '水龙头一滴水都没有', '突然停水', '从昨晚开始就停水', '水压小得可怜，基本等于没水', '从早上六点多就没水了', '整个小区都没水']);
      const howLong = rng.pick(['到现在已经十几个小时了', '一整天了', '快二十个小时了', '', '从昨天到现在', '已经大半天了']);
      const notice = rng.pick(['事先没有任何通知', '也没看到停水公告', '打自来水公司电话一直占线', '物业说是主管道爆了', `听说是${p.road}那边水管破了`, '问物业物业也不知道', '']);
      const impact = rng.pick(['家里老人孩子没法做饭', '马桶都冲不了', '孩子上学前连脸都没洗', '店里没法营业', '澡都洗不了', '只能下楼买桶装水', '']);
      const ask = type === '咨询'
        ? rng.pick(['请问什么时候能恢复供水？', '想问一下大概几点来水？', '有没有具体的恢复时间？'])
        : rng.pick(['什么时候能恢复供水？', '能不能派个送水车？', '请尽快抢修！', '到底什么情况，给个说法', '急！', '希望尽快来水']);
      let text: string;
      if (channel === 'hotline') {
        text = `来电人反映：${p.district}${p.street}${c}${rng.pick(['自昨日起停水', '今日凌晨起停水', '停水已超过十小时', '出现大面积停水'])}，${notice || '未见停水通知'}，${impact || '生活受到严重影响'}。${type === '咨询' ? '来电人询问恢复供水时间。' : rng.pick(['来电人要求尽快恢复供水。', '来电人要求安排临时送水。', '诉求：尽快抢修并告知来水时间。'])}`;
      } else if (channel === 'portal') {
        text = `${rng.pick(['尊敬的领导：您好！', '领导您好：', '您好！'])}我是${p.district}${p.street}${c}的居民。${join([where + what, howLong, notice, impact])}。${ask}${rng.pick(['谢谢！', '盼复。', ''])}`;
      } else {
        const pre = channel === 'weibo' ? rng.pick(['', '@芜湖发布 ', '#芜湖停水# ', '@芜湖12345 ']) : rng.pick(['你好，', '', '在吗？', '您好，']);
        text = pre + join([where + what, howLong, rng.chance(0.5) ? notice : '', rng.chance(0.5) ? impact : '', ask]);
      }
      return { text, category: '城乡建设', type, urgency: type === '咨询' ? 'normal' : 'urgent', sentiment: type === '咨询' ? 'neutral' : 'negative', community: c };
    },
  },
  {
    id: 'construction-noise',
    share: 0.04,
    hours: 5 * 24,
    hourWeights: night,
    write(rng, channel, p) {
      const c = rng.pick(p.communities);
      const type = rng.weighted<RequestType>(['投诉', '举报', '咨询'], [7, 2, 1]);
      const site = rng.pick([`${p.road}${p.complex}旁边的工地`, `${p.road}那个在建楼盘`, `${p.street}${c}对面的工地`, `${p.complex}南边的管网施工`, `${p.road}上的施工工地`]);
      const what = rng.pick(['又在夜间施工', '晚上还在打桩', '凌晨一点还在浇混凝土', '渣土车来回跑，轰隆隆的', '切割钢筋的声音特别刺耳', '挖掘机半夜还在作业']);
      const when = rng.pick(['已经连续好几天了', '今晚又开始了', '都十二点了', '每天都要到凌晨两点', '这个星期天天如此', '']);
      const impact = rng.pick(['孩子明天要考试', '老人被吵醒好几次', '上班族第二天还要早起', '根本睡不着', '窗户关上也没用', '']);
      const ask = type === '咨询'
        ? rng.pick(['请问这个工地办了夜间施工许可没有？', '想问一下夜间施工归哪个部门管？'])
        : rng.pick(['请城管来现场看看', '希望相关部门查处', '还让不让人睡觉了！', '有没有人管？', '请立即制止']);
      let text: string;
      if (channel === 'hotline') {
        text = `来电人反映：${p.district}${site.startsWith(p.street) ? '' : p.street}${site}${rng.pick(['夜间施工噪音扰民', '每晚施工至凌晨', '夜间打桩作业'])}，${impact || '影响周边居民休息'}。${type === '咨询' ? '来电人询问该工地是否办理夜间施工许可。' : '来电人要求相关部门查处。'}`;
      } else if (channel === 'portal') {
        text = `${rng.pick(['尊敬的领导：', '领导您好！', '尊敬的城管部门领导：'])}本人家住${p.district}${p.street}${c}。${join([site + what, when, impact])}。${ask}。${rng.pick(['望尽快处理。', '谢谢！', ''])}`.replace('。。', '。').replace('！。', '！').replace('？。', '？');
      } else {
        const pre = channel === 'weibo' ? rng.pick(['', '@芜湖发布 ', '@芜湖12345 ', '#扰民# ']) : rng.pick(['', '你好，', '投诉一下，']);
        text = pre + join([site + what, when, rng.chance(0.6) ? impact : '', ask]);
      }
      return { text, category: '环境保护', type, urgency: 'normal', sentiment: type === '咨询' ? 'neutral' : 'negative', community: c };
    },
  },
  {
    id: 'gym-closure',
    share: 0.025,
    hours: 72,
    hourWeights: day,
    write(rng, channel, p) {
      const c = rng.pick(p.communities);
      const type = rng.weighted<RequestType>(['投诉', '求助', '咨询'], [6, 2, 1]);
      const gym = rng.pick([`${p.road}的悦动健身`, `${p.complex}楼下的悦动健身`, '悦动健身', `${p.road}那家悦动健身房`]);
      const what = rng.pick(['突然关门了', '老板跑路了', '人去楼空', '门口贴了张停业整顿的纸就再没开过']);
      const money = rng.pick(['我上个月刚续的年卡', '我办的两年卡还剩一年多', '私教课还有二十节没上', '充了三千块一次没用', '']);
      const ask = type === '咨询'
        ? rng.pick(['请问这种情况去哪里登记维权？', '想问一下预付卡退款找哪个部门？'])
        : rng.pick(['请市场监管部门帮我们追回预付款', '几百个会员的钱谁来退？', '希望政府介入', '请尽快立案调查']);
      let text: string;
      if (channel === 'hotline') {
        text = `来电人反映：${p.district}${p.street}${gym}${what}，${money ? money.replace('我', '其') : '其办理的会员卡无法使用'}，商家联系不上。${type === '咨询' ? '来电人询问维权途径。' : '来电人要求相关部门介入，追回预付费用。'}`;
      } else if (channel === 'portal') {
        text = `${rng.pick(['尊敬的领导：您好！', '您好！'])}${join([gym + what, money, '店里的电话打不通，微信也被拉黑了'])}。${ask}。`.replace('？。', '？');
      } else {
        const pre = channel === 'weibo' ? rng.pick(['', '#悦动健身跑路# ', '@芜湖市场监管 ']) : rng.pick(['', '你好，']);
        text = pre + join([gym + what, money, ask]);
      }
      return { text, category: '商贸旅游', type, urgency: 'normal', sentiment: type === '咨询' ? 'neutral' : 'negative', community: c };
    },
  },
];

// Our categories as Open311 services: one service per category label of the category reader, with
// the attributes a client may fill in (GeoReport v2 "service definition").
import { categoryLabels } from '../../nlp/category';

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

/** category label → stable code and what the service covers; every label of the reader needs one (a test checks) */
export const SERVICE_CATALOGUE: Record<string, { code: string; description: string; keywords: string[]; group: string }> = {
  城乡建设: { code: 'urban-construction', description: '市政设施、道路、路灯、物业、住房、违章建设等城乡建设问题', keywords: ['道路', '路灯', '物业', '住房'], group: '城市管理' },
  交通运输: { code: 'transport', description: '公交、出租车、交通信号、道路交通秩序等交通运输问题', keywords: ['公交', '信号灯', '停车'], group: '城市管理' },
  环境保护: { code: 'environment', description: '噪声、油烟、污水、垃圾、大气污染等环境问题', keywords: ['噪声', '污水', '垃圾', '油烟'], group: '城市管理' },
  劳动和社会保障: { code: 'labour-social-security', description: '欠薪、社保、医保、就业、养老等劳动和社会保障问题', keywords: ['欠薪', '社保', '养老'], group: '民生保障' },
  卫生计生: { code: 'health', description: '医疗服务、食品卫生、疫苗、计生等卫生健康问题', keywords: ['医院', '食品安全'], group: '民生保障' },
  教育文体: { code: 'education-culture-sports', description: '学校、招生、培训机构、文化体育设施等问题', keywords: ['学校', '招生', '体育'], group: '民生保障' },
  商贸旅游: { code: 'commerce-tourism', description: '消费维权、价格、市场秩序、旅游服务等问题', keywords: ['消费', '价格', '旅游'], group: '市场经济' },
};

/** the consent asked on every channel that can ask: publication on the public board, personal data hidden */
export const CONSENT_ATTRIBUTE = 'publish_consent';
export const TITLE_ATTRIBUTE = 'title';

export const SERVICE_ATTRIBUTES: readonly Open311Attribute[] = [
  {
    variable: true, code: TITLE_ATTRIBUTE, datatype: 'string', required: false, datatype_description: '2 至 100 个字', order: 1,
    description: '留言标题 (a short title)',
  },
  {
    variable: true, code: CONSENT_ATTRIBUTE, datatype: 'singlevaluelist', required: false, datatype_description: 'yes 或 no，默认 no', order: 2,
    description: '是否同意在公开留言选登中公开（隐去个人信息） (publish on the public board, personal data hidden; default no)',
    values: [{ key: 'no', name: '不同意公开' }, { key: 'yes', name: '同意公开（隐去个人信息）' }],
  },
];

export function listServices(): Open311Service[] {
  return categoryLabels().map((label) => {
    const s = SERVICE_CATALOGUE[label];
    if (!s) throw new Error(`open311: category "${label}" has no service in SERVICE_CATALOGUE`);
    return { service_code: s.code, service_name: label, description: s.description, metadata: true, type: 'realtime', keywords: s.keywords.join(','), group: s.group };
  });
}

export function serviceByCode(code: string): Open311Service | undefined {
  return listServices().find((s) => s.service_code === code);
}

export function serviceForCategory(category: string | null): Open311Service | undefined {
  return category ? listServices().find((s) => s.service_name === category) : undefined;
}

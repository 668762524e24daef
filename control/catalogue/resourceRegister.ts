/**
 * The catalogue compiler's register (编目登记): what the coordinating office assigns to each
 * resource a department declares with `@catalogue` — its place in the classification (类-项-目),
 * its sequence number, its format and its open attributes — and each provider's code.
 *
 * The department declares the rest in its SDL (name, English name, resource code, update
 * cycle, Chinese abstract; the type's description is the English abstract). A resource the
 * register does not know cannot be catalogued: the build fails and names it, because an entry
 * without a classification would be published in no catalogue at all.
 *
 * The codes follow the structure of 政务信息资源目录编制指南（试行）: 前段码 = 类 (1 digit) +
 * 项 (2) + 目 (3), 后段码 = 顺序码 (6). The numbers here are this platform's assignment for the
 * demo province, not codes published by any authority.
 */
import { makeCreditCode } from '../../schema/identifiers.ts';
import type { CatalogueCategory, OpenType } from './model.ts';

export interface ResourceRegistration {
  /** BASIC or THEMATIC; DEPARTMENTAL only for a resource not yet classified (provisional). */
  readonly category: CatalogueCategory;
  /** 项. */
  readonly item: { readonly code: string; readonly name: string; readonly nameEn: string };
  /** 目. */
  readonly subject: { readonly code: string; readonly name: string; readonly nameEn: string };
  /** 顺序码 within the subject. */
  readonly sequence: number;
  /** 目 of the resource in its provider's departmental catalogue. */
  readonly departmentalSubject: string;
  readonly format: { readonly name: string; readonly nameEn: string; readonly mediaType: string };
  readonly open: { readonly type: OpenType; readonly condition: string | null; readonly basis: string | null };
}

const JSON_OVER_GRAPHQL = 'application/graphql-response+json';
const DATABASE = { name: '数据库', nameEn: 'database', mediaType: JSON_OVER_GRAPHQL };

const PERSONAL_DATA_NOT_OPEN = {
  type: 'NOT_OPEN' as const,
  condition: null,
  basis: '《个人信息保护法》第三十四条：国家机关处理个人信息不得超出履行法定职责所必需的范围',
};

export const RESOURCE_REGISTER: Readonly<Record<string, ResourceRegistration>> = {
  'PSB-POP-001': {
    category: 'BASIC',
    item: { code: '01', name: '人口基础信息', nameEn: 'Population' },
    subject: { code: '001', name: '户籍人口信息', nameEn: 'Registered population' },
    sequence: 1,
    departmentalSubject: '001',
    format: DATABASE,
    open: PERSONAL_DATA_NOT_OPEN,
  },
  'SAMR-LE-001': {
    category: 'BASIC',
    item: { code: '02', name: '法人单位基础信息', nameEn: 'Legal persons' },
    subject: { code: '001', name: '市场主体登记信息', nameEn: 'Market entity registration' },
    sequence: 1,
    departmentalSubject: '001',
    format: DATABASE,
    open: {
      type: 'CONDITIONAL_OPEN',
      condition: '登记事项经国家企业信用信息公示系统向社会公示；股东出资及年度报告中企业选择不公示的内容不予开放',
      basis: '《企业信息公示暂行条例》第六条、第九条',
    },
  },
  'NR-DIV-001': {
    category: 'BASIC',
    item: { code: '03', name: '自然资源和空间地理基础信息', nameEn: 'Natural resources and spatial geography' },
    subject: { code: '001', name: '行政区划信息', nameEn: 'Administrative divisions' },
    sequence: 1,
    departmentalSubject: '001',
    format: { name: '空间数据库', nameEn: 'spatial database (GeoJSON geometries)', mediaType: JSON_OVER_GRAPHQL },
    open: { type: 'UNCONDITIONAL_OPEN', condition: null, basis: '《行政区划管理条例》：行政区划名称、代码依法公布' },
  },
  'NR-RE-001': {
    category: 'BASIC',
    item: { code: '03', name: '自然资源和空间地理基础信息', nameEn: 'Natural resources and spatial geography' },
    subject: { code: '002', name: '不动产登记信息', nameEn: 'Real estate registration' },
    sequence: 1,
    departmentalSubject: '002',
    format: { name: '空间数据库', nameEn: 'spatial database (GeoJSON geometries)', mediaType: JSON_OVER_GRAPHQL },
    open: {
      type: 'NOT_OPEN',
      condition: null,
      basis: '《不动产登记暂行条例》第二十七条、第二十八条：权利人、利害关系人及有关国家机关依法查询',
    },
  },
  'NDRC-CR-001': {
    category: 'BASIC',
    item: { code: '04', name: '社会信用基础信息', nameEn: 'Social credit' },
    subject: { code: '001', name: '公共信用信息', nameEn: 'Public credit information' },
    sequence: 1,
    departmentalSubject: '001',
    format: DATABASE,
    open: {
      type: 'CONDITIONAL_OPEN',
      condition: '行政处罚、失信被执行人名单等依法公示的信息经“信用中国”网站公开；自然人信用信息不予开放',
      basis: '《关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）',
    },
  },
  'GSA-LIC-001': {
    category: 'BASIC',
    item: { code: '05', name: '电子证照基础信息', nameEn: 'Electronic licences' },
    subject: { code: '001', name: '电子证照库', nameEn: 'Electronic licence library' },
    sequence: 1,
    departmentalSubject: '001',
    format: { name: '电子文件（带电子印章的结构化证照）', nameEn: 'electronic documents (structured licences under the issuer\'s electronic seal)', mediaType: JSON_OVER_GRAPHQL },
    open: { type: 'NOT_OPEN', condition: null, basis: '《国务院关于在线政务服务的若干规定》第九条：电子证照依法依规共享，持证人本人可调用' },
  },
  'SAMR-TH-001': {
    category: 'THEMATIC',
    item: { code: '01', name: '市场监管主题信息', nameEn: 'Market supervision' },
    subject: { code: '001', name: '企业综合档案（一企一档）', nameEn: 'Enterprise profile (one enterprise, one file)' },
    sequence: 1,
    departmentalSubject: '002',
    format: { name: '数据库（读取时由各部门基础信息计算生成）', nameEn: 'database (computed on each read from the departments\' base data)', mediaType: JSON_OVER_GRAPHQL },
    open: { type: 'NOT_OPEN', condition: null, basis: '《市场监督管理行政处罚信息公示规定》：风险分类结果用于内部监管，不向社会公开' },
  },
};

/**
 * 提供方代码: each providing department's unified social credit code (GB 32100; registration
 * authority 1 机构编制, type 1 机关, Guangdong 440000), and its item (项) in the departmental
 * catalogue. Illustrative codes for the demo province, valid check characters.
 */
export const PROVIDER_REGISTER: Readonly<Record<string, { readonly providerCode: string; readonly departmentalItem: string }>> = {
  psb: { providerCode: makeCreditCode('1', '1', '440000', '00700101'), departmentalItem: '01' },
  samr: { providerCode: makeCreditCode('1', '1', '440000', '00700102'), departmentalItem: '02' },
  nr: { providerCode: makeCreditCode('1', '1', '440000', '00700103'), departmentalItem: '03' },
  ndrc: { providerCode: makeCreditCode('1', '1', '440000', '00700104'), departmentalItem: '04' },
  gsa: { providerCode: makeCreditCode('1', '1', '440000', '00700105'), departmentalItem: '05' },
};

/** The demo world's departments: five providers of base data, three consumers, the coordinator. */

export type DepartmentRole = 'PROVIDER' | 'CONSUMER' | 'COORDINATOR';

export interface DemoDepartment {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly role: DepartmentRole;
}

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { code: 'psb', name: '省公安厅', nameEn: 'Public Security Department', role: 'PROVIDER' },
  { code: 'samr', name: '省市场监督管理局', nameEn: 'Administration for Market Regulation', role: 'PROVIDER' },
  { code: 'nr', name: '省自然资源厅', nameEn: 'Natural Resources Department', role: 'PROVIDER' },
  { code: 'ndrc', name: '省发展和改革委员会', nameEn: 'Development and Reform Commission', role: 'PROVIDER' },
  { code: 'gsa', name: '省政务服务数据管理局', nameEn: 'Government Services and Data Administration', role: 'PROVIDER' },
  { code: 'mca', name: '省民政厅', nameEn: 'Civil Affairs Department', role: 'CONSUMER' },
  { code: 'tax', name: '省税务局', nameEn: 'Tax Service', role: 'CONSUMER' },
  { code: 'hrss', name: '省人力资源和社会保障厅', nameEn: 'Human Resources and Social Security Department', role: 'CONSUMER' },
  { code: 'dgo', name: '省电子政务办公室', nameEn: 'E-Government Office (coordinator)', role: 'COORDINATOR' },
];

/** Declared purposes of use (R6). */
export const DEMO_PURPOSES: readonly { code: string; name: string }[] = [
  { code: 'ADMINISTRATIVE_BASIS', name: '行政依据' },
  { code: 'WORK_REFERENCE', name: '工作参考' },
  { code: 'DATA_VERIFICATION', name: '数据校核' },
  { code: 'BUSINESS_COLLABORATION', name: '业务协同' },
];

/** The demo world's departments: five providers of base data, three consumers, the coordinator. */

export type DepartmentRole = 'PROVIDER' | 'CONSUMER' | 'COORDINATOR';

export interface DemoDepartment {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly role: DepartmentRole;
  /** GB/T 2260 code of the area it serves; province-level departments serve all of Guangdong. */
  readonly jurisdiction: string | null;
}

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { code: 'psb', name: '省公安厅', nameEn: 'Public Security Department', role: 'PROVIDER', jurisdiction: '440000' },
  { code: 'samr', name: '省市场监督管理局', nameEn: 'Administration for Market Regulation', role: 'PROVIDER', jurisdiction: '440000' },
  { code: 'nr', name: '省自然资源厅', nameEn: 'Natural Resources Department', role: 'PROVIDER', jurisdiction: '440000' },
  { code: 'ndrc', name: '省发展和改革委员会', nameEn: 'Development and Reform Commission', role: 'PROVIDER', jurisdiction: '440000' },
  { code: 'gsa', name: '省政务服务数据管理局', nameEn: 'Government Services and Data Administration', role: 'PROVIDER', jurisdiction: '440000' },
  { code: 'mca', name: '省民政厅', nameEn: 'Civil Affairs Department', role: 'CONSUMER', jurisdiction: '440000' },
  { code: 'tax', name: '省税务局', nameEn: 'Tax Service', role: 'CONSUMER', jurisdiction: '440000' },
  { code: 'hrss', name: '省人力资源和社会保障厅', nameEn: 'Human Resources and Social Security Department', role: 'CONSUMER', jurisdiction: '440000' },
  // A district-level consumer: it may read conditional person data only for residents of its district.
  { code: 'thca', name: '广州市天河区民政局', nameEn: 'Tianhe District Civil Affairs Bureau', role: 'CONSUMER', jurisdiction: '440106' },
  { code: 'dgo', name: '省电子政务办公室', nameEn: 'E-Government Office (coordinator)', role: 'COORDINATOR', jurisdiction: null },
];

/** Declared purposes of use (R6). */
export const DEMO_PURPOSES: readonly { code: string; name: string }[] = [
  { code: 'ADMINISTRATIVE_BASIS', name: '行政依据' },
  { code: 'WORK_REFERENCE', name: '工作参考' },
  { code: 'DATA_VERIFICATION', name: '数据校核' },
  { code: 'BUSINESS_COLLABORATION', name: '业务协同' },
];

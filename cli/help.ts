/**
 * The command line's help: `govgraph --help`, `govgraph <area> --help`,
 * `govgraph <area> <command> --help` (and `-h`, and `govgraph help [area [command]]`).
 *
 * Language: the terminal's locale decides, as for any POSIX tool — LC_ALL, then LC_MESSAGES,
 * then LANG; a value beginning with `zh` gets Chinese, anything else (C, POSIX, en_US.UTF-8,
 * nothing) English. Servers usually run with C.UTF-8, where a Chinese help would be a guess;
 * a civil servant's desktop set to zh_CN gets Chinese. `GOVGRAPH_LANG=zh|en` overrides.
 *
 * Glossary: an area is the first word (`applications`, `policy`…), a command the second
 * (`list`, `apply`…); the usage line is the same in both languages (flags are not translated).
 */

export type CliLanguage = 'zh' | 'en';

export function cliLanguage(env: NodeJS.ProcessEnv = process.env): CliLanguage {
  const chosen = env.GOVGRAPH_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(chosen) ? 'zh' : 'en';
}

type Text = readonly [zh: string, en: string];

export interface CommandHelp {
  /** Arguments and flags after `govgraph <area> <command>`. */
  readonly usage: string;
  readonly summary: Text;
}

export interface AreaHelp {
  readonly summary: Text;
  /** `local`: runs on the platform's host against the stores, with no token. */
  readonly local?: boolean;
  readonly commands: Readonly<Record<string, CommandHelp>>;
}

const c = (usage: string, zh: string, en: string): CommandHelp => ({ usage, summary: [zh, en] });

/** Every area and command the CLI knows, with every flag each takes. */
export const HELP: Readonly<Record<string, AreaHelp>> = {
  applications: {
    summary: ['共享申请:提交、审批、异议、仲裁(R5)', 'access applications: apply, answer, contest, arbitrate (R5)'],
    commands: {
      list: c('[--status STATUS]', '本部门相关的申请', "applications involving your department"),
      inbox: c('', '待本部门答复的申请及答复期限', 'applications awaiting your answer, with their due dates'),
      escalations: c('', '已提交协调机构的申请', 'applications escalated to the coordinating office'),
      show: c('<id>', '一份申请的详情、过程和授权', "one application's details, events and grants"),
      apply: c('--fields A,B --purpose P --justification J --basis B --until YYYY-MM-DD [--case C]', '申请有条件共享字段', 'apply for conditional fields'),
      approve: c("<id> [--fields A,B] [--refusals '[{\"coordinate\":…,\"ground\":…,\"text\":…}]'] [--until YYYY-MM-DD] [--reason R]", '批准(可部分批准,未批字段须说明理由)', 'approve, in whole or in part (each field left out with its refusal)'),
      reject: c('<id> --reason R', '拒绝申请', 'reject an application'),
      contest: c('<id> --reason R', '对拒绝提出异议', 'contest a rejection'),
      arbitrate: c('<id> (--grant|--uphold) --reason R', '协调机构仲裁', 'the coordinating office arbitrates'),
      'contest-field': c('<id> --field Type.field --reason R', '对单个字段的拒绝提出异议', "contest one field's refusal"),
      'arbitrate-field': c('<id> --field Type.field (--grant|--uphold) --reason R [--until YYYY-MM-DD]', '仲裁单个字段', 'arbitrate one field'),
      escalate: c('', '将逾期未答复的申请提交协调机构', 'escalate overdue applications'),
    },
  },
  policy: {
    summary: ['字段共享策略(R1)', 'field sharing policies (R1)'],
    commands: {
      show: c('<Type.field>', '一个字段的策略', "one field's policy"),
      list: c('[--provider DEPT]', '字段策略列表', 'field policies'),
      history: c('', '策略版本历史', 'policy versions'),
      access: c('', '本部门可读、可申请的字段', 'what your department may read or apply for'),
      set: c('<Type.field> --class UNCONDITIONAL|CONDITIONAL|NOT_SHARED [--purposes A,B] [--basis B] --reason R [--override]', '设置字段策略(他部门字段须 --override)', "set a field's policy (another department's field: --override)"),
      rollback: c('<version> --reason R', '回滚到某一策略版本', 'roll back to a policy version'),
    },
  },
  grants: {
    summary: ['授权', 'grants'],
    commands: {
      list: c('[--consumer DEPT]', '授权列表(含已失效)', 'grants, inactive ones included'),
      revoke: c('<id> --reason R', '撤销授权', 'revoke a grant'),
    },
  },
  subgraph: {
    summary: ['子图注册:检查、发布、回滚;或运行一个子图进程', 'the subgraph registry: check, publish, roll back; or run one subgraph process'],
    commands: {
      list: c('', '已注册子图及健康状态', 'registered subgraphs and their health'),
      versions: c('', '超图版本', 'supergraph versions'),
      check: c('<name> --url URL [--schema FILE] [--department DEPT]', '检查子图能否组合及破坏性变更', 'check composition and breaking changes'),
      publish: c('<name> --url URL [--schema FILE] [--department DEPT] --reason R [--accept-breaking]', '发布子图', 'publish a subgraph'),
      rollback: c('<version> --reason R', '回滚超图版本', 'roll back the supergraph'),
      '<name>': c('', '在配置的端口上运行该部门子图(生产进程)', "run that department's subgraph on its configured PORT (a production process)"),
    },
  },
  catalogue: {
    summary: ['政务数据资源目录(R2、R3;本地读取存储,无需令牌)', 'the resource catalogue (R2, R3; read locally from the stores, no token)'],
    local: true,
    commands: {
      export: c('[--format json|csv|xlsx] [--out FILE]', '导出目录(CSV 带 UTF-8 BOM、中文表头;xlsx 须 --out)', 'export the catalogue (CSV with a UTF-8 BOM and Chinese headers; xlsx needs --out)'),
      updates: c('[--status open|overdue|all]', '目录更新任务', 'catalogue update tasks'),
    },
  },
  report: {
    summary: ['年度共享评估报告(R11)', 'yearly sharing evaluation reports (R11)'],
    commands: {
      evaluation: c('--year YYYY [--department DEPT] [--format json|csv|svg] [--out FILE]', '一个部门一年的评估报告', "a department's report for a year"),
      status: c('--year YYYY [--department DEPT]', '报告状态(是否完整、是否已发布)', "the report's state (partial? published?)"),
      summary: c('--year YYYY', '各部门汇总(协调机构)', 'every department in one table (the coordinating office)'),
      publish: c('--year YYYY --reason R', '发布年度报告(协调机构)', "publish the year's reports (the coordinating office)"),
    },
  },
  notifications: {
    summary: ['通知', 'notifications'],
    commands: { list: c('', '本部门的通知', "your department's notifications") },
  },
  departments: {
    summary: ['部门', 'departments'],
    commands: {
      list: c('', '部门列表', 'departments'),
      add: c('<code> --name N --name-en E (--provides and/or --consumes) [--jurisdiction J] [--webhook URL] [--hosts H1,H2] --reason R', '接入部门', 'add a department'),
      deactivate: c('<code> --reason R', '停用部门', 'deactivate a department'),
      language: c('<code> --language zh|en --reason R', '设置为该部门生成的文本(报告 CSV 表头、SVG 图表)的语言,默认中文', 'set the language of texts made for the department (report CSV headers, SVG charts); Chinese by default'),
    },
  },
  purposes: {
    summary: ['用途(如 行政依据 ADMINISTRATIVE_BASIS)', 'purposes (e.g. 行政依据 ADMINISTRATIVE_BASIS)'],
    commands: {
      list: c('', '用途列表', 'purposes'),
      add: c('<CODE> --name N --basis B [--name-en E] --reason R', '新增用途', 'add a purpose'),
      deactivate: c('<CODE> --reason R', '停用用途', 'deactivate a purpose'),
    },
  },
  people: {
    summary: ['人员及其角色', 'people and their roles'],
    commands: {
      list: c('[--department DEPT]', '人员列表', 'people'),
      add: c('--name N --roles DRAFTER,APPROVER [--department DEPT] --reason R', '新增人员', 'add a person'),
      roles: c('<id> --roles R1,R2 --reason R', '设置角色', "set a person's roles"),
      deactivate: c('<id> --reason R', '停用人员(其待办转交)', 'deactivate a person (their work is handed over)'),
      acting: c('<id> --from ISO --until ISO --reason R', '指定代理审批人', 'name an acting approver'),
    },
  },
  apps: {
    summary: ['应用令牌', 'app tokens'],
    commands: {
      list: c('[--department DEPT]', '应用及令牌状态', 'apps and their tokens'),
      create: c('--name N [--department DEPT] [--expires ISO]', '创建应用(令牌仅显示一次)', 'create an app (its token is shown once)'),
      rotate: c('<id> --reason R [--overlap MINUTES] [--expires ISO]', '轮换令牌', "rotate an app's token"),
      expire: c('<id> --expires ISO|never --reason R', '设置令牌到期时间', "set a token's expiry"),
      revoke: c('<id> --reason R', '吊销令牌', 'revoke a token'),
    },
  },
  audit: {
    summary: ['审计日志(R10;本地读取,无需令牌)', 'the audit trail (R10; read locally, no token)'],
    local: true,
    commands: {
      verify: c('[--indexes] [--workers N] [--public-key FILE]', '校验哈希链和签名检查点', 'verify the hash chain and the signed checkpoints'),
      query: c('[--consumer DEPT] [--app CREDENTIAL] [--field COORDINATE] [--outcome RETURNED|DENIED] [--key KIND=VALUE] [--from ISO] [--to ISO] [--kind ACCESS|ADMIN] [--purpose P] [--case ID] [--request ID] [--order asc|desc] [--limit N] [--after SEQ] [--format jsonl|csv|xlsx] [--out FILE]',
        '查询审计记录(身份证号脱敏显示,如 4401**********0119;CSV 带 BOM、中文表头)', 'query audit records (citizen ids masked, e.g. 4401**********0119; CSV with a BOM and Chinese headers)'),
    },
  },
  keys: {
    summary: ['平台密钥和签名密钥(R10;本地)', 'the platform key and signing keys (R10; local)'],
    local: true,
    commands: {
      status: c('', '各密钥保护的内容', 'which key holds what'),
      reencrypt: c('', '用当前密钥重新加密', 're-encrypt under the current key'),
      rotate: c('', '轮换平台密钥文件', 'rotate the platform key file'),
      signing: c('', '签名密钥列表', 'the signing keys'),
      'rotate-signing': c('[context|audit-checkpoint]', '轮换签名密钥', 'rotate a signing key'),
      'subgraph-mac': c('<name>', '该子图的 GOVGRAPH_SUBGRAPH_MAC_KEY', "that subgraph's GOVGRAPH_SUBGRAPH_MAC_KEY"),
    },
  },
  backup: {
    summary: ['备份存储(本地)', 'back up the stores (local)'],
    local: true,
    commands: {
      '': c('--out DIR', '备份到新的空目录', 'back up into a new, empty directory'),
      check: c('--from DIR', '按清单校验备份', 'check a backup against its manifest'),
    },
  },
  restore: {
    summary: ['恢复存储(本地)', 'restore the stores (local)'],
    local: true,
    commands: { '': c('--from DIR', '恢复到空的 DATA_DIR 或数据库', 'restore into an empty DATA_DIR or database') },
  },
  migrate: { summary: ['执行各存储的结构变更(生产进程)', 'schema changes of every store (a production process)'], local: true, commands: { '': c('', '加锁执行一次', 'once, under a lock') } },
  gateway: { summary: ['运行一个无状态网关副本(生产进程)', 'run a stateless gateway replica (a production process)'], local: true, commands: { '': c('', '使用 PORT、DATABASE_URL、GOVGRAPH_PLATFORM_KEY', 'reads PORT, DATABASE_URL, GOVGRAPH_PLATFORM_KEY') } },
};

/** What each flag means; shown under every command that takes it. */
const FLAGS: Readonly<Record<string, Text>> = {
  status: ['按状态筛选', 'filter by status'],
  fields: ['字段坐标,逗号分隔(如 Person.name)', 'field coordinates, comma-separated (e.g. Person.name)'],
  purpose: ['用途代码(如 ADMINISTRATIVE_BASIS)', 'purpose code (e.g. ADMINISTRATIVE_BASIS)'],
  justification: ['申请理由', 'why the fields are needed'],
  basis: ['法律依据', 'legal basis'],
  until: ['有效期至(含当日)', 'valid until (inclusive)'],
  case: ['案件编号', 'case reference'],
  refusals: ['未批字段的拒绝理由,JSON 列表', "the refusals of the fields left out, a JSON list"],
  reason: ['操作理由(记入审计)', 'reason (written to the audit trail)'],
  grant: ['支持申请方', 'grant'],
  uphold: ['维持拒绝', 'uphold the refusal'],
  field: ['一个字段坐标 Type.field', 'one field coordinate Type.field'],
  provider: ['提供部门', 'providing department'],
  class: ['共享类别:无条件共享/有条件共享/不予共享', 'sharing class: unconditional / conditional / not shared'],
  purposes: ['允许的用途代码,逗号分隔', 'allowed purpose codes, comma-separated'],
  override: ['修改他部门字段(000 第九条)', "change another department's field (000 art. 9)"],
  consumer: ['使用部门', 'consuming department'],
  url: ['运行中子图的地址', 'address of the running subgraph'],
  schema: ['SDL 文件(不填则从子图读取)', 'SDL file (default: read from the subgraph)'],
  department: ['部门代码', 'department code'],
  'accept-breaking': ['接受破坏性变更', 'accept breaking changes'],
  year: ['年份,如 2026', 'a year such as 2026'],
  format: ['输出格式', 'output format'],
  out: ['写入文件', 'write to this file'],
  name: ['名称(中文)', 'name (Chinese)'],
  'name-en': ['英文名称', 'English name'],
  provides: ['提供数据', 'provides data'],
  consumes: ['使用数据', 'consumes data'],
  jurisdiction: ['行政区划代码', 'administrative division code'],
  webhook: ['通知回调地址', 'webhook URL for notifications'],
  hosts: ['子图主机,逗号分隔', 'subgraph hosts, comma-separated'],
  roles: ['角色,逗号分隔(DRAFTER、APPROVER…)', 'roles, comma-separated (DRAFTER, APPROVER…)'],
  from: ['开始时间', 'from'],
  expires: ['到期时间(ISO)', 'expiry (ISO date-time)'],
  overlap: ['旧令牌继续有效的分钟数', 'minutes the old token stays valid'],
  indexes: ['同时校验索引', 'also verify the indexes'],
  language: ['语言:zh 中文 或 en 英文', 'language: zh Chinese or en English'],
  workers: ['并行数', 'parallel workers'],
  'public-key': ['公钥文件(PEM 或 JWKS)', 'public key file (PEM or JWKS)'],
  app: ['应用凭证 id', 'app credential id'],
  outcome: ['结果', 'outcome'],
  key: ['按查询键,如 idNumber=…', 'by lookup key, e.g. idNumber=…'],
  to: ['结束时间', 'to'],
  kind: ['记录类型', 'record kind'],
  request: ['请求 id', 'request id'],
  order: ['排序', 'order'],
  limit: ['最多条数', 'at most this many'],
  after: ['从此序号之后继续', 'continue after this sequence number'],
};

const GLOBAL: Text = [
  `连接(管理接口命令):
  --admin-url URL     管理接口地址(或环境变量 GOVGRAPH_ADMIN_URL)
  --token T           令牌(或 GOVGRAPH_TOKEN)
  --as DEPT[:app]     演示:使用 data/demo/credentials.json 中该部门的管理员或应用令牌;--as platform
输出:
  终端上默认为表格;--json 输出 JSON(供脚本使用)。标准输出不是终端(管道、重定向、脚本)时默认输出 JSON,
  与以前的版本一致;--table 强制表格。
  -h, --help          帮助(语言随 LC_ALL/LC_MESSAGES/LANG:zh* 为中文,否则英文;GOVGRAPH_LANG=zh|en 可指定)
退出码:
  0 成功;1 出错(服务端拒绝、缺少必填参数、无法连接);2 用法错误(未知区域、命令或选项)`,
  `Connection (management API commands):
  --admin-url URL     the management API (or GOVGRAPH_ADMIN_URL)
  --token T           a token (or GOVGRAPH_TOKEN)
  --as DEPT[:app]     demo: that department's administrator or app token from data/demo/credentials.json; --as platform
Output:
  a table on a terminal; --json prints JSON (for scripts). When stdout is not a terminal (pipe,
  redirect, script) JSON stays the default, as it always was; --table forces a table.
  -h, --help          help (language from LC_ALL/LC_MESSAGES/LANG: zh* Chinese, else English; GOVGRAPH_LANG=zh|en overrides)
Exit codes:
  0 done; 1 error (refused by the server, a required flag missing, platform unreachable); 2 usage error (unknown area, command or option)`,
];

const pick = (text: Text, lang: CliLanguage) => (lang === 'zh' ? text[0] : text[1]);
const line = (area: string, command: string, usage: string) => ['govgraph', area, command, usage].filter(Boolean).join(' ');

function flagsOf(usage: string): string[] {
  return [...new Set([...usage.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!))];
}

/** The whole tool: every area and its commands. */
export function toolHelp(lang: CliLanguage): string {
  const head = lang === 'zh' ? 'govgraph — 政务数据共享平台命令行\n\n用法: govgraph <区域> <命令> [参数] [选项]\n\n区域:' : 'govgraph — the government data sharing platform on the command line\n\nusage: govgraph <area> <command> [arguments] [flags]\n\nareas:';
  const width = Math.max(...Object.keys(HELP).map((a) => a.length));
  const areas = Object.entries(HELP).map(([area, help]) => `  ${area.padEnd(width)}  ${Object.keys(help.commands).filter(Boolean).join('|') || '—'}\n  ${''.padEnd(width)}  ${pick(help.summary, lang)}`);
  const more = lang === 'zh' ? '各区域、命令的用法: govgraph <区域> --help, govgraph <区域> <命令> --help' : 'usage of an area or command: govgraph <area> --help, govgraph <area> <command> --help';
  return `${head}\n${areas.join('\n')}\n\n${more}\n\n${pick(GLOBAL, lang)}\n`;
}

/** One area: every command with its usage line. */
export function areaHelp(area: string, lang: CliLanguage): string | null {
  const help = HELP[area];
  if (!help) return null;
  const commands = Object.entries(help.commands).map(([command, h]) => `  ${line(area, command, h.usage)}\n      ${pick(h.summary, lang)}`);
  const local = help.local ? (lang === 'zh' ? '\n(在平台主机上直接读取存储,不需要令牌)' : '\n(runs on the platform host against the stores; no token)') : '';
  return `${area} — ${pick(help.summary, lang)}${local}\n\n${commands.join('\n')}\n\n${pick(GLOBAL, lang)}\n`;
}

/** One command: its usage line and what each of its flags means. */
export function commandHelp(area: string, command: string, lang: CliLanguage): string | null {
  const help = HELP[area]?.commands[command];
  if (!help) return null;
  const flags = flagsOf(help.usage);
  const width = Math.max(0, ...flags.map((f) => f.length + 2));
  const described = flags.map((f) => `  ${`--${f}`.padEnd(width)}  ${FLAGS[f] ? pick(FLAGS[f], lang) : ''}`);
  const title = lang === 'zh' ? '用法' : 'usage';
  const flagTitle = lang === 'zh' ? '选项' : 'flags';
  return `${pick(help.summary, lang)}\n\n${title}: ${line(area, command, help.usage)}\n${described.length ? `\n${flagTitle}:\n${described.join('\n')}\n` : ''}\n${pick(GLOBAL, lang)}\n`;
}

/** The help asked for by `argv` (already known to contain -h/--help or to start with `help`). */
export function helpFor(positionals: readonly string[], lang: CliLanguage): string {
  const [area, command] = positionals;
  if (area && command) return commandHelp(area, command, lang) ?? areaHelp(area, lang) ?? toolHelp(lang);
  if (area) return areaHelp(area, lang) ?? toolHelp(lang);
  return toolHelp(lang);
}

/** Every flag the help names, for the test that keeps help and parser in step. */
export function flagsNamedInHelp(): string[] {
  return [...new Set(Object.values(HELP).flatMap((a) => Object.values(a.commands).flatMap((h) => flagsOf(h.usage))))];
}

export function hasFlagDescription(flag: string): boolean {
  return flag in FLAGS;
}

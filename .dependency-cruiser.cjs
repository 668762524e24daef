/**
 * Imports point one way (run by `npm test` as `npm run check:imports`). The layers, lowest first:
 *
 *   lib → schema, storage → policies, demo → audit → subgraphs     (shared foundations)
 *   control (the control plane's slices)                            may use the foundations
 *   gateway (the data plane)                                        may use control and web's serving code
 *   web (console, GraphiQL, browser bundles)                        talks to the platform over HTTP only
 *   platform (start-up, config, credentials, demo seeding)          wires everything
 *   cli, bench, test                                                may use anything
 *
 * A lower layer never imports a higher one, a department's subgraph runs with no platform code,
 * and no two modules import each other (no cycles).
 */
const FOUNDATIONS = '^(lib|schema|storage|policies|demo|audit|subgraphs)/';

/** `from` may not import anything matching `to`. */
/** Tests beside the code may reach across layers to check a contract between parts; code may not. */
const TESTS = '\\.test\\.tsx?$';
const forbid = (name, from, to, comment) => ({ name, comment, severity: 'error', from: { path: from, pathNot: TESTS }, to: { path: to } });

module.exports = {
  forbidden: [
    forbid('lib-is-the-bottom', '^lib/', '^(schema|storage|policies|demo|audit|subgraphs|control|gateway|web|platform|cli|bench|test)/', 'lib/ holds shared utilities and imports no other part of the project'),
    forbid('schema-storage-low', '^(schema|storage)/', '^(policies|demo|audit|subgraphs|control|gateway|web|platform|cli|bench|test)/', 'schema/ and storage/ import only lib/'),
    forbid('policies-pure', '^policies/', '^(storage|demo|audit|subgraphs|control|gateway|web|platform|cli|bench|test)/', 'policies/ is pure: the policy model, decision, checks; no storage, no HTTP'),
    forbid('demo-low', '^demo/', '^(storage|policies|audit|subgraphs|control|gateway|web|platform|cli|bench|test)/', 'the demo world is data: it imports only lib/ and schema/'),
    forbid('audit-below-planes', '^audit/', '^(subgraphs|control|gateway|web|platform|cli|bench|test)/', 'the audit trail is a foundation both planes use'),
    forbid('subgraphs-alone', '^subgraphs/', '^(audit|control|gateway|web|platform|cli|bench|test)/', 'a department\'s subgraph runs with no platform code'),
    forbid('control-below-gateway', '^control/', '^(gateway|web|platform|cli|bench|test)/', 'the control plane does not depend on the data plane, the web apps or the start-up code'),
    forbid('gateway-below-platform', '^gateway/', '^(platform|cli|bench|test)/', 'the data plane does not depend on start-up code'),
    forbid('web-over-http', '^web/', '^(audit|subgraphs|control|gateway|platform|cli|bench|test|storage|policies|demo)/', 'the web apps talk to the platform over HTTP only'),
    forbid('platform-no-tools', '^platform/', '^(cli|bench|test)/', 'start-up code does not depend on tools or tests'),
    {
      name: 'no-circular',
      comment: 'two modules that import each other (directly or around a loop)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      // @apollo/utils.fetcher ships types only (a type import of @apollo/gateway's fetcher).
      to: { couldNotResolve: true, pathNot: '^@apollo/utils\\.fetcher$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|scratch|data|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};

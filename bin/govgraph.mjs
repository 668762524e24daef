#!/usr/bin/env node
// The govgraph command line: TypeScript sources run through tsx, as everything here does.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));

#!/usr/bin/env node
// The installed command: loads TypeScript through tsx (a dependency of the project), then the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../cli.ts');

// The deployment files are checked by Compose itself when a Compose client is installed
// (client-only: `config` needs no Docker engine); skipped elsewhere.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** `docker compose` (v2 plugin) or `docker-compose` (v1), whichever answers. */
function composeCommand(): string[] | null {
  for (const cmd of [['docker', 'compose'], ['docker-compose']]) {
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), 'version'], { encoding: 'utf8', timeout: 20_000 });
    if (r.status === 0) return cmd;
  }
  return null;
}

const compose = composeCommand();

function composeConfig(envFileText: string) {
  const envFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'hqadz-compose-')), 'env');
  writeFileSync(envFile, envFileText);
  const env = { ...process.env };
  for (const name of ['POSTGRES_PASSWORD', 'JWT_SECRET', 'ENCRYPTION_KEY']) delete env[name];
  return spawnSync(compose![0]!, [...compose!.slice(1), '--env-file', envFile, '-f', 'compose.yaml', 'config'], { encoding: 'utf8', env, timeout: 30_000 });
}

describe('deployment files', () => {
  it.skipIf(!compose)('docker compose config passes with the secrets set, and refuses without them', () => {
    const ok = composeConfig(['POSTGRES_PASSWORD=pw', `JWT_SECRET=${'a'.repeat(64)}`, `ENCRYPTION_KEY=${'b'.repeat(64)}`, 'TRUST_PROXY=172.18.0.1'].join('\n'));
    expect(ok.status, ok.stderr).toBe(0);
    for (const service of ['postgres:', 'api:', 'worker:']) expect(ok.stdout).toContain(service);
    expect(ok.stdout).toMatch(/replicas: 2/);
    expect(ok.stdout.match(/restart: unless-stopped/g)).toHaveLength(3);
    expect(ok.stdout).toContain('postgres://hqadz:pw@postgres:5432/hqadz');

    const missing = composeConfig('');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/POSTGRES_PASSWORD|JWT_SECRET|ENCRYPTION_KEY/);
  });

  it('.env.example names every variable of the README configuration table', () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Running on PostgreSQL'));
    const names = [...table.matchAll(/^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)? \|/gm)].flatMap((m) => [m[1]!, ...(m[2] ? [m[2]] : [])]);
    expect(names.length).toBeGreaterThan(15);
    const example = readFileSync('.env.example', 'utf8');
    const defined = new Set([...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
    expect(names.filter((n) => !defined.has(n))).toEqual([]);
  });

  it('the Dockerfile runs as a non-root user and checks readiness', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/api\/health\/ready/m);
  });
});

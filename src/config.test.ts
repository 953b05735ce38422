import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'hqadz-cfg-'));

describe('loadConfig', () => {
  it('rejects a bad PORT naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc', DATA_DIR: tmp() })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc', DATA_DIR: tmp() })).toThrow('Invalid PORT="abc": must be a port number (0-65535)');
    expect(() => loadConfig({ PORT: '70000', DATA_DIR: tmp() })).toThrow(/^Invalid PORT="70000"/);
  });

  it('requires the IPN secret with an API key', () => {
    expect(() => loadConfig({ NOWPAYMENTS_API_KEY: 'k', DATA_DIR: tmp() })).toThrow(/NOWPAYMENTS_IPN_SECRET/);
  });

  it('rejects a DATABASE_URL that is not PostgreSQL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', DATA_DIR: tmp() })).toThrow(/^Invalid DATABASE_URL/);
  });

  it('defaults to test mode, port 3000 and the embedded database', () => {
    const c = loadConfig({ DATA_DIR: tmp() });
    expect(c).toMatchObject({ port: 3000, testMode: true, database: 'embedded', publicUrl: 'http://localhost:3000' });
  });

  it('generates secrets once into DATA_DIR and reuses them', () => {
    const dir = tmp();
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir });
    expect(a.jwtSecret).toHaveLength(64);
    expect(b.jwtSecret).toBe(a.jwtSecret);
    expect(b.encryptionKey.equals(a.encryptionKey)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8')).jwtSecret).toBe(a.jwtSecret);
  });

  it('prefers secrets from the environment', () => {
    const c = loadConfig({ DATA_DIR: tmp(), JWT_SECRET: 'x'.repeat(40), ENCRYPTION_KEY: 'ab'.repeat(32) });
    expect(c.jwtSecret).toBe('x'.repeat(40));
    expect(c.encryptionKey.toString('hex')).toBe('ab'.repeat(32));
  });
});

import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('trims the IPN secret, and counts a blank one as missing', () => {
    const c = loadConfig({ NOWPAYMENTS_API_KEY: 'k', NOWPAYMENTS_IPN_SECRET: ' s3cret\n', DATA_DIR: tmp() });
    expect(c.nowpayments.ipnSecret).toBe('s3cret');
    expect(() => loadConfig({ NOWPAYMENTS_API_KEY: 'k', NOWPAYMENTS_IPN_SECRET: ' \n', DATA_DIR: tmp() })).toThrow(/NOWPAYMENTS_IPN_SECRET/);
  });

  it('rejects a DATABASE_URL that is not PostgreSQL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', DATA_DIR: tmp() })).toThrow(/^Invalid DATABASE_URL/);
  });

  it('defaults to test mode, port 3000 and the embedded database', () => {
    const c = loadConfig({ DATA_DIR: tmp() });
    expect(c).toMatchObject({ port: 3000, testMode: true, database: 'embedded', publicUrl: 'http://localhost:3000' });
  });

  it('reads sender updates by webhook when PUBLIC_URL is https, else by getUpdates; TELEGRAM_UPDATES overrides', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).telegramUpdates).toBe('polling');
    expect(loadConfig({ DATA_DIR: tmp(), PUBLIC_URL: 'https://ads.example.com' }).telegramUpdates).toBe('webhook');
    expect(loadConfig({ DATA_DIR: tmp(), PUBLIC_URL: 'https://ads.example.com', TELEGRAM_UPDATES: 'polling' }).telegramUpdates).toBe('polling');
    expect(loadConfig({ DATA_DIR: tmp(), TELEGRAM_UPDATES: 'off' }).telegramUpdates).toBe('off');
    expect(() => loadConfig({ DATA_DIR: tmp(), TELEGRAM_UPDATES: 'sometimes' })).toThrow(/^Invalid TELEGRAM_UPDATES="sometimes"/);
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

  it('stops on a truncated secrets.json, naming it and leaving it as it was', () => {
    const dir = tmp();
    loadConfig({ DATA_DIR: dir });
    const file = path.join(dir, 'secrets.json');
    const truncated = readFileSync(file, 'utf8').slice(0, 40);
    writeFileSync(file, truncated);
    expect(() => loadConfig({ DATA_DIR: dir })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dir })).toThrow(file);
    expect(readFileSync(file, 'utf8')).toBe(truncated);
  });

  it('stops on a secrets.json that parses but lacks a key, or an empty one, leaving it untouched', () => {
    for (const content of ['{"jwtSecret":"short"}', '', 'null']) {
      const dir = tmp();
      const file = path.join(dir, 'secrets.json');
      writeFileSync(file, content);
      expect(() => loadConfig({ DATA_DIR: dir })).toThrow(`${file} is damaged`);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });

  it.skipIf(process.getuid?.() === 0)('stops on an unreadable secrets.json instead of replacing it', () => {
    const dir = tmp();
    loadConfig({ DATA_DIR: dir });
    const file = path.join(dir, 'secrets.json');
    const before = readFileSync(file, 'utf8');
    chmodSync(file, 0o000);
    try {
      expect(() => loadConfig({ DATA_DIR: dir })).toThrow(`Cannot read ${file}`);
    } finally {
      chmodSync(file, 0o600);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('trusts X-Forwarded-For only from listed proxies; true means loopback, never any address', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'true' }).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
      'fd00::/8',
    ]);
    expect(() => loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: '10.0.0.0/33' })).toThrow(/^Invalid TRUST_PROXY="10.0.0.0\/33": "10.0.0.0\/33" is not an IP/);
    expect(() => loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'yes' })).toThrow(/^Invalid TRUST_PROXY/);
    expect(() => loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: '2' })).toThrow(/^Invalid TRUST_PROXY/);
  });
});

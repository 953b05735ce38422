import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const env = (extra: Record<string, string> = {}) => ({ DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'hqadz-cfg-')), ...extra });

describe('METRICS_TOKEN and LOG_REQUESTS', () => {
  it('default to open metrics and error-only request logs', () => {
    const c = loadConfig(env());
    expect(c.metricsToken).toBeUndefined();
    expect(c.logRequests).toBe('errors');
  });

  it('are parsed, and a wrong value stops start-up naming the variable', () => {
    const c = loadConfig(env({ METRICS_TOKEN: 'a-long-enough-metrics-token', LOG_REQUESTS: 'all' }));
    expect(c).toMatchObject({ metricsToken: 'a-long-enough-metrics-token', logRequests: 'all' });
    expect(() => loadConfig(env({ LOG_REQUESTS: 'some' }))).toThrow(/^Invalid LOG_REQUESTS="some"/);
    expect(() => loadConfig(env({ METRICS_TOKEN: 'short' }))).toThrow(/^Invalid METRICS_TOKEN="short"/);
  });
});

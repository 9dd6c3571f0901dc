import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('config', () => {
  it('gives embedded defaults on an empty environment', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.PORT).toBe(3000);
    expect(c.DATA_DIR).toBe('./data');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: ' ' }).DATABASE_URL).toBeUndefined();
  });

  it('names the bad field', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const fields = (err as ConfigError).issues.map((i) => i.field).sort();
      expect(fields).toEqual(['DATABASE_URL', 'PORT']);
      expect((err as Error).message).toMatch(/PORT/);
    }
  });

  it('accepts real service URLs', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://localhost:5432/test', REDIS_URL: 'redis://127.0.0.1:6379', CI_REQUIRE_SERVICES: '1' });
    expect(c.DATABASE_URL).toBe('postgres://localhost:5432/test');
    expect(c.CI_REQUIRE_SERVICES).toBe(true);
  });
});

describe('SMS settings', () => {
  it('names each missing field when SMS_PROVIDER=aliyun is set without its keys; unset means no SMS', () => {
    expect(() => loadConfig({ SMS_PROVIDER: 'aliyun', SMS_ACCESS_KEY_ID: 'id' })).toThrow(/SMS_ACCESS_KEY_SECRET: required.*SMS_SIGN_NAME: required.*SMS_TEMPLATE_CODE: required/);
    expect(() => loadConfig({ SMS_PROVIDER: 'twilio' })).toThrow(/SMS_PROVIDER/);
    expect(loadConfig({}).SMS_PROVIDER).toBeUndefined();
    // the endpoint gets the signed request and the phone number: never plain http off this machine
    expect(() => loadConfig({ SMS_ENDPOINT: 'http://sms.example.com' })).toThrow(/SMS_ENDPOINT/);
    expect(loadConfig({ SMS_ENDPOINT: 'http://127.0.0.1:8123' }).SMS_ENDPOINT).toBe('http://127.0.0.1:8123');
    expect(loadConfig({ SMS_ENDPOINT: 'https://dysmsapi.aliyuncs.com' }).SMS_ENDPOINT).toBe('https://dysmsapi.aliyuncs.com');
  });
});

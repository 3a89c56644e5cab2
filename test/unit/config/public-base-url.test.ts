import { describe, expect, it } from 'vitest';
import { loadConfig, publicBaseUrl } from '../../../src/config.js';

describe('publicBaseUrl: the address put in links (emails, CLI output)', () => {
  it('is PUBLIC_URL when set, without a trailing slash', () => {
    expect(publicBaseUrl(loadConfig({ PUBLIC_URL: 'https://relance.example.fr/' }))).toBe(
      'https://relance.example.fr',
    );
  });

  it('follows the configured port and host rather than a fixed 3000', () => {
    expect(publicBaseUrl(loadConfig({ PORT: '8080' }))).toBe('http://127.0.0.1:8080');
    expect(publicBaseUrl(loadConfig({ HOST: 'relance.lan', PORT: '4000' }))).toBe('http://relance.lan:4000');
  });

  it('reads a wildcard listen address as loopback, which a browser can open', () => {
    expect(publicBaseUrl(loadConfig({ HOST: '0.0.0.0' }))).toBe('http://127.0.0.1:3000');
  });
});

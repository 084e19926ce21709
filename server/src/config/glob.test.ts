import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globMatcher } from './glob';

describe('config globs', () => {
  const m = (pattern: string, file: string) => globMatcher('/repo', pattern)(file);
  it('matches relative to the config file', () => {
    assert.ok(m('legacy/**', '/repo/legacy/a/b.tf'));
    assert.ok(m('legacy/', '/repo/legacy/b.tf'));
    assert.ok(!m('legacy/**', '/repo/other/legacy.tf'));
    assert.ok(!m('legacy/**', '/elsewhere/legacy/b.tf'));
  });
  it('matches a bare name at any depth', () => {
    assert.ok(m('*.generated.yaml', '/repo/k8s/x.generated.yaml'));
    assert.ok(m('vendor', '/repo/a/vendor/b.tf'));
    assert.ok(!m('*.tf', '/repo/a.yaml'));
  });
  it('supports ** in the middle, ? and alternatives', () => {
    assert.ok(m('envs/**/prod.tfvars', '/repo/envs/prod.tfvars'));
    assert.ok(m('envs/**/prod.tfvars', '/repo/envs/eu/x/prod.tfvars'));
    assert.ok(m('k8s/*.{yaml,yml}', '/repo/k8s/a.yml'));
    assert.ok(m('a?.tf', '/repo/ab.tf'));
    assert.ok(!m('k8s/*.yaml', '/repo/k8s/sub/a.yaml'));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasDigest, imageMatcher, repositoryOf, withoutDigest } from './imageRef';

const HEX = 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb';

describe('image references', () => {
  it('a digest is @sha256: and 64 lower-case hex digits at the end', () => {
    assert.ok(hasDigest(`busybox@sha256:${HEX}`));
    assert.ok(hasDigest(`registry:5000/team/app:1.2@sha256:${HEX}`));
    assert.ok(!hasDigest(`busybox@sha256:${HEX.toUpperCase()}`));
    assert.ok(!hasDigest(`busybox@sha256:${HEX.slice(1)}`));
    assert.ok(!hasDigest(`busybox@sha512:${HEX}`));
    assert.ok(!hasDigest('busybox:1.36'));
  });

  it('the repository keeps host:port and drops :tag and @digest', () => {
    assert.equal(repositoryOf('busybox'), 'busybox');
    assert.equal(repositoryOf('busybox:1.36'), 'busybox');
    assert.equal(repositoryOf('registry:5000/team/app'), 'registry:5000/team/app');
    assert.equal(repositoryOf(`registry:5000/team/app:1.2@sha256:${HEX}`), 'registry:5000/team/app');
    assert.equal(repositoryOf(`app@sha256:${HEX}`), 'app');
    assert.equal(withoutDigest(`app:1.2@sha256:${HEX}`), 'app:1.2');
  });

  it('exempt_images globs match the whole reference or the repository', () => {
    const exempt = imageMatcher(['registry.k8s.io/*', 'busybox', 'nginx:1.2?', 'host:5000/tools/*']);
    assert.ok(exempt('registry.k8s.io/pause:3.9'));
    assert.ok(exempt('busybox:1.36'));
    assert.ok(exempt('nginx:1.27'));
    assert.ok(exempt('host:5000/tools/lint:3'));
    assert.ok(!exempt('busybox-extra:1.36'));
    assert.ok(!exempt('nginx:1.3'));
    // `.` is literal, not a regular-expression wildcard.
    assert.ok(!imageMatcher(['registry.example.com/app'])('registryXexample.com/app:1'));
    assert.ok(!imageMatcher([])('busybox'));
  });
});

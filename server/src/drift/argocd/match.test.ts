import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appMatches, normalizeRepoPath, pathsOverlap, repoId, sameRepo } from './match';

describe('Argo CD repository matching', () => {
  it('reduces every spelling of one repository to host and path', () => {
    const same = [
      'https://github.com/acme/deploy',
      'https://github.com/acme/deploy.git',
      'https://github.com/acme/deploy/',
      'https://GitHub.com/acme/deploy.git/',
      'https://user:secret@github.com/acme/deploy.git',
      'http://github.com/acme/deploy',
      'git@github.com:acme/deploy.git',
      'git@GITHUB.COM:acme/deploy',
      'github.com:acme/deploy.git',
      'ssh://git@github.com/acme/deploy.git',
      'ssh://git@github.com:22/acme/deploy',
      'git://github.com/acme/deploy.git',
      'https://github.com:443/acme//deploy.git',
      '  https://github.com/Acme/Deploy.git  ',
    ];
    for (const url of same) assert.deepEqual(repoId(url), { host: 'github.com', path: 'acme/deploy' }, url);
  });

  it('keeps repositories apart that differ in host, owner, name or nesting', () => {
    const base = 'https://gitlab.example.com/platform/deploy.git';
    for (const other of [
      'https://gitlab.example.org/platform/deploy.git',
      'https://gitlab.example.com/platform/deploy-staging.git',
      'https://gitlab.example.com/other/deploy.git',
      'https://gitlab.example.com/platform/sub/deploy.git',
    ])
      assert.equal(sameRepo(base, other), false, other);
    assert.equal(sameRepo(base, 'git@gitlab.example.com:platform/deploy'), true);
    assert.equal(sameRepo(base, 'ssh://git@gitlab.example.com:2222/platform/deploy.git'), true);
  });

  it('identifies Azure DevOps repositories across its SSH and HTTPS spellings', () => {
    const https = 'https://dev.azure.com/contoso/web/_git/deploy';
    assert.equal(sameRepo(https, 'git@ssh.dev.azure.com:v3/contoso/web/deploy'), true);
    assert.equal(sameRepo(https, 'https://contoso@dev.azure.com/contoso/web/_git/deploy'), true);
    assert.equal(sameRepo(https, 'https://contoso.visualstudio.com/web/_git/deploy'), true);
    assert.equal(sameRepo(https, 'contoso@vs-ssh.visualstudio.com:v3/contoso/web/deploy'), true);
    assert.equal(sameRepo(https, 'git@ssh.dev.azure.com:v3/contoso/web/other'), false);
  });

  it('rejects text that names no repository', () => {
    for (const text of ['', '   ', 'deploy', 'C:\\src\\deploy', 'https://github.com', 'https://github.com/', '/srv/git/deploy']) assert.equal(repoId(text), undefined, JSON.stringify(text));
    assert.equal(sameRepo('', ''), false);
  });

  it('normalises source paths', () => {
    const table: [string | undefined, string][] = [
      [undefined, ''],
      ['', ''],
      ['.', ''],
      ['/', ''],
      ['./k8s/prod/', 'k8s/prod'],
      ['k8s//prod', 'k8s/prod'],
      ['k8s\\prod', 'k8s/prod'],
    ];
    for (const [input, want] of table) assert.equal(normalizeRepoPath(input), want, String(input));
  });

  it('matches a source path that is the folder, inside it, or holding it', () => {
    const table: [string | undefined, string, boolean][] = [
      ['guestbook', 'guestbook', true],
      ['./guestbook/', 'guestbook', true],
      ['apps/guestbook', 'apps', true], // the workspace holds the app's folder
      ['apps', 'apps/guestbook', true], // the workspace is a part of what the app deploys
      ['apps/guestbook', '', true], // the workspace is the repository
      ['.', 'apps/guestbook', true], // the app deploys the whole repository
      [undefined, 'apps', true], // a ref-only source
      ['apps/guestbook-v2', 'apps/guestbook', false], // a prefix of a name is not a parent
      ['billing', 'guestbook', false],
      ['apps/billing', 'apps/guestbook', false],
    ];
    for (const [source, folder, want] of table) assert.equal(pathsOverlap(source, folder), want, `${source} vs ${folder}`);
  });

  it('matches an app through any of its sources, never through a chart repository', () => {
    const remote = 'git@github.com:acme/deploy.git';
    assert.equal(appMatches([{ repoURL: 'https://github.com/acme/deploy', path: 'guestbook' }], remote, 'guestbook'), true);
    assert.equal(appMatches([{ repoURL: 'https://charts.example.com' }, { repoURL: 'https://github.com/acme/deploy.git', path: 'values' }], remote, 'values/prod'), true);
    assert.equal(appMatches([{ repoURL: 'https://charts.example.com' }], remote, ''), false);
    assert.equal(appMatches([{ repoURL: 'https://github.com/acme/deploy', path: 'billing' }], remote, 'guestbook'), false);
    assert.equal(appMatches([{ path: 'guestbook' }], remote, 'guestbook'), false);
    assert.equal(appMatches([], remote, ''), false);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadManifests, ManifestError, sha256Hex } from './manifests';

const operation = (name: string, body = `query ${name} { __typename }`) => ({
  id: sha256Hex(body),
  name,
  type: 'query',
  body,
});
const manifestJson = (operations: unknown[]) =>
  JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations });

describe('loadManifests', () => {
  let dir: string;
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  };
  /** The ManifestError loadManifests throws, or a failure when it throws nothing. */
  const problemsOf = (): string[] => {
    try {
      loadManifests(dir);
    } catch (error) {
      if (error instanceof ManifestError) return error.problems;
      throw error;
    }
    throw new Error('loadManifests accepted the manifests');
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'minishop-manifests-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the web manifest and one manifest per partner file, operations by id', () => {
    const web = operation('WebOp');
    const feed = operation('Feed');
    write('web.json', manifestJson([web]));
    write('partners/acme-feed.json', manifestJson([feed]));
    write('partners/README.txt', 'not a manifest');

    const manifests = loadManifests(dir);

    expect([...manifests.web.operations.values()]).toEqual([web]);
    expect([...manifests.partners.keys()]).toEqual(['acme-feed']);
    expect(manifests.partners.get('acme-feed')?.operations.get(feed.id)).toEqual(feed);
  });

  it('has no partner manifests when there is no partners folder', () => {
    write('web.json', manifestJson([]));
    expect(loadManifests(dir).partners.size).toBe(0);
  });

  it('refuses a missing web manifest, naming it', () => {
    expect(problemsOf()).toEqual([expect.stringContaining(path.join(dir, 'web.json'))]);
  });

  it('names the file and operation whose id is not the sha256 of its body, or is a duplicate', () => {
    const good = operation('Good');
    const tampered = 'query Tampered { me { id } }';
    write('web.json', manifestJson([good, { ...operation('Tampered'), body: tampered }]));
    write('partners/acme-feed.json', manifestJson([good, { ...good, name: 'Again' }]));

    expect(problemsOf()).toEqual([
      `${path.join(dir, 'web.json')}: operations.1 (Tampered): id is not the sha256 of its body (${sha256Hex(tampered)})`,
      `${path.join(dir, 'partners/acme-feed.json')}: operations.1 (Again): duplicate id ${good.id}`,
    ]);
  });

  it('names files that are not JSON, not the manifest format, or not named as a manifestId', () => {
    write('web.json', JSON.stringify({ format: 'something-else', version: 1, operations: [{ id: 'x', name: 'X' }] }));
    write('partners/broken.json', '{ "format": ');
    write('partners/Acme_Feed.json', manifestJson([]));
    const web = path.join(dir, 'web.json');

    const problems = problemsOf();

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${web}: format: `)),
        expect.stringMatching(new RegExp(`^${web}: operations\\.0\\.type: `)),
        expect.stringMatching(new RegExp(`^${web}: operations\\.0\\.body: `)),
        expect.stringMatching(/partners\/broken\.json: .*JSON/),
        expect.stringMatching(/partners\/Acme_Feed\.json: the file name must be a manifestId/),
      ]),
    );
    expect(() => loadManifests(dir)).toThrow(/^invalid persisted query manifests:\n {2}- .*web\.json: /);
  });
});

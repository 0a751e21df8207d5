// The API document of the real binary passes @redocly/cli lint with no
// error nor warning, and the web UI's committed API types are exactly what
// openapi-typescript generates from it (so the UI builds against the bodies
// the server documents).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fetchDocument, writeDocument, lint, generateTypes, generatedTypes, here, root } from './harness.mjs';

const dir = writeDocument(await fetchDocument());
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('@redocly/cli lint passes with no error and no warning', async () => {
  const { totals, text } = await lint(dir);
  console.log(text);
  assert.equal(totals.errors, 0, text);
  assert.equal(totals.warnings, 0, text);
});

test('every operation has a readable operationId and a documented success body', () => {
  const doc = JSON.parse(readFileSync(join(dir, 'openapi.json'), 'utf8'));
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      assert.match(op.operationId, /^[a-z][A-Za-z0-9]*$/, `${method} ${path}`);
      const ok = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
      if (path.startsWith('/ws/')) continue;
      assert.ok(ok.length > 0, `${method} ${path} has no 2xx answer`);
      for (const [status, answer] of ok) {
        if (status === '204') continue;
        assert.ok(answer.content && Object.keys(answer.content).length > 0, `${method} ${path} ${status} has no body`);
      }
    }
  }
});

test('the web UI types are generated from this document', async () => {
  const fresh = readFileSync(await generateTypes(dir), 'utf8');
  const committed = readFileSync(generatedTypes, 'utf8');
  assert.ok(
    fresh === committed,
    'web/src/generated/openapi.ts differs from what openapi-typescript makes of /openapi.json: ' +
      'run `node tests/openapi/generate.mjs` and commit it (then fix what `npm run build` in web/ reports)',
  );
});

test('web/ pins the same openapi-typescript as this test', () => {
  const mine = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies['openapi-typescript'];
  const web = JSON.parse(readFileSync(join(root, 'web/package.json'), 'utf8')).devDependencies['openapi-typescript'];
  assert.equal(web, mine);
});

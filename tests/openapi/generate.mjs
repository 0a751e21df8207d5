// Regenerates the web UI's API types (web/src/generated/openapi.ts) from the
// document of the built binary:  node tests/openapi/generate.mjs
// (after `npm ci` in tests/openapi and a build of codecrew).
import { copyFileSync } from 'node:fs';
import { fetchDocument, writeDocument, generateTypes, generatedTypes } from './harness.mjs';

const dir = writeDocument(await fetchDocument());
copyFileSync(await generateTypes(dir), generatedTypes);
console.log(`wrote ${generatedTypes}`);

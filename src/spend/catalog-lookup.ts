// The child process of catalog.ts: reads a JSON array of candidate lists on stdin, answers a JSON array of
// CatalogMatch-or-null on stdout, and exits, taking the catalogue's memory with it.
import { matchCatalog } from './catalog.ts';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const lists = JSON.parse(Buffer.concat(chunks).toString('utf8')) as string[][];
process.stdout.write(JSON.stringify(lists.map((candidates) => matchCatalog(candidates))));

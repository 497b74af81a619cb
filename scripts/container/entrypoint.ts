// The container image's entry point: `<image> <process> [args...]` runs that process (see processes.ts).
// It imports nothing else, so each process's own entry still loads its tracing before anything it traces.
import path from 'node:path';
import { isProcessName, PROCESS_ENTRIES } from './processes';

const [name, ...args] = process.argv.slice(2);
if (!isProcessName(name)) {
  process.stderr.write(
    `usage: <image> <process> [args...]\n` +
      `unknown process ${JSON.stringify(name ?? '')}; one of: ${Object.keys(PROCESS_ENTRIES).join(', ')}\n`,
  );
  process.exit(64);
}
process.env.OTEL_SERVICE_NAME ??= name;
process.argv.splice(2, process.argv.length - 2, ...args);
// Without its extension, the entry resolves to the compiled .js in the image and to the .ts under tsx.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
require(path.join(__dirname, '../..', PROCESS_ENTRIES[name].replace(/\.ts$/, '')));

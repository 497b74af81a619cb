import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

/** The slice of the WebAssembly JS API used here (the root's @types/node 20 does not declare it). */
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, object>): Promise<{ exports: Record<string, unknown> }>;
};

/** Where the engine leaves a panic's message before trapping (the Prisma CLI defines the same global). */
const panics = {
  message: '',
  set_message(message: string): void {
    panics.message = message;
  },
};
Object.assign(globalThis, { PRISMA_WASM_PANIC_REGISTRY: panics });

/** Timers the engine started. It never clears them, so its 10 s advisory-lock timeout kept every run alive 10 s. */
const timers = new Set<NodeJS.Timeout>();

function trackedSetTimeout(callback: () => void, delay: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    timers.delete(timer);
    callback();
  }, delay >>> 0);
  timers.add(timer);
  return timer;
}

let engineClass: Promise<typeof SchemaEngine> | undefined;

export function loadEngineClass(): Promise<typeof SchemaEngine> {
  engineClass ??= instantiate();
  return engineClass;
}

/**
 * Instantiates the official schema engine compiled to WebAssembly. Its package entry imports the
 * `.wasm` file as an ES module (needs --experimental-wasm-modules); loading the binary here instead
 * works in any Node process without flags, and lets the engine's setTimeout import be tracked.
 */
async function instantiate(): Promise<typeof SchemaEngine> {
  const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const imports: Record<string, unknown> = { ...bindings };
  for (const name of Object.keys(bindings)) if (name.startsWith('__wbg_setTimeout_')) imports[name] = trackedSetTimeout;
  const wasmFile = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
  const module = await WebAssembly.compile(await readFile(wasmFile));
  const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': imports });
  bindings.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start !== 'function') throw new Error('unexpected schema engine build: no __wbindgen_start export');
  start();
  return bindings.SchemaEngine;
}

/**
 * Awaits engine work. A panic inside the engine surfaces as an uncaught exception, not as a rejection:
 * it is turned into a failure of the work so the caller can still close connections. The engine's
 * leftover timers are cleared afterwards so the process can exit.
 */
export async function runEngineWork<T>(work: Promise<T>): Promise<T> {
  let fail: (error: Error) => void = () => {};
  const panicked = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const onUncaught = (error: Error): void =>
    fail(panics.message ? new Error(`schema engine panicked: ${panics.message}`, { cause: error }) : error);
  process.on('uncaughtException', onUncaught);
  try {
    return await Promise.race([work, panicked]);
  } finally {
    process.off('uncaughtException', onUncaught);
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  }
}

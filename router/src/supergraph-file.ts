import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile } from 'node:fs';
import type { SupergraphManager } from '@apollo/gateway';
import type { Logger } from '@minishop/runtime';

/**
 * Serves the supergraph from a file and hot-reloads it when the file changes. The gateway swaps
 * schemas atomically: in-flight requests finish on the old one. An invalid new file is logged and
 * ignored, so the router keeps serving the last good supergraph. `prepare` turns the file's SDL into
 * what the gateway is given.
 */
export function fileSupergraphManager(
  file: string,
  logger: Logger,
  prepare: (sdl: string) => string = (sdl) => sdl,
  pollIntervalMs = 500,
): SupergraphManager {
  return {
    async initialize({ update }) {
      let current = await readFile(file, 'utf8');
      let reloading = Promise.resolve();
      const reload = async () => {
        const next = await readFile(file, 'utf8').catch((error: unknown) => {
          logger.error({ err: error, file }, 'cannot read supergraph file; keeping the current supergraph');
          return current;
        });
        if (next === current || next.trim() === '') return;
        try {
          update(prepare(next));
          current = next;
          logger.info({ file }, 'supergraph reloaded');
        } catch (error) {
          logger.error({ err: error, file }, 'new supergraph rejected; keeping the current one');
        }
      };
      // Polling (not fs.watch) survives editors and deploy tools that replace the file by rename.
      watchFile(file, { interval: pollIntervalMs }, () => {
        reloading = reloading.then(reload);
      });
      return {
        supergraphSdl: prepare(current),
        cleanup: async () => {
          unwatchFile(file);
          await reloading;
        },
      };
    },
  };
}

import { Kind, parse } from 'graphql';
import { findSecurityLinks } from './security-links';

/**
 * The supergraph SDL for `@apollo/gateway`: the same text with `for: SECURITY` removed from the
 * `@link`s to the authorization specs, which the gateway refuses to load (it cannot enforce them;
 * the router does, from the unmodified SDL). Every other character is kept, so other SECURITY
 * features (`@inaccessible`) stay enforced by the gateway. Throws like `readAccessIndex`.
 */
export function stripSecurityPurpose(supergraphSdl: string): string {
  const cuts: { start: number; end: number }[] = [];
  for (const { node } of findSecurityLinks(parse(supergraphSdl))) {
    const args = node.arguments ?? [];
    const at = args.findIndex(
      (argument) =>
        argument.name.value === 'for' && argument.value.kind === Kind.ENUM && argument.value.value === 'SECURITY',
    );
    const purpose = args[at];
    if (!purpose?.loc) continue;
    // Take the separator with it: the one before the argument, or after it when it comes first.
    const previous = args[at - 1]?.loc;
    const next = args[at + 1]?.loc;
    cuts.push(
      previous
        ? { start: previous.end, end: purpose.loc.end }
        : { start: purpose.loc.start, end: next ? next.start : purpose.loc.end },
    );
  }
  return cuts
    .sort((a, b) => b.start - a.start)
    .reduce((sdl, cut) => sdl.slice(0, cut.start) + sdl.slice(cut.end), supergraphSdl);
}

// A module resolution hook (node:module register): every import of `string-width` resolves to
// width.js, told by a query parameter which string-width the importer would have had. Ink
// measures the widest line of every text node on every frame (render-node-to-output), with
// no cache of its own, and a line with one non-ASCII character (●, …, │) takes
// string-width's grapheme-segmenter path: 5 ms a keypress on the cockpit's 200×62 screen
// (docs/decisions/0008-string-width-cache.md). Nothing else is redirected.
interface ResolveContext {
  parentURL?: string;
}
interface ResolveResult {
  url: string;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;

const WRAPPER = new URL('./width.js', import.meta.url).href;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  const real = await next(specifier, context);
  if (specifier !== 'string-width' || context.parentURL?.startsWith(WRAPPER)) return real;
  return { ...real, url: `${WRAPPER}?of=${encodeURIComponent(real.url)}`, shortCircuit: true };
}

// Module resolution hooks (node:module `register`): see register.mjs.
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.includes('/@elastic/elasticsearch/')) {
    throw new Error(`imported the full Elasticsearch client: ${resolved.url}`);
  }
  return resolved;
}

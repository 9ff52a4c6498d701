/**
 * The API refuses U+0000 in every string and field name of a request (`api/validate.ts`:
 * PostgreSQL text cannot store it). The document says so where the zod schemas do not: each
 * request string with no format, enum or const gets {@link NO_NUL} as its pattern (beside any
 * pattern it has that does not already leave NUL out), and each object open to other fields
 * gets it for their names (`propertyNames`). A client or a fuzzer generating requests from the
 * document then sends only strings the API accepts. Responses are left alone: a problem may
 * name a refused field, NUL and all.
 */
export const NO_NUL = '^[^\\u0000]*$';

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Adds the NUL rule to every schema a request's parameters and bodies use, in place. */
export function documentNoNul(document: { paths?: unknown; components?: unknown }): void {
  const components = isSchema(document.components) && isSchema(document.components.schemas) ? document.components.schemas : {};
  const visited = new Set<Schema>();

  const visit = (schema: unknown): void => {
    if (!isSchema(schema) || visited.has(schema)) return;
    visited.add(schema);
    if (typeof schema.$ref === 'string') visit(components[schema.$ref.replace('#/components/schemas/', '')]);
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.includes('string') && !('format' in schema || 'enum' in schema || 'const' in schema)) {
      // An anchored pattern here is a character class that leaves NUL out; an unanchored one
      // (`\S`, "not blank") matches around it, so the rule is added beside it.
      if (!('pattern' in schema)) schema.pattern = NO_NUL;
      else if (!/^\^.*\$$/.test(String(schema.pattern))) schema.allOf = [...(Array.isArray(schema.allOf) ? schema.allOf : []), { pattern: NO_NUL }];
    }
    if (types.includes('object') && schema.additionalProperties !== false && !('propertyNames' in schema)) schema.propertyNames = { pattern: NO_NUL };
    if (isSchema(schema.properties)) Object.values(schema.properties).forEach(visit);
    for (const key of ['additionalProperties', 'items', 'not']) visit(schema[key]);
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach(visit);
  };

  for (const pathItem of Object.values(isSchema(document.paths) ? document.paths : {})) {
    for (const operation of Object.values(isSchema(pathItem) ? pathItem : {})) {
      if (!isSchema(operation)) continue;
      if (Array.isArray(operation.parameters)) for (const p of operation.parameters) if (isSchema(p)) visit(p.schema);
      const content = isSchema(operation.requestBody) && isSchema(operation.requestBody.content) ? operation.requestBody.content : {};
      for (const media of Object.values(content)) if (isSchema(media)) visit(media.schema);
    }
  }
}

/**
 * The OpenAPI 3.1 document of the API, generated (@asteasolutions/zod-to-openapi) from the very
 * zod schemas the routers validate with: a field added to a schema is documented with no
 * further edit, and `test/unit/api/openapi.test.ts` fails when a route is mounted undocumented.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { KEY_REQUIRED, registerComponents } from './components';
import { documentNoNul } from './no-nul';
import { registerCalendarPaths } from './paths/calendars';
import { registerOperationsPaths } from './paths/operations';
import { registerPlatformPaths } from './paths/platform';
import { registerPolicyPaths } from './paths/policy';
import { registerRecipientPaths } from './paths/recipients';
import { registerContractReportPaths } from './paths/contract-reports';
import { registerRequestPaths } from './paths/requests';
import { registerScreenPaths } from './paths/screen';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const DESCRIPTION = `Enforces technical-support service levels: every support request is a durable Temporal workflow on working-hour SLA clocks.

Every error is an RFC 9457 problem (\`application/problem+json\`); validation problems name each failing field and rule in \`errors\`.
Every route but health and documentation needs an API key, as \`Authorization: Bearer <key>\` or \`X-API-Key: <key>\`.
Request bodies: JSON in UTF-8, at most 256 KB and 32 levels of nesting (400 \`too_deep\`, \`invalid_utf8\`; 413; another charset is 415); no string may hold U+0000 (400 \`nul_character\`) or a UTF-16 surrogate without its pair, sent as \`\\ud800\` (400 \`lone_surrogate\`). An .ics upload is UTF-8, at most 1 MB, and bounded in the work it asks for (422 naming the event). A method a path does not list is 405 with \`Allow\`.`;

export function buildRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registerComponents(registry);
  registerPlatformPaths(registry);
  registerRequestPaths(registry);
  registerPolicyPaths(registry);
  registerCalendarPaths(registry);
  registerOperationsPaths(registry);
  registerRecipientPaths(registry);
  registerContractReportPaths(registry);
  registerScreenPaths(registry);
  return registry;
}

export function buildOpenApiDocument(opts: { version?: string } = {}): OpenApiDocument {
  const document = new OpenApiGeneratorV31(buildRegistry().definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'sla-orchestrator API', version: opts.version ?? '0.1.0', description: DESCRIPTION },
    security: KEY_REQUIRED,
    tags: [
      { name: 'Requests', description: 'Support requests: registration, agent actions, state and timeline' },
      { name: 'Catalogue', description: 'The support-level catalogue' },
      { name: 'Products' },
      { name: 'Sales offices' },
      { name: 'Customers', description: 'Customers and what they hold: representatives, licences, update purchases, pilots; entitlement' },
      { name: 'Contracts', description: 'Individual contracts with their SLA terms' },
      { name: 'Calendars', description: 'Working-time calendars and their versions' },
      { name: 'Reports', description: 'SLA compliance reports' },
      { name: 'Notification recipients', description: 'The directory of people and teams notified about requests, by role' },
      { name: 'API keys', description: 'Keys of the integrations and people calling the API (admin only)' },
      { name: 'Metrics' },
      { name: 'Health' },
      { name: 'Documentation' },
      { name: 'Screen', description: 'What the desk\'s screen (/ui/) calls: browser sign-in, live events, the board' },
    ],
  });
  documentNoNul(document);
  return document;
}

let cached: OpenApiDocument | undefined;
/** Built once per process (the schemas do not change at run time). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}

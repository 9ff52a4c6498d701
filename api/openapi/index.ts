export { buildOpenApiDocument, buildRegistry, openApiDocument, type OpenApiDocument } from './document';
export { renderDocsHtml } from './html';
export { openApiRouter } from './router';

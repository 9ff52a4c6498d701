/**
 * The screen's files: the pages in web/ (plain ES modules, no build step) and Chart.js served
 * from node_modules, so the browser needs no network but this API and nothing generated is
 * committed. Public (they hold no data); every read of data goes through the API with a key.
 */
import path from 'node:path';
import express from 'express';

const ROOT = path.resolve(__dirname, '..', '..');
export const WEB_DIR = path.join(ROOT, 'web');
const CHART_JS_DIR = path.join(ROOT, 'node_modules', 'chart.js', 'dist');

/** Middleware only (no routes): these are files, not API operations. */
export function mountScreenAssets(app: express.Express): void {
  app.use((req, res, next) => (req.path === '/' && (req.method === 'GET' || req.method === 'HEAD') ? res.redirect(302, '/ui/') : next()));
  app.use('/ui/vendor', express.static(CHART_JS_DIR, { index: false, fallthrough: true }));
  app.use('/ui', express.static(WEB_DIR, { index: 'index.html', fallthrough: true }));
}

// Serves the web console: its HTML page and the files in ./dist/ (built by ./build.ts). Pure:
// no HTTP server here. The gateway's node:http router calls
//   html()              for GET /console (and /console/)
//   serveAsset(path)    for GET /console/assets/<file>
// and sends CONSOLE_CSP as the Content-Security-Policy header of the page.
// Call `await buildConsole()` (./build.ts) at start-up so the assets exist.

import { bundlePage } from '../browserBundle/bundlePage.ts';
import { createBundleAssets, type BundleAsset, type BundlePageHandler } from '../browserBundle/createBundleAssets.ts';
import { CONSOLE_ASSETS, CONSOLE_DIST_DIR } from './build.ts';
import { negotiateLocale } from './i18n/locale.ts';

/**
 * Content-Security-Policy of the console. No inline script or style at all; the API is on the
 * same origin; images are the page's own or data: URLs (the evaluation report's SVG chart).
 * It may not be framed: a framed admin console invites clickjacking of approvals and revocations.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleHandlerOptions {
  /** URL prefix the assets are served under; default '/console/assets/'. */
  assetsPath?: string;
  /** Folder holding console.js / console.css; default web/console/dist. */
  distDir?: string;
}

export type ConsoleAsset = BundleAsset;

export type ConsoleHandler = BundlePageHandler;

export function createConsoleHandler(options: ConsoleHandlerOptions = {}): ConsoleHandler {
  const assets = createBundleAssets({
    distDir: options.distDir ?? CONSOLE_DIST_DIR,
    assets: CONSOLE_ASSETS,
    assetsPath: options.assetsPath ?? '/console/assets/',
  });

  return {
    html(acceptLanguage?: string | null): string {
      // The app itself switches language (and <html lang>) when the user chose one; until it
      // runs, the page speaks what the browser asks for, Chinese by default.
      const lang = negotiateLocale(acceptLanguage);
      return bundlePage({
        lang,
        title: lang === 'zh-CN' ? '政务数据共享平台 · govgraph' : 'govgraph console',
        extraHead: ['<meta name="referrer" content="no-referrer">'],
        stylesheet: assets.assetUrl('console.css'),
        script: assets.assetUrl('console.js'),
        body: [
          `<div id="root"><p class="boot">${lang === 'zh-CN' ? '正在加载 govgraph 控制台&hellip;' : 'Loading the govgraph console&hellip;'}</p></div>`,
          `<noscript>${lang === 'zh-CN' ? 'govgraph 控制台需要启用 JavaScript。管理接口为 POST /admin/graphql。' : 'The govgraph console needs JavaScript. The management API is POST /admin/graphql.'}</noscript>`,
        ],
      });
    },

    serveAsset: assets.serveAsset,
  };
}

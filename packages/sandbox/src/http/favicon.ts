/**
 * The favicon (every page logged a 404 without it): a small SVG, served at `/favicon.svg`
 * (linked from every page) and at `/favicon.ico` for browsers that ask there anyway.
 *
 * @module
 */
import { Router } from 'express';

/** A blue rounded tile with a white dune and sun: legible at 16 px, no fonts needed. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1677ff"/>' +
  '<path d="M9 22.5c3.5-1 5.5-3.5 7-7.5 1.5 4 3.5 6.5 7 7.5" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round"/>' +
  '<circle cx="16" cy="9.5" r="2.5" fill="#fff"/></svg>';

/** Routes for `/favicon.svg` and `/favicon.ico`. */
export function faviconRouter(): Router {
  const r = Router();
  const send = (_req: unknown, res: import('express').Response) => {
    res.type('image/svg+xml').setHeader('Cache-Control', 'public, max-age=86400');
    res.end(FAVICON_SVG);
  };
  r.get('/favicon.svg', send);
  r.get('/favicon.ico', send);
  return r;
}

/** The shop's 404 page (served with status 404 by src/web.ts): the shell and a way home. */
import { initShell } from './shell.js';

initShell();

import type { Messages } from './en.js';

/** Traditional Chinese (Hong Kong): only where it differs from zh-TW, which it falls back to. */
export const zhHK: Partial<Messages> = {
  loading: '正在連接支付寶…',
  error: '出現錯誤',
};

import type { Messages } from './en.js';

/** Traditional Chinese (Taiwan); also the fallback for zh-HK and zh-Hant. */
export const zhTW: Messages = {
  label: '使用支付寶付款',
  loading: '正在連線至支付寶…',
  redirecting: '正在前往支付寶…',
  verifying: '正在確認付款…',
  paid: '付款成功',
  pending: '付款處理中，稍後確認。',
  failed: '付款未完成',
  error: '發生錯誤',
  retry: '重試',
  check: '再次查詢',
};

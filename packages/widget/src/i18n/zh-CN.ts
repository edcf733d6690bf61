import type { Messages } from './en.js';

/** Simplified Chinese. */
export const zhCN: Messages = {
  label: '使用支付宝付款',
  loading: '正在连接支付宝…',
  redirecting: '正在跳转到支付宝…',
  verifying: '正在确认付款…',
  paid: '付款成功',
  pending: '付款处理中，稍后确认。',
  failed: '付款未完成',
  error: '出错了',
  retry: '重试',
  check: '再次查询',
};

import type { Messages } from './en.js';

/** Japanese. */
export const ja: Messages = {
  label: 'Alipayで支払う',
  loading: 'Alipayに接続しています…',
  redirecting: 'Alipayに移動しています…',
  verifying: 'お支払いを確認しています…',
  paid: 'お支払いが完了しました',
  pending: 'お支払いの処理中です。しばらくお待ちください。',
  failed: 'お支払いは完了しませんでした',
  error: 'エラーが発生しました',
  retry: '再試行',
  check: '再確認',
};

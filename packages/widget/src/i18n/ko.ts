import type { Messages } from './en.js';

/** Korean. */
export const ko: Messages = {
  label: 'Alipay로 결제',
  loading: 'Alipay에 연결 중…',
  redirecting: 'Alipay로 이동 중…',
  verifying: '결제 확인 중…',
  paid: '결제가 완료되었습니다',
  pending: '결제 처리 중입니다. 잠시 기다려 주세요.',
  failed: '결제가 완료되지 않았습니다',
  error: '오류가 발생했습니다',
  retry: '다시 시도',
  check: '다시 확인',
};

import type { Messages } from './en.js';

/** Thai. */
export const th: Messages = {
  label: 'ชำระเงินด้วย Alipay',
  loading: 'กำลังเชื่อมต่อ Alipay…',
  redirecting: 'กำลังไปยัง Alipay…',
  verifying: 'กำลังยืนยันการชำระเงิน…',
  paid: 'ชำระเงินเรียบร้อยแล้ว',
  pending: 'กำลังดำเนินการชำระเงิน โปรดรอสักครู่',
  failed: 'การชำระเงินไม่สำเร็จ',
  error: 'เกิดข้อผิดพลาด',
  retry: 'ลองอีกครั้ง',
  check: 'ตรวจสอบอีกครั้ง',
};

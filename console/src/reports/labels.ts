import type { Priority } from '@xaso/device-profiles/contract';
import type { PlaybackOutcome } from './broadcast-log.js';

/** Vietnamese wording of the report: commune staff read these, not the enum values. */
export const OUTCOME_LABEL: Record<PlaybackOutcome, string> = {
  played: 'Đã phát',
  interrupted: 'Bị ngắt',
  failed: 'Lỗi',
  missed: 'Bỏ lỡ',
  incomplete: 'Chưa ghi nhận kết thúc',
};

/** Circular 39/2020/TT-BTTTT's bulletin levels. */
export const PRIORITY_LABEL: Record<Priority, string> = {
  emergency: 'Khẩn cấp',
  priority: 'Ưu tiên',
  normal: 'Thông thường',
};

export const COLUMN_LABELS = [
  'Ngày',
  'Giờ bắt đầu',
  'Giờ kết thúc',
  'Thời lượng',
  'Cụm loa',
  'Mã cụm loa',
  'Địa bàn',
  'Nội dung',
  'Mức độ',
  'Giờ theo lịch',
  'Kết quả',
  'Lý do',
  'Người lập lịch',
  'Người duyệt',
  'Mã bản tin',
] as const;

export const TOTAL_LABELS = [
  'Số lượt đã phát',
  'Tổng thời lượng',
  'Bị ngắt',
  'Lỗi',
  'Bỏ lỡ',
  'Chưa ghi nhận kết thúc',
] as const;

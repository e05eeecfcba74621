/** Who owns an audio item and who may use it. Vietnamese first; `enAudioScope` must have exactly these keys. */
export const viAudioScope = {
  'audio.filter.label': 'Hiển thị',
  'audio.filter.all': 'Tất cả bản mình được dùng',
  'audio.filter.mine': 'Của đơn vị mình',
  'audio.filter.shared': 'Dùng chung (cấp tỉnh)',
  'audio.col.owner': 'Thuộc về',
  'audio.col.actions': 'Thao tác',
  'audio.owner.province': 'Cấp tỉnh (dùng chung)',
  'audio.owner.shared': '{area} · dùng chung toàn tỉnh',
  'audio.owner.field': 'Thuộc về',
  'audio.owner.yours': 'Bản âm thanh sẽ thuộc về: {area}',
  'audio.owner.hint':
    'Bản của xã chỉ cán bộ xã đó (và cán bộ tỉnh) thấy, sửa và dùng. Bản cấp tỉnh thì mọi xã đều dùng được.',
  'audio.share': 'Chia sẻ toàn tỉnh',
  'audio.unshare': 'Thôi chia sẻ',
  'audio.share.done': 'Đã chia sẻ “{title}” cho toàn tỉnh.',
  'audio.unshare.done': 'Đã thôi chia sẻ “{title}”.',
  'error.exists-elsewhere':
    'Bản âm thanh này đã có trong thư viện của đơn vị khác. Hãy nhờ cán bộ tỉnh chia sẻ cho toàn tỉnh.',
  'error.unknown-area': 'Không có khu vực này.',
  'field.shared': 'Chia sẻ',
} as const;

export const enAudioScope: Record<keyof typeof viAudioScope, string> = {
  'audio.filter.label': 'Show',
  'audio.filter.all': 'Everything I may use',
  'audio.filter.mine': 'Our own',
  'audio.filter.shared': 'Shared (province-level)',
  'audio.col.owner': 'Belongs to',
  'audio.col.actions': 'Actions',
  'audio.owner.province': 'Province (shared)',
  'audio.owner.shared': '{area} · shared province-wide',
  'audio.owner.field': 'Belongs to',
  'audio.owner.yours': 'The audio will belong to: {area}',
  'audio.owner.hint':
    'A commune’s own audio is seen, changed and used only by that commune’s staff (and province staff). Province-level audio is for every commune.',
  'audio.share': 'Share province-wide',
  'audio.unshare': 'Stop sharing',
  'audio.share.done': 'Shared “{title}” with the whole province.',
  'audio.unshare.done': 'Stopped sharing “{title}”.',
  'error.exists-elsewhere':
    'This audio is already in another area’s library. Ask province staff to share it province-wide.',
  'error.unknown-area': 'No such area.',
  'field.shared': 'Sharing',
};

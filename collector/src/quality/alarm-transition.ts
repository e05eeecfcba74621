import { alarmIdFor } from './alarm-lifecycle.js';
import type { AlarmTransition } from './alarm-lifecycle.js';
import type { AlarmRule } from './alarm-rules.js';

export interface Detail {
  value?: number;
  lastSeen?: number;
}

export function transition(
  rule: AlarmRule,
  stationId: string,
  state: 'raised' | 'cleared',
  ts: number,
  raisedAt: number,
  detail: Detail,
): AlarmTransition {
  const base = {
    alarmId: alarmIdFor(rule.id, stationId, raisedAt),
    ruleId: rule.id,
    stationId,
    state,
    ts,
    severity: rule.severity,
  };
  if (rule.kind === 'threshold') {
    const v = detail.value;
    const limit = Array.isArray(rule.limit)
      ? v !== undefined && v < rule.limit[0]
        ? rule.limit[0]
        : rule.limit[1]
      : (rule.limit as number);
    const what = rule.comparison === 'min' ? 'below' : rule.comparison === 'max' ? 'above' : 'outside';
    const bound = Array.isArray(rule.limit) ? `${rule.limit[0]}–${rule.limit[1]}` : `${rule.limit}`;
    const unit = rule.unit ? ` ${rule.unit}` : '';
    const text =
      state === 'raised'
        ? `${rule.channel} ${v ?? '?'}${unit} ${what} ${bound}${unit} (${rule.averaging})`
        : `${rule.channel} back within ${bound}${unit} (${rule.averaging})`;
    return {
      ...base,
      channel: rule.channel,
      value: v,
      limit,
      unit: rule.unit,
      standard: rule.standard,
      message: rule.message ?? `${text}${rule.standard ? ` — ${rule.standard}` : ''}`,
    };
  }
  const texts = {
    'station-silent': [
      `no data from ${stationId} since ${new Date(detail.lastSeen ?? ts).toISOString()}`,
      `${stationId} reporting again`,
    ],
    'cluster-offline': [
      `loudspeaker cluster ${stationId} offline`,
      `loudspeaker cluster ${stationId} back online`,
    ],
    'amplifier-fault': [`amplifier fault on ${stationId}`, `amplifier on ${stationId} healthy again`],
  } as const;
  const [raisedText, clearedText] = texts[rule.kind];
  return { ...base, message: rule.message ?? (state === 'raised' ? raisedText : clearedText) };
}

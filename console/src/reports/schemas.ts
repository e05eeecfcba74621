import { z } from '@hono/zod-openapi';

const TotalsSchema = z.object({
  key: z.string(),
  label: z.string(),
  played: z.number().int(),
  interrupted: z.number().int(),
  failed: z.number().int(),
  missed: z.number().int(),
  incomplete: z.number().int(),
  playedMs: z.number().int(),
});

const RowSchema = z.object({
  clusterId: z.string(),
  clusterName: z.string(),
  areaId: z.string().nullable(),
  areaName: z.string(),
  broadcastId: z.string(),
  title: z.string(),
  priority: z.enum(['emergency', 'priority', 'normal']),
  scheduledAt: z.number().int().nullable(),
  startedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  durationMs: z.number().int(),
  outcome: z.enum(['played', 'interrupted', 'failed', 'missed', 'incomplete']),
  reason: z.string().nullable(),
  requestedBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  at: z.number().int(),
});

export const BroadcastLogSchema = z
  .object({
    areaId: z.string(),
    areaName: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    generatedAt: z.number().int(),
    rows: z.array(RowSchema),
    perCluster: z.array(TotalsSchema),
    perDay: z.array(TotalsSchema),
    total: TotalsSchema,
  })
  .openapi('BroadcastLog');

import { z } from 'zod';

const PortSchema = z.number().int().min(0).max(65535);
const ServicePasswordSchema = z.string().min(16).max(1024);

export const TlsSchema = z.object({
  port: PortSchema.default(8883),
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
});

export const WebSocketSchema = z.object({
  port: PortSchema.default(8083),
  path: z.string().startsWith('/').default('/mqtt'),
});

export const PersistenceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('level'),
    /** false: the library's own full scan of retained messages per SUBSCRIBE (kept for comparison benches). */
    retainedIndex: z.boolean().default(true),
    /** false: keep aedes' persistence lookup per PUBACK of a clean session (kept for comparison benches). */
    skipCleanSessionLookups: z.boolean().default(true),
    /**
     * true: persistent sessions' QoS 1 in-flight state through the batched outgoing journal (also
     * XS_BROKER_OUTGOING_JOURNAL); false: the library's own calls, kept for comparison benches.
     */
    outgoingJournal: z.boolean().default(true),
  }),
  z.object({
    kind: z.literal('redis'),
    /** Shared by aedes-persistence-redis and mqemitter-redis so several brokers can sit behind one load balancer. */
    url: z
      .string()
      .url()
      .refine((u) => /^rediss?:\/\//.test(u), 'must be a redis:// or rediss:// URL'),
  }),
]);

export const LimitsSchema = z.object({
  /** Bytes in one MQTT packet (fixed header excluded); bigger ones close the connection before buffering. */
  maxPacketSize: z.number().int().min(64).max(268_435_455).default(262_144),
  /** Inbound QoS 2 messages a client may hold unreleased (aedes `maxInflightInbound`). */
  maxInflight: z.number().int().min(1).max(65_535).default(100),
  /** Packets queued before CONNECT is authenticated (aedes `queueLimit`). */
  queueLimit: z.number().int().min(1).max(10_000).default(42),
  /** Longest keep-alive a client may ask for, seconds; 0 (no keep-alive) is refused. */
  keepaliveMaxSeconds: z.number().int().min(1).max(65_535).default(600),
  connectTimeoutMs: z.number().int().min(100).max(300_000).default(10_000),
  maxClientIdLength: z.number().int().min(23).max(256).default(128),
  /** Simultaneous connections of one service principal (devices always have one: the newest wins). */
  maxConnectionsPerService: z.number().int().min(1).max(100_000).default(64),
  /** scrypt password checks run at once; the rest queue (libuv's pool, shared with LevelDB, has 4 threads). */
  hashConcurrency: z.number().int().min(1).max(64).default(2),
  /** How many socket deliveries aedes runs at once. */
  concurrency: z.number().int().min(1).max(100_000).default(1000),
  /** false: clean sessions' QoS 1 deliveries through aedes' own per-subscriber path (for comparison benches). */
  directCleanDelivery: z.boolean().default(true),
});

export const AuthBackoffSchema = z.object({
  /** Failures from one address before it is locked out. */
  freeFailures: z.number().int().min(1).max(1000).default(5),
  /** First lock-out; each further failure doubles it. */
  baseMs: z.number().int().min(1).max(3_600_000).default(2_000),
  maxMs: z.number().int().min(1).max(86_400_000).default(900_000),
});

export const EnrollmentLimitSchema = z.object({
  /** Enrollment attempts one remote address may make in a burst (a fleet behind one NAT needs more). */
  burst: z.number().int().min(1).max(100_000).default(10),
  /** Attempts returned to the burst per minute. */
  perMinute: z.number().int().min(1).max(100_000).default(10),
});

export const BrokerConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  mqtt: z
    .object({
      port: PortSchema.default(1883),
      /** Send what one event-loop turn wrote to a connection in one socket write (write-coalescing.ts). */
      coalesceWrites: z.boolean().default(true),
    })
    .default({ port: 1883, coalesceWrites: true }),
  tls: TlsSchema.optional(),
  ws: WebSocketSchema.optional(),
  http: z.object({ port: PortSchema.default(8884) }).default({ port: 8884 }),
  dataDir: z.string().min(1).default('./data'),
  persistence: PersistenceSchema.default({
    kind: 'level',
    retainedIndex: true,
    skipCleanSessionLookups: true,
    outgoingJournal: true,
  }),
  limits: LimitsSchema.default(LimitsSchema.parse({})),
  authBackoff: AuthBackoffSchema.default(AuthBackoffSchema.parse({})),
  enrollmentLimit: EnrollmentLimitSchema.default(EnrollmentLimitSchema.parse({})),
  /** Milliseconds a frozen subscriber may block a delivery before it is disconnected. */
  drainTimeout: z.number().int().min(1000).max(600_000).default(30_000),
  /** The MQTT URL handed to devices at enrollment; defaults to the TLS or TCP listener. */
  publicUrl: z.string().url().optional(),
  /** How often the registry is polled for disabled/rotated devices to kick. */
  registryPollMs: z.number().int().min(50).max(60_000).default(500),
  /** Service passwords to set at start (otherwise the console/CLI manages them). */
  services: z
    .object({ collector: ServicePasswordSchema.optional(), console: ServicePasswordSchema.optional() })
    .default({}),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type BrokerConfig = z.infer<typeof BrokerConfigSchema>;
export type BrokerConfigInput = z.input<typeof BrokerConfigSchema>;

/** Hand-written sections of docs/protocol.md; the tables around them come from the schemas. */

export function topicsIntro(root: string, deviceTopics: string): string {
  return `## Topics and versioning

Every topic starts with \`${root}\` (\`TOPIC_ROOT\`). The contract version is part of the topic so a
v2 contract can run beside v1 while a fleet is upgraded; every payload also carries \`"v": 1\`.

Ids that form a topic level (device, group, station) are 1–64 characters of lower-case letters,
digits, \`.\`, \`_\` and \`-\`, never \`/\`, \`+\` or \`#\`. A device id is also the device's MQTT username.

No code outside \`device-profiles\` writes a topic string: the builders (\`topics.status(id)\`,
\`topics.command(id)\`, …, \`topicOf(kind, id)\`), the subscription \`filters\`, \`parseTopic\` and
\`topicMatches\` from \`@xaso/device-profiles/contract\` are the only way in, and a test fails the
build on a topic literal anywhere else. Builders throw on an invalid id; \`parseTopic\` returns
\`null\` for anything off-contract.

Device topics: ${deviceTopics}.`;
}

export function wireRules(): string {
  return `## Rules every message follows

- **Encoding and validation.** UTF-8 JSON. A receiver decodes with \`decodeMessage(topic, payload)\`,
  which validates the payload against the schema its topic carries and checks that its \`deviceId\`
  (\`stationId\` for alarms) is the one in the topic. Anything off-contract comes back as
  \`{ ok: false, error }\` with a readable reason, to be logged or dead-lettered, never a crash.
- **Time.** Every timestamp is an integer count of UTC epoch milliseconds. Only a schedule names a
  timezone (\`Asia/Ho_Chi_Minh\`), for its cron expressions.
- **Sequence numbers.** \`telemetry\` and \`event\` messages carry \`seq\`: per device and per topic,
  strictly increasing, persisted by the gateway with its store-and-forward queue so it survives a
  restart. A receiver keeps what it has stored per (device, topic): a \`seq\` already stored is a
  duplicate (QoS 1 redelivery, or a re-send after a reconnect) and is not stored twice; a jump
  forward is a gap, recorded rather than hidden. When the gateway had to thin its queue it says so
  (\`thinned\` in telemetry, a \`queue-thinned\` event).
- **QoS 1 everywhere**, so every message may arrive more than once: readings are deduplicated by
  \`seq\`, commands by \`id\`, schedules and configs by \`version\`.
- **Retained topics** (\`status\`, \`schedule\`, \`config\`): a device that (re)connects gets its current
  schedule and configuration at once, and a service that subscribes gets every device's last status.
- **Last will.** A device connects with a will on its own status topic (retained, QoS 1) whose
  payload is a status with \`"state": "offline"\`, \`"reason": "last-will"\` and \`ts\` = connection time.
  After connecting it publishes \`online\` with reason \`connect\`; before a clean disconnect it
  publishes \`offline\` with reason \`shutdown\`. The retained status is therefore always the latest truth.
- **Group fan-out.** The console sends one command to an area on \`topics.groupCommand(groupId)\`
  with \`"target": { "kind": "group", "groupId": … }\`. Every device whose configuration lists that
  group (\`groups\` in its config and its enrollment answer) subscribes to it, checks the signature
  and that it belongs to the group, plays it like its own command and answers on its own \`ack\` topic
  with the command's \`id\`: one command, one ack per device.
- **Acks.** A device answers every command, schedule version and config version: \`received\`, then
  \`playing\`/\`done\`, or \`refused\`/\`failed\` with a \`reason\`.

### Who may publish and subscribe (broker ACL)

| Client | Publishes | Subscribes |
| --- | --- | --- |
| device \`{deviceId}\` | only its own \`status\`, \`telemetry\`, \`event\`, \`ack\` (its last will included) | only its own \`cmd\`, \`schedule\`, \`config\`, and the \`cmd\` topic of each of its groups; exact topics, no wildcards |
| collector (service) | \`alarm/{stationId}\` | \`filters.allStatus\`, \`allTelemetry\`, \`allEvents\`, \`allAcks\` |
| console (service) | any device's \`cmd\`, \`schedule\`, \`config\`; any group's \`cmd\` | \`filters.allStatus\`, \`allTelemetry\`, \`allEvents\`, \`allAcks\`, \`allAlarms\` |

A device therefore cannot impersonate another device or issue commands, and a compromised
device sees nothing but its own instructions.`;
}

export interface SigningExample {
  publicKeyPem: string;
  canonical: string;
  sig: string;
}

export function signingSection(example: SigningExample): string {
  return `## Signing (console → device)

Everything the console sends to a device (\`cmd\`, \`groupCmd\`, \`schedule\`, \`config\`) is signed
with the console's Ed25519 key. A gateway learns the public key (SPKI PEM) when it enrolls and acts
on nothing that does not verify. Signed messages carry:

- \`id\`: a UUID; a gateway remembers ids at least until they expire and refuses one it has seen
  (replay protection),
- \`issuedAt\` and \`expiresAt\`: after \`expiresAt\` the gateway refuses the message, so a captured
  command cannot be replayed later either,
- \`issuer\`: who issued it, for the audit log,
- \`sig\`: base64 Ed25519 signature over the **canonical JSON of every other field**.

Canonical JSON (\`canonicalJson\` in \`contract/canonical-json.ts\`): object keys sorted by UTF-16
code unit, no whitespace, members whose value is \`undefined\` left out, strings and numbers written
as \`JSON.stringify\` writes them, \`NaN\`/\`Infinity\` refused; arrays keep their order.
\`signMessage(unsigned, privateKey)\` and \`verifyMessage(message, publicKey)\` in
\`@xaso/device-profiles/signing\` implement it.

Sign exactly what you publish and verify exactly what you received: schemas fill defaults on
parse (a \`play\` command without \`repeat\` reads as \`repeat: 1\`), so a gateway verifies
\`decoded.raw\` (the JSON as received, returned by \`decodeMessage\`), not \`decoded.message\`.

A refused message is reported as a \`refused\` event with its reason: \`unsigned\`, \`bad-signature\`,
\`expired\`, \`replayed\`, \`wrong-device\` (target or \`deviceId\` is not this device or one of its
groups), \`stale-version\` (a schedule or config version not above the one running) or \`malformed\`.

Worked example, with the public RFC 8032 test key (section 7.1, TEST 1; never deploy it):

\`\`\`text
${example.publicKeyPem}
\`\`\`

The signed bytes of the \`groupCmd\` example below:

\`\`\`text
${example.canonical}
\`\`\`

and its signature: \`${example.sig}\``;
}

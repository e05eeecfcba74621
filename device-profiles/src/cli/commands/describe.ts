import type { Profile } from '../../profile/schema.js';

type Transport = Profile['transport'];

const PARITY_LETTER = { none: 'N', even: 'E', odd: 'O' } as const;

/** `rtu 9600 8N1` or `tcp :502`, the way technicians write serial settings. */
export function transportSummary(transport: Transport): string {
  if (transport.type === 'tcp') return `tcp :${transport.port}`;
  return `rtu ${transport.baudRate} ${transport.dataBits}${PARITY_LETTER[transport.parity]}${transport.stopBits}`;
}

/** `30 (0x001E)`: decimal as in most datasheets, hex as in the rest. */
export function addressText(address: number): string {
  return `${address} (0x${address.toString(16).toUpperCase().padStart(4, '0')})`;
}

import type { SimulatedDevice } from '../device.js';
import { ExceptionCode } from './exception.js';
import { answerPdu, exceptionPdu } from './pdu.js';

/** What the transport sends back for one request. */
export type Reply = { kind: 'silent'; reason: string } | { kind: 'reply'; pdu: Buffer; garble: boolean };

/** Requests to unit ids nobody answers: RTU slaves stay silent, a TCP gateway answers exception 11. */
export type UnknownUnitPolicy = 'silent' | 'gateway-exception';

/** Broadcast address: every slave executes writes, none replies. */
const BROADCAST = 0;

/** Several simulated devices behind one line or one TCP port, told apart by unit id. */
export class DeviceBus {
  private readonly byUnit = new Map<number, SimulatedDevice>();

  constructor(
    devices: readonly SimulatedDevice[],
    private readonly unknownUnit: UnknownUnitPolicy,
  ) {
    for (const device of devices) {
      const other = this.byUnit.get(device.unitId);
      if (other)
        throw new Error(
          `unit id ${device.unitId} is used twice (${other.profile.name} and ${device.profile.name})`,
        );
      if (device.unitId === BROADCAST)
        throw new Error(`${device.profile.name}: unit id 0 is the broadcast address`);
      this.byUnit.set(device.unitId, device);
    }
  }

  get devices(): SimulatedDevice[] {
    return [...this.byUnit.values()];
  }

  /** Applies frame faults, then lets the addressed device answer. */
  answer(unitId: number, pdu: Buffer): Reply {
    const fc = pdu[0] ?? 0;
    if (unitId === BROADCAST) {
      for (const device of this.byUnit.values()) answerPdu(device, pdu);
      return { kind: 'silent', reason: 'broadcast' };
    }
    const device = this.byUnit.get(unitId);
    if (!device) {
      if (this.unknownUnit === 'silent')
        return { kind: 'silent', reason: `unit ${unitId} is not on this line` };
      return {
        kind: 'reply',
        pdu: exceptionPdu(fc, ExceptionCode.GatewayTargetFailedToRespond),
        garble: false,
      };
    }
    const outcome = device.frameOutcome();
    switch (outcome.kind) {
      case 'timeout':
        return { kind: 'silent', reason: 'timeout fault' };
      case 'exception':
        return { kind: 'reply', pdu: exceptionPdu(fc, outcome.code), garble: false };
      case 'garble':
        return { kind: 'reply', pdu: answerPdu(device, pdu), garble: true };
      case 'answer':
        return { kind: 'reply', pdu: answerPdu(device, pdu), garble: false };
    }
  }
}

/** Modbus exception codes a slave answers with. */
export const ExceptionCode = {
  IllegalFunction: 1,
  IllegalDataAddress: 2,
  IllegalDataValue: 3,
  SlaveDeviceFailure: 4,
  GatewayTargetFailedToRespond: 11,
} as const;

/** Thrown by the register bank and device; the transport turns it into an exception reply. */
export class ModbusException extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ModbusException';
  }
}

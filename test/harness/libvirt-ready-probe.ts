import { connect } from 'node:net';

// Values from libvirt's remote_protocol.x / virnetprotocol.x (see libvirt-rpc.md §1.1).
const REMOTE_PROGRAM = 0x20008086;
const REMOTE_PROC_AUTH_LIST = 66;
const TYPE_REPLY = 1;
const STATUS_OK = 0;
const HEADER_BYTES = 28;

/**
 * One real RPC round trip (AUTH_LIST) on a libvirt socket. libvirtd creates its socket
 * before its drivers are initialised but answers nothing until they are, so a reply —
 * unlike a bare connect() — proves the daemon serves calls. Resolves with the
 * offered auth types ([0] = none); rejects on any failure.
 */
export function probeLibvirtSocket(socketPath: string, timeoutMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const chunks: Buffer[] = [];
    const fail = (message: string): void => {
      socket.destroy();
      reject(new Error(`libvirt probe on ${socketPath}: ${message}`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no reply within ${timeoutMs} ms`));
    socket.on('error', (error) => fail(error.message));
    socket.on('connect', () => {
      const call = Buffer.alloc(HEADER_BYTES);
      call.writeUInt32BE(HEADER_BYTES, 0);
      call.writeUInt32BE(REMOTE_PROGRAM, 4);
      call.writeUInt32BE(1, 8);
      call.writeInt32BE(REMOTE_PROC_AUTH_LIST, 12);
      call.writeInt32BE(0, 16);
      call.writeUInt32BE(1, 20);
      call.writeInt32BE(STATUS_OK, 24);
      socket.write(call);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const data = Buffer.concat(chunks);
      if (data.length < 4) return;
      const length = data.readUInt32BE(0);
      if (length < HEADER_BYTES || length > 1024) return fail(`bad reply length ${length}`);
      if (data.length < length) return;
      const type = data.readInt32BE(16);
      const status = data.readInt32BE(24);
      if (data.readUInt32BE(4) !== REMOTE_PROGRAM || type !== TYPE_REPLY || status !== STATUS_OK) {
        return fail(`unexpected reply type ${type} status ${status}`);
      }
      const count = data.readUInt32BE(HEADER_BYTES);
      const auth: number[] = [];
      for (let i = 0; i < count && HEADER_BYTES + 8 + i * 4 <= length; i++) {
        auth.push(data.readInt32BE(HEADER_BYTES + 4 + i * 4));
      }
      socket.end();
      resolve(auth);
    });
    socket.on('close', () => fail('connection closed before a reply'));
  });
}

import net from 'node:net';
import type { ReplayCache } from './replay-cache';

/**
 * The replay cache shared by several instances (docs/security.md): one Redis `SET key 1 NX PXAT exp`
 * per token, atomic, expiring with the token. A minimal RESP client on node:net, so no dependency is
 * added; commands are pipelined on one connection and answered in order. Fails closed: when Redis is
 * unreachable or slow the token is refused (401) rather than accepted unchecked.
 */
interface Pending {
  resolve(value: string | null): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class RedisReplayCache implements ReplayCache {
  private socket: net.Socket | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending: Pending[] = [];
  private buffer = '';
  private readonly url: URL;

  constructor(
    redisUrl: string,
    private readonly timeoutMs = 500,
    private readonly prefix = 'imaging-cds:jti:',
  ) {
    this.url = new URL(redisUrl);
    if (this.url.protocol !== 'redis:') throw new Error('replay cache URL must be redis://host:port[/db]');
  }

  get size(): number {
    return -1; // not known locally
  }

  async remember(id: string, expiresAtMs: number): Promise<boolean> {
    const reply = await this.command(['SET', `${this.prefix}${id}`, '1', 'NX', 'PXAT', String(Math.ceil(expiresAtMs))]);
    return reply === 'OK';
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
    this.ready = undefined;
  }

  private async command(args: readonly string[]): Promise<string | null> {
    await this.connect();
    return this.send(args);
  }

  private send(args: readonly string[]): Promise<string | null> {
    const socket = this.socket;
    if (socket === undefined) return Promise.reject(new Error('redis not connected'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A late answer would be matched to the wrong command: drop the connection instead.
        this.fail(new Error('redis timed out'));
      }, this.timeoutMs);
      this.pending.push({ resolve, reject, timer });
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
  }

  private connect(): Promise<void> {
    if (this.ready !== undefined) return this.ready;
    const socket = net.connect({ host: this.url.hostname, port: Number(this.url.port || 6379) });
    socket.setNoDelay(true);
    socket.unref();
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk.toString('utf8')));
    // Only the current connection may fail the pending commands (a stale socket's late close must not).
    socket.on('error', (e) => {
      if (this.socket === socket) this.fail(e);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.fail(new Error('redis connection closed'));
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis connect timed out')), this.timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    }).then(async () => {
      const password = decodeURIComponent(this.url.password);
      if (password !== '') await this.send(this.url.username !== '' ? ['AUTH', decodeURIComponent(this.url.username), password] : ['AUTH', password]);
      const db = this.url.pathname.replace(/^\//, '');
      if (db !== '') await this.send(['SELECT', db]);
    });
    this.ready.catch(() => this.fail(new Error('redis unavailable')));
    return this.ready;
  }

  private fail(error: Error): void {
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.buffer = '';
    this.socket?.destroy();
    this.socket = undefined;
    this.ready = undefined;
  }

  /** Parses the replies this client asks for: simple strings, errors, integers and (null) bulk strings. */
  private onData(text: string): void {
    this.buffer += text;
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end < 0) return;
      const type = this.buffer[0];
      const line = this.buffer.slice(1, end);
      let value: string | null;
      let consumed = end + 2;
      let error: Error | undefined;
      if (type === '+' || type === ':') value = line;
      else if (type === '-') {
        value = null;
        error = new Error(`redis: ${line.split(' ')[0] ?? 'error'}`);
      } else if (type === '$') {
        const length = Number(line);
        if (length < 0) value = null;
        else {
          if (Buffer.byteLength(this.buffer) < consumed + length + 2) return;
          value = this.buffer.slice(consumed, consumed + length);
          consumed += length + 2;
        }
      } else {
        this.fail(new Error('redis: unexpected reply'));
        return;
      }
      this.buffer = this.buffer.slice(consumed);
      const p = this.pending.shift();
      if (p === undefined) continue;
      clearTimeout(p.timer);
      if (error !== undefined) p.reject(error);
      else p.resolve(value);
    }
  }
}

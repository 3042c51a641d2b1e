import { readFileSync } from 'node:fs';

/**
 * The most a server can have handed to a loopback connection whose client read only `readBytes` before closing:
 * the client's read plus what the kernel's socket buffers (receive and send, at their autotuning maximum) held,
 * plus a chunk in flight. A slow client on a loaded machine lets the buffers fill, so they count in full.
 */
export function sentBytesBound(readBytes: number): number {
  return readBytes + socketBufferMax('tcp_rmem') + socketBufferMax('tcp_wmem') + 2 ** 20;
}

/** The largest buffer the kernel gives a TCP socket in one direction (the third field of net.ipv4.tcp_[rw]mem). */
function socketBufferMax(name: 'tcp_rmem' | 'tcp_wmem'): number {
  return Number(readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim().split(/\s+/)[2]);
}

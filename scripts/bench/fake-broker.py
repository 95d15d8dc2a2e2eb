#!/usr/bin/env python3
"""Fake MQTT 3.1.1 broker for checking that MqttLoad itself is not the bottleneck (loopback only).

  python3 scripts/bench/fake-broker.py sink  PORT   # CONNACK/SUBACK, then discard everything:
      measures how fast the generator can publish (look at in_msgs_per_s of a paced shape with a huge --rate)
  python3 scripts/bench/fake-broker.py blast PORT   # CONNACK/SUBACK, then stream QoS0 PUBLISHes to each
      subscriber (phase flag = measured, timestamp 0): measures how fast the generator can receive
      (msgs_per_s; latency figures are meaningless in this mode)

Example: python3 scripts/bench/fake-broker.py sink 21999 &
         java -cp "$CP" io.linkgate.bench.MqttLoad --port 21999 --shapes p2p-qos0-10k --rate 1000000 --duration 5
The blast is bounded (about 12 M messages per subscriber). Stop the process when done.
"""
import asyncio
import sys

TOPIC = b"bench/fake"
PAYLOAD = b"\x00" * 16 + b"\x01" + b"\x00" * 47  # ts=0, seq=0, flag=1 (measured), 64 bytes
BODY = len(TOPIC).to_bytes(2, "big") + TOPIC + PAYLOAD
PUBLISH = b"\x30" + bytes([len(BODY)]) + BODY
CHUNK = PUBLISH * 4096


def split_packet(buf):
    """Returns (type, packet bytes, header length, rest) or None if buf holds no complete packet."""
    if len(buf) < 2:
        return None
    mult, length, i = 1, 0, 1
    while True:
        if i >= len(buf):
            return None
        b = buf[i]
        length += (b & 127) * mult
        mult *= 128
        i += 1
        if b < 128:
            break
    if len(buf) < i + length:
        return None
    return buf[0] >> 4, buf[: i + length], i, buf[i + length:]


async def handle(reader, writer, mode):
    buf = b""
    try:
        while True:
            data = await reader.read(1 << 16)
            if not data:
                return
            buf += data
            while True:
                p = split_packet(buf)
                if p is None:
                    break
                ptype, pkt, hdr, buf = p
                if ptype == 1:  # CONNECT
                    writer.write(b"\x20\x02\x00\x00")
                    await writer.drain()
                elif ptype == 8:  # SUBSCRIBE
                    writer.write(b"\x90\x03" + pkt[hdr:hdr + 2] + b"\x00")
                    await writer.drain()
                    if mode == "blast":
                        for _ in range(3000):
                            writer.write(CHUNK)
                            await writer.drain()
                        return
                else:  # PUBLISH etc.: from here on just discard
                    while await reader.read(1 << 20):
                        pass
                    return
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("sink", "blast"):
        print(__doc__)
        sys.exit(2)
    mode, port = sys.argv[1], int(sys.argv[2])
    server = await asyncio.start_server(lambda r, w: handle(r, w, mode), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())

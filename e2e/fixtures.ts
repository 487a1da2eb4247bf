/** Mesh files for e2e tests, generated here so nothing binary is committed; and the no-foreign-request check. */
import { type test as base, expect } from '@playwright/test';

/**
 * Records every request of each test in the file and fails the test if one left the studio's origin
 * (data: and blob: URLs never touch a network).
 */
export function forbidForeignRequests(test: typeof base, options: { expectSome?: boolean } = {}): void {
  let requests: string[] = [];
  test.beforeEach(async ({ context }) => {
    requests = [];
    context.on('request', (request) => requests.push(request.url()));
  });
  test.afterEach(async ({ baseURL }) => {
    const origin = new URL(baseURL ?? '').origin;
    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    expect(foreign, 'requests to another origin').toEqual([]);
    if (options.expectSome) expect(requests.length).toBeGreaterThan(0);
  });
}

/** Binary STL of an axis-aligned box with the given size (12 triangles). */
export function boxStl(size: [number, number, number] = [2, 2, 2]): Buffer {
  const [sx, sy, sz] = size.map((s) => s / 2);
  const v = (i: number): [number, number, number] => [i & 1 ? sx : -sx, i & 2 ? sy : -sy, i & 4 ? sz : -sz];
  const faces = [
    [0, 2, 3, 1],
    [4, 5, 7, 6],
    [0, 1, 5, 4],
    [2, 6, 7, 3],
    [0, 4, 6, 2],
    [1, 3, 7, 5],
  ];
  const tris = faces.flatMap(([a, b, c, d]) => [
    [a, b, c],
    [a, c, d],
  ]);
  const buffer = Buffer.alloc(84 + 50 * tris.length);
  buffer.writeUInt32LE(tris.length, 80);
  tris.forEach((tri, t) => {
    const at = 84 + 50 * t + 12;
    tri.forEach((vi, k) => {
      v(vi).forEach((c, axis) => {
        buffer.writeFloatLE(c, at + 12 * k + 4 * axis);
      });
    });
  });
  return buffer;
}

/** A file that claims to be a GLB but is cut off after its header. */
export function truncatedGlb(): Buffer {
  const header = Buffer.alloc(20);
  header.write('glTF', 0, 'ascii');
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(4096, 8);
  header.writeUInt32LE(2000, 12);
  header.write('JSON', 16, 'ascii');
  return header;
}

// Runs graphs of a pack through onnxruntime-node (CPU) for training/scripts/ort_node_parity.py, where
// Python's onnxruntime is not installed. Reads <dir>/jobs.json: [{graph, inputs: {name: {shape,
// file}}, output: {name, file}}], raw little-endian float32 files; writes each output the same way.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';

const [pack, dir] = process.argv.slice(2);
const jobs = JSON.parse(readFileSync(join(dir, 'jobs.json'), 'utf8'));
for (const job of jobs) {
  const session = await ort.InferenceSession.create(join(pack, `${job.graph}.onnx`));
  const feeds = {};
  for (const [name, spec] of Object.entries(job.inputs)) {
    const buf = readFileSync(join(dir, spec.file));
    const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    feeds[name] = new ort.Tensor('float32', data, spec.shape);
  }
  const start = performance.now();
  const out = await session.run(feeds);
  const ms = performance.now() - start;
  const v = out[job.output.name];
  writeFileSync(join(dir, job.output.file), Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength));
  console.log(`${job.graph}: [${v.dims.join(', ')}] in ${ms.toFixed(0)} ms`);
  await session.release();
}

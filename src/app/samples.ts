import type { InputFile } from '../engine/engine-api';

/** public/samples/index.json, written by scripts/make-samples.ts. */
export interface SampleEntry {
  name: string;
  file: string;
  sideFiles: string[];
  format: string;
  triangles: number;
  description: string;
}

const base = `${import.meta.env.BASE_URL}samples/`;

export async function listSamples(): Promise<SampleEntry[]> {
  const response = await fetch(`${base}index.json`);
  if (!response.ok) throw new Error(`samples/index.json: HTTP ${response.status}`);
  return (await response.json()) as SampleEntry[];
}

export async function fetchSample(entry: SampleEntry): Promise<InputFile[]> {
  return Promise.all(
    [entry.file, ...entry.sideFiles].map(async (name) => {
      const response = await fetch(base + name);
      if (!response.ok) throw new Error(`sample ${name}: HTTP ${response.status}`);
      return { name, bytes: await response.arrayBuffer() };
    }),
  );
}

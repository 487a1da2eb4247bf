/** Test support: a CliIO that keeps what a command printed. */
import type { CliIO } from './cli-io';

export function captureIo(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}

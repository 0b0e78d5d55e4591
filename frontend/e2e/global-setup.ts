// Starts the built-in sink when the caller did not pass E2E_SINK_URL. Workers inherit
// the environment set here; the returned function stops the sink after the run.

import { startSink } from "./sink";

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.E2E_SINK_URL) {
    return undefined;
  }
  const sink = await startSink(Number(process.env.E2E_SINK_PORT ?? 0));
  process.env.E2E_SINK_URL = sink.url;
  process.env.E2E_SINK_CONTROL_URL = sink.controlUrl;
  return sink.close;
}

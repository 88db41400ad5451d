// Measures sending with the official @novu/api SDK against a running
// novu-emulator (started by sendbench.sh with Novu's free-plan limits and
// 30 ms latency): (a) trigger one event per request, one after the other,
// as Novu's documentation shows, and (b) triggerBulk with 100 events a
// call, one call after the other. The SDK runs with its defaults, so a 429
// is retried after the Retry-After the emulator sends.
//
// Environment: NOVU_API_URL, NOVU_SECRET_KEY (Development), SENDBENCH_EVENTS
// (events per variant, default 1000), SENDBENCH_REFILL_SECONDS (pause
// between the variants so the second starts with a full trigger bucket,
// default 7: the free plan's bucket of 330 refills at 60 a second).
//
// Prints one tab-separated line per variant:
// label, events, wall seconds, requests, 429s, events per request.
import { Novu } from "@novu/api";

const serverURL = process.env.NOVU_API_URL;
const secretKey = process.env.NOVU_SECRET_KEY;
if (!serverURL || !secretKey) {
  console.error("sendbench: NOVU_API_URL and NOVU_SECRET_KEY must be set");
  process.exit(1);
}
const events = Number(process.env.SENDBENCH_EVENTS ?? 1000);
if (!Number.isInteger(events) || events < 1) {
  console.error(`sendbench: SENDBENCH_EVENTS=${process.env.SENDBENCH_EVENTS} is not a positive whole number`);
  process.exit(1);
}
const refillSeconds = Number(process.env.SENDBENCH_REFILL_SECONDS ?? 7);

const novu = new Novu({ secretKey, serverURL });
const workflowId = "invoice-paid";

// The workflow, payload schema and payloads of notify's Go benchmark
// (notify/bench_test.go), so both sides pass the same validation.
await novu.workflows.create({
  workflowId,
  name: workflowId,
  active: true,
  validatePayload: true,
  severity: "low",
  payloadSchema: {
    type: "object",
    additionalProperties: false,
    required: ["number", "amount", "email", "lines"],
    properties: {
      number: { type: "string", minLength: 1 },
      amount: { type: "number", minimum: 0 },
      email: { type: "string", format: "email" },
      lines: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["sku", "qty"],
          properties: { sku: { type: "string" }, qty: { type: "integer", minimum: 1 } },
        },
      },
    },
  },
  steps: [{ stepId: "notice", name: "Notice", type: "in_app", controlValues: { body: "Invoice {{ payload.number }}" } }],
});

const event = (i) => ({
  workflowId,
  to: `u${i}`,
  payload: { number: `INV-${i}`, amount: 10, email: "a@example.com", lines: [{ sku: "s", qty: 1 }] },
});

// counts sums the emulator's trigger counters (single and bulk) in Development.
async function counts() {
  const res = await fetch(`${serverURL}/__emulator/counts`);
  if (!res.ok) throw new Error(`/__emulator/counts answered ${res.status}`);
  const { counts } = await res.json();
  let requests = 0, tooMany = 0;
  for (const c of counts) {
    if (c.Env !== "Development" || (c.Op !== "trigger" && c.Op !== "bulk")) continue;
    requests += c.Requests;
    tooMany += c.Status?.["429"] ?? 0;
  }
  return { requests, tooMany };
}

function expectProcessed(r, i) {
  if (r.status !== "processed") {
    throw new Error(`event ${i}: Novu answered ${JSON.stringify(r)}, want status processed`);
  }
}

async function measure(label, perRequest, send) {
  const before = await counts();
  const start = performance.now();
  await send();
  const wall = (performance.now() - start) / 1000;
  const after = await counts();
  console.log([label, events, wall.toFixed(3), after.requests - before.requests, after.tooMany - before.tooMany, perRequest].join("\t"));
}

await measure("@novu/api trigger, one by one, in sequence (the documented way)", 1, async () => {
  for (let i = 0; i < events; i++) {
    const { result } = await novu.trigger(event(i));
    expectProcessed(result, i);
  }
});

await new Promise((resolve) => setTimeout(resolve, refillSeconds * 1000));

await measure("@novu/api triggerBulk of 100, in sequence", 100, async () => {
  for (let from = 0; from < events; from += 100) {
    const chunk = [];
    for (let i = from; i < Math.min(events, from + 100); i++) chunk.push(event(i));
    const { result } = await novu.triggerBulk({ events: chunk });
    if (result.length !== chunk.length) {
      throw new Error(`triggerBulk of ${chunk.length} answered ${result.length} results`);
    }
    result.forEach((r, k) => expectProcessed(r, from + k));
  }
});

// Runs Novu's "Managing workflows" recipe (docs.novu.co
// /guides/recipes/managing-workflows) with the official @novu/api SDK
// against a running novu-emulator, then reads every environment back
// through the SDK. Any SDK validation error, or a wrong final state, fails.
//
// Environment: NOVU_API_URL (the emulator's base URL) and one secret key per
// environment: NOVU_SECRET_KEY (Development), NOVU_SECRET_KEY_STAGING,
// NOVU_SECRET_KEY_PRODUCTION.
import { Novu } from "@novu/api";

const serverURL = process.env.NOVU_API_URL;
const keys = {
  Development: process.env.NOVU_SECRET_KEY,
  Staging: process.env.NOVU_SECRET_KEY_STAGING,
  Production: process.env.NOVU_SECRET_KEY_PRODUCTION,
};
for (const [name, key] of Object.entries({ NOVU_API_URL: serverURL, ...keys })) {
  if (!key) {
    console.error(`interop: ${name} is not set`);
    process.exit(1);
  }
}

// ---- The recipe, as the document writes it. ------------------------------
// Only the placeholders are filled in: the document leaves preferences,
// payloadSchema and steps as /* ... */ and says to return the definition
// from an in-repo registry (workflowDefinitions below). serverURL points the
// SDK at the emulator.

const novu = new Novu({
  secretKey: process.env.NOVU_SECRET_KEY,
  serverURL,
});

/** Every workflowId you manage as code. */
const MANAGED_WORKFLOW_IDS = [
  "payout-initiated",
  "weekly-digest",
  "order-shipped",
];

const channels = (enabled) => ({
  in_app: { enabled: true },
  email: { enabled: true },
  sms: { enabled },
  chat: { enabled },
  push: { enabled },
});

const workflowDefinitions = {
  "payout-initiated": {
    name: "Payout Initiated",
    description: "This workflow is used to initiate a payout",
    tags: ["payout"],
    preferences: {
      user: null,
      workflow: { all: { enabled: true, readOnly: true }, channels: channels(false) },
    },
    origin: "external",
    validatePayload: false,
    payloadSchema: {
      type: "object",
      required: ["amount"],
      properties: { amount: { type: "number" } },
    },
    steps: [
      {
        stepId: "notice",
        name: "Notice",
        type: "in_app",
        controlValues: { body: "{{payload.amount}} is on its way, {{subscriber.firstName}}." },
      },
    ],
  },
  "weekly-digest": {
    name: "Weekly digest",
    description: "Collects a week of updates into one email",
    tags: ["digest"],
    preferences: {
      workflow: { all: { enabled: true, readOnly: false }, channels: channels(false) },
    },
    origin: "external",
    validatePayload: false,
    payloadSchema: { type: "object", properties: { title: { type: "string" } } },
    steps: [
      {
        stepId: "collect",
        name: "Collect",
        type: "digest",
        controlValues: { type: "regular", amount: 7, unit: "days" },
      },
      {
        stepId: "summary",
        name: "Summary",
        type: "email",
        controlValues: {
          subject: "{{steps.collect.eventCount}} updates",
          editorType: "html",
          body: "<ul>{% for e in steps.collect.events %}<li>{{e.payload.title}}</li>{% endfor %}</ul>",
        },
      },
    ],
  },
  "order-shipped": {
    name: "Order shipped",
    description: "Tells the customer the order is on its way",
    tags: ["orders"],
    preferences: {
      workflow: { all: { enabled: true, readOnly: false }, channels: channels(true) },
    },
    origin: "external",
    validatePayload: false,
    payloadSchema: {
      type: "object",
      required: ["orderId"],
      properties: { orderId: { type: "string" } },
    },
    steps: [
      {
        stepId: "wait",
        name: "Wait",
        type: "delay",
        controlValues: { type: "regular", amount: 2, unit: "hours" },
      },
      {
        stepId: "sms",
        name: "SMS",
        type: "sms",
        controlValues: { body: "Order {{payload.orderId}} shipped" },
      },
    ],
  },
};

/** Build the definition for one workflowId from your in-repo registry. */
function buildWorkflowDefinition(workflowId) {
  return workflowDefinitions[workflowId];
}

export async function createOrUpdateWorkflowInDevelopment(workflowId) {
  const definition = buildWorkflowDefinition(workflowId);

  try {
    return await novu.workflows.update(definition, workflowId);
  } catch (error) {
    const statusCode =
      error && typeof error === "object" && "statusCode" in error
        ? error.statusCode
        : undefined;

    if (statusCode === 404) {
      return await novu.workflows.create({
        ...definition,
        workflowId,
      });
    }

    throw error;
  }
}

export async function createOrUpdateAllWorkflowsInDevelopment() {
  for (const workflowId of MANAGED_WORKFLOW_IDS) {
    await createOrUpdateWorkflowInDevelopment(workflowId);
  }
}

// ---- Driver and checks. -----------------------------------------------------

const failures = [];
// JSON with sorted keys: the emulator, like Novu, does not keep key order.
const canonical = (v) =>
  JSON.stringify(v, (_, x) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
const check = (ok, message) => {
  if (!ok) failures.push(message);
};

// Phase 1 twice: the first run creates (update answers 404), the second
// updates what the first created.
await createOrUpdateAllWorkflowsInDevelopment();
await createOrUpdateAllWorkflowsInDevelopment();

// Phase 2: sync each workflowId to Staging, then Production, by _id.
const { result: environments } = await novu.environments.list();
const envByName = Object.fromEntries(environments.map((e) => [e.name, e]));
for (const target of ["Staging", "Production"]) {
  check(envByName[target], `environments list lacks ${target}`);
  for (const workflowId of MANAGED_WORKFLOW_IDS) {
    const { result } = await novu.workflows.sync({ targetEnvironmentId: envByName[target].id }, workflowId);
    check(result.workflowId === workflowId, `sync of ${workflowId} to ${target} answered ${result.workflowId}`);
  }
}

// Read back through the SDK with each environment's own key.
const dbIds = {};
for (const [envName, secretKey] of Object.entries(keys)) {
  const client = new Novu({ secretKey, serverURL });
  const { result: list } = await client.workflows.list({});
  const listed = list.workflows.map((w) => w.workflowId).sort();
  check(
    JSON.stringify(listed) === JSON.stringify([...MANAGED_WORKFLOW_IDS].sort()),
    `${envName}: workflows ${JSON.stringify(listed)}, want exactly ${JSON.stringify(MANAGED_WORKFLOW_IDS)}`,
  );
  for (const workflowId of MANAGED_WORKFLOW_IDS) {
    const want = workflowDefinitions[workflowId];
    const { result: w } = await client.workflows.get(workflowId);
    const where = `${envName} ${workflowId}`;
    check(w.workflowId === workflowId, `${where}: workflowId ${w.workflowId}`);
    check(w.name === want.name, `${where}: name ${w.name}, want ${want.name}`);
    check(w.origin === "novu-cloud", `${where}: origin ${w.origin}, want novu-cloud`);
    // The recipe sends no "active"; the SDK fills in the document's default,
    // false, so Novu stores inactive workflows (docs/novu-api.md §0 trap 5).
    check(w.active === false && w.status === "INACTIVE", `${where}: active ${w.active} status ${w.status}, want false and INACTIVE`);
    check(
      JSON.stringify(w.steps.map((s) => s.stepId)) === JSON.stringify(want.steps.map((s) => s.stepId)),
      `${where}: steps ${JSON.stringify(w.steps.map((s) => s.stepId))}`,
    );
    for (const [i, step] of want.steps.entries()) {
      const got = w.steps[i]?.controlValues ?? {};
      for (const [k, v] of Object.entries(step.controlValues)) {
        check(canonical(got[k]) === canonical(v), `${where} step ${step.stepId}: ${k} = ${JSON.stringify(got[k])}`);
      }
    }
    check(
      canonical(w.payloadSchema) === canonical(want.payloadSchema),
      `${where}: payloadSchema ${JSON.stringify(w.payloadSchema)}`,
    );
    check(!Object.values(dbIds).includes(w.id), `${where}: _id ${w.id} shared with another environment`);
    dbIds[where] = w.id;
  }
}

// The event API through the SDK, on a workflow the recipe created: the
// emulator must answer in shapes the SDK parses. The recipe's workflows are
// inactive (see the read-back above), so Novu answers trigger_not_active
// and has nothing to cancel.
{
  const answered = (r) => r.acknowledged === true && r.status === "trigger_not_active";
  const { result: one } = await novu.trigger({
    workflowId: "weekly-digest",
    to: "interop-subscriber",
    payload: { title: "Invoice paid", url: "https://example.com", projectName: "interop" },
    transactionId: "interop-tx-1",
  });
  check(answered(one) && one.transactionId === "interop-tx-1", `trigger answered ${JSON.stringify(one)}`);
  const { result: bulk } = await novu.triggerBulk({
    events: [
      { workflowId: "weekly-digest", to: [{ subscriberId: "a" }, "b"], payload: { title: "t", url: "u", projectName: "p" } },
      { workflowId: "not-a-workflow", to: "c", payload: {} },
    ],
  });
  check(bulk.length === 2 && answered(bulk[0]) && bulk[1].status === "error" && bulk[1].error[0] === "workflow_not_found",
    `triggerBulk answered ${JSON.stringify(bulk)}`);
  const { result: all } = await novu.triggerBroadcast({
    name: "weekly-digest",
    payload: { title: "t", url: "u", projectName: "p" },
  });
  check(answered(all), `triggerBroadcast answered ${JSON.stringify(all)}`);
  const { result: cancelled } = await novu.cancel("interop-tx-1");
  check(cancelled === false, `cancel answered ${JSON.stringify(cancelled)}`);
}

if (failures.length > 0) {
  console.error(`interop: ${failures.length} check(s) failed:`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`interop: @novu/api ran the recipe for ${MANAGED_WORKFLOW_IDS.length} workflows; Development, Staging and Production read back correctly; trigger, triggerBulk, triggerBroadcast and cancel parsed`);

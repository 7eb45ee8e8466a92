// @aws-sdk/client-cognito-sync (v3): BulkPublish, then GetBulkPublishDetails
// polled until the publish ends, while the test advances the fake clock.
//
// Usage: node bulk_publish_v3.mjs ENDPOINT POOL_ID
// Prints "published" once BulkPublish answered, then one JSON line.
import {
  BulkPublishCommand,
  CognitoSyncClient,
  GetBulkPublishDetailsCommand,
} from "@aws-sdk/client-cognito-sync";

const [endpoint, poolId] = process.argv.slice(2);
const client = new CognitoSyncClient({
  endpoint,
  region: poolId.split(":")[0],
  credentials: { accessKeyId: "AKIANODEV3CLIENT0000", secretAccessKey: "secret" },
  maxAttempts: 1,
});

async function errorOf(promise) {
  try {
    await promise;
    return null;
  } catch (error) {
    return {
      name: error.name,
      status: error.$metadata.httpStatusCode,
      requestId: error.$metadata.requestId,
      message: error.message,
    };
  }
}

const published = await client.send(new BulkPublishCommand({ IdentityPoolId: poolId }));
console.log("published");
const duplicate = await errorOf(client.send(new BulkPublishCommand({ IdentityPoolId: poolId })));

const statuses = [];
let details;
for (let poll = 0; poll < 600; poll++) {
  details = await client.send(new GetBulkPublishDetailsCommand({ IdentityPoolId: poolId }));
  statuses.push(details.BulkPublishStatus);
  if (details.BulkPublishStatus !== "IN_PROGRESS") break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const again = await errorOf(client.send(new BulkPublishCommand({ IdentityPoolId: poolId })));
const invalid = await errorOf(
  client.send(new GetBulkPublishDetailsCommand({ IdentityPoolId: "not-a-pool" })),
);

console.log(
  JSON.stringify({
    published: published.IdentityPoolId,
    duplicate,
    statuses,
    start: details.BulkPublishStartTime.toISOString(),
    complete: details.BulkPublishCompleteTime.toISOString(),
    status: details.BulkPublishStatus,
    again,
    invalid,
  }),
);

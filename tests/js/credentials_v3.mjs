// @aws-sdk/client-cognito-sync (v3) signed with Cognito Identity credentials
// the fake issued: its session tokens, signatures and expiration as the live
// service treats them.
//
// Usage: node credentials_v3.mjs ENDPOINT POOL_ID ACCESS_KEY SECRET SESSION_TOKEN IDENTITY_ID MODE
// MODE "sync": a push spends its token; a wrong secret is refused.
// MODE "expired": one call, made after the test moved the clock.
// Prints one JSON line.
import {
  CognitoSyncClient,
  ListDatasetsCommand,
  ListRecordsCommand,
  UpdateRecordsCommand,
} from "@aws-sdk/client-cognito-sync";

const [endpoint, poolId, accessKeyId, secretAccessKey, sessionToken, identityId, mode] =
  process.argv.slice(2);

function client(secret) {
  return new CognitoSyncClient({
    endpoint,
    region: poolId.split(":")[0],
    credentials: { accessKeyId, secretAccessKey: secret, sessionToken },
    maxAttempts: 1,
  });
}

async function errorOf(promise) {
  try {
    await promise;
    return null;
  } catch (error) {
    return { name: error.name, status: error.$metadata.httpStatusCode, message: error.message };
  }
}

const device = client(secretAccessKey);
const where = { IdentityPoolId: poolId, IdentityId: identityId, DatasetName: "game" };
const push = (token, value, syncCount) =>
  device.send(
    new UpdateRecordsCommand({
      ...where,
      SyncSessionToken: token,
      RecordPatches: [{ Op: "replace", Key: "level", Value: value, SyncCount: syncCount }],
    }),
  );

if (mode === "expired") {
  const expired = await errorOf(
    device.send(new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: identityId })),
  );
  console.log(JSON.stringify({ expired }));
} else {
  const { SyncSessionToken: token } = await device.send(new ListRecordsCommand(where));
  const pushed = await push(token, "1", 0);
  const again = await errorOf(push(token, "2", 1));
  const listedAgain = await errorOf(
    device.send(new ListRecordsCommand({ ...where, SyncSessionToken: token })),
  );
  const { SyncSessionToken: fresh } = await device.send(new ListRecordsCommand(where));
  const pushedFresh = await push(fresh, "2", 1);
  const wrongSecret = await errorOf(
    client("not-the-secret").send(
      new ListDatasetsCommand({ IdentityPoolId: poolId, IdentityId: identityId }),
    ),
  );
  console.log(
    JSON.stringify({
      pushed: pushed.Records[0].SyncCount,
      again,
      listedAgain,
      pushedFresh: pushedFresh.Records[0].SyncCount,
      wrongSecret,
    }),
  );
}

// amazon-cognito-js (CognitoSyncManager over the aws-sdk v2 package), as a
// web or Node app uses it: one identity, two devices with their own local
// stores, a conflict resolved by the app's onConflict.
//
// Usage: node two_devices.js ENDPOINT POOL_ID IDENTITY_ID
// Prints one JSON line: what each device ends with and what the app saw.
"use strict";

global.AWS = require("aws-sdk");
require("amazon-cognito-js");
const { control } = require("./control");

const [endpoint, poolId, identityId] = process.argv.slice(2);

function promisify(fn) {
  return new Promise((resolve, reject) =>
    fn((err, data) => (err ? reject(err) : resolve(data))),
  );
}

function device(credentials) {
  // The sync manager reads the provider's identity and pool, as a
  // CognitoIdentityCredentials provider would hold them.
  AWS.config.credentials = credentials;
  return new AWS.CognitoSyncManager({
    DataStore: AWS.CognitoSyncManager.StoreInMemory,
  });
}

function sync(dataset, seen) {
  return new Promise((resolve, reject) => {
    dataset.synchronize({
      onSuccess: (data, newRecords) => resolve(newRecords),
      onFailure: (err) => reject(err),
      onConflict: (ds, conflicts, callback) => {
        // The app's rule: keep both values, remote first.
        const resolved = conflicts.map((conflict) => {
          const remote = conflict.getRemoteRecord().getValue();
          const local = conflict.getLocalRecord().getValue();
          seen.push({ key: conflict.getKey(), remote, local });
          return conflict.resolveWithValue(`${remote}+${local}`);
        });
        ds.resolve(resolved, () => callback(true));
      },
      onDatasetDeleted: (ds, name, callback) => callback(true),
      onDatasetsMerged: (ds, names, callback) => callback(false),
    });
  });
}

async function records(dataset) {
  const all = await promisify((cb) => dataset.getAllRecords(cb));
  const values = {};
  for (const record of all) {
    if (record.getValue() !== null && record.getValue() !== "") {
      values[record.getKey()] = record.getValue();
    }
  }
  return values;
}

async function main() {
  const issued = await control(endpoint, "issue_identity_credentials", {
    identity_id: identityId,
  });
  const credentials = new AWS.Credentials(
    issued.AccessKeyId,
    issued.SecretKey,
    issued.SessionToken,
  );
  credentials.identityId = identityId;
  credentials.params = { IdentityPoolId: poolId };
  AWS.config.update({ region: poolId.split(":")[0], cognitosync: { endpoint } });

  const phone = device(credentials);
  const tablet = device(credentials);
  const onPhone = await promisify((cb) => phone.openOrCreateDataset("settings", cb));
  const onTablet = await promisify((cb) => tablet.openOrCreateDataset("settings", cb));
  const conflicts = [];

  await promisify((cb) => onPhone.put("theme", "dark", cb));
  await promisify((cb) => onPhone.put("volume", "7", cb));
  await sync(onPhone, conflicts);
  await sync(onTablet, conflicts); // the tablet learns the phone's records

  // Both change the theme while offline; the phone syncs first.
  await promisify((cb) => onPhone.put("theme", "light", cb));
  await promisify((cb) => onTablet.put("theme", "blue", cb));
  await promisify((cb) => onTablet.remove("volume", cb));
  await sync(onPhone, conflicts);
  await sync(onTablet, conflicts); // conflict on theme, resolved by the app
  await sync(onPhone, conflicts); // the phone learns the resolution

  console.log(
    JSON.stringify({
      phone: await records(onPhone),
      tablet: await records(onTablet),
      conflicts,
    }),
  );
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});

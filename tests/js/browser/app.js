// A web app's sync, run by headless Chromium from another origin than the
// server's: every call crosses CORS. The outcome is posted back to the page's
// own server, which the test reads.
(async function () {
  const params = new URLSearchParams(location.hash.slice(1));
  const endpoint = params.get("endpoint");
  const poolId = params.get("pool");
  const identityId = params.get("identity");

  function report(outcome) {
    document.getElementById("result").textContent = JSON.stringify(outcome);
    return fetch("/result", { method: "POST", body: JSON.stringify(outcome) });
  }

  function promisify(fn) {
    return new Promise((resolve, reject) =>
      fn((err, data) => (err ? reject(err) : resolve(data))),
    );
  }

  function sync(dataset) {
    return new Promise((resolve, reject) =>
      dataset.synchronize({
        onSuccess: () => resolve(),
        onFailure: (err) => reject(err),
        onConflict: (ds, conflicts, callback) => callback(false),
      }),
    );
  }

  try {
    // The control API, called from the page too: credentials for the device.
    const issued = await fetch(`${endpoint}/_cognito_sync/issue_identity_credentials`, {
      method: "POST",
      body: JSON.stringify({ identity_id: identityId }),
    }).then((response) => response.json());
    const credentials = new AWS.Credentials(
      issued.result.AccessKeyId,
      issued.result.SecretKey,
      issued.result.SessionToken,
    );
    credentials.identityId = identityId;
    credentials.params = { IdentityPoolId: poolId };
    AWS.config.credentials = credentials;
    AWS.config.update({ region: poolId.split(":")[0], cognitosync: { endpoint } });

    // The default local store: the browser's localStorage.
    const manager = new AWS.CognitoSyncManager();
    const dataset = await promisify((cb) => manager.openOrCreateDataset("profile", cb));
    await sync(dataset); // pulls what the test seeded
    await promisify((cb) => dataset.put("color", "green", cb));
    await sync(dataset); // pushes the change
    const records = {};
    for (const record of await promisify((cb) => dataset.getAllRecords(cb))) {
      records[record.getKey()] = record.getValue();
    }

    // A developer-only operation with a device's credentials: the error's
    // code and request id come from headers the page may read only if the
    // server exposes them.
    let refused = null;
    try {
      await new AWS.CognitoSync().bulkPublish({ IdentityPoolId: poolId }).promise();
    } catch (error) {
      refused = { code: error.code, status: error.statusCode, requestId: error.requestId };
    }
    await report({ ok: true, records, refused, origin: location.origin });
  } catch (error) {
    await report({ ok: false, error: String((error && error.stack) || error) });
  }
})();

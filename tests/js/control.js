// The server's control API, from Node (global fetch, Node 18 and later).
"use strict";

async function control(endpoint, method, args) {
  const response = await fetch(`${endpoint}/_cognito_sync/${method}`, {
    method: "POST",
    body: JSON.stringify(args || {}),
  });
  const body = await response.json();
  if (response.status !== 200) {
    throw new Error(`control ${method}: ${response.status} ${body.message}`);
  }
  return body.result;
}

module.exports = { control };

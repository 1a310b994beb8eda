// A stand-in for the TS client's tfchain client that serves twins from the same JSON file our
// relay and Java twins read (the shape tfchain_client's twins.get returns: {id, accountId,
// relay, pk}). Shared by interop.js and load.js.
"use strict";
const fs = require("fs");

function fakeChain(twinsFile) {
  const loadTwins = () => JSON.parse(fs.readFileSync(twinsFile, "utf8"));
  const updates = [];
  return {
    updates,
    connect: async () => {},
    disconnect: async () => {},
    twins: {
      getTwinIdByAccountId: async ({ accountId }) => {
        const t = loadTwins().find(x => x.account === accountId);
        return t ? t.id : 0;
      },
      get: async ({ id }) => {
        const t = loadTwins().find(x => x.id === Number(id));
        if (!t) throw new Error(`twin ${id} not in ${twinsFile}`);
        return { id: t.id, accountId: t.account, relay: t.relay, pk: t.pk == null ? null : t.pk };
      },
      // connect() "updates" the twin on chain when its pk/relay differ from the local ones;
      // record it and change nothing (the twins file is the chain here).
      update: async (args) => {
        updates.push(args);
        return { apply: async () => {} };
      },
    },
  };
}

module.exports = { fakeChain };

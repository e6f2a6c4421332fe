// The local index's GraphQL dialect, argument kind by argument kind, against The Graph's rules:
// each `where` is checked against the same predicate applied to the whole collection, so the SQL
// and the rule it implements cannot drift apart. Also: the API, the entity types and the handler
// table are generated from (or checked against) the subgraph's own schema and manifest.
import { readdirSync, readFileSync } from "node:fs";

import { expect } from "chai";
import { getAbiItem, type AbiEvent, type AbiParameter } from "viem";

import { GENERATED_PATH, renderEntityTypes } from "../../server/indexer/codegen.js";
import { manifest } from "../../server/indexer/manifest.js";
import { chainpassSchema } from "../../server/indexer/schema.js";
import { decodeBigInt, encodeBigInt } from "../../server/indexer/values.js";
import { startIndexer, type IndexerUnderTest } from "../helpers/indexer.js";
import { startLocalChain, venueFixture } from "../helpers/server.js";

interface TicketRow {
  id: string;
  tokenId: string;
  serial: number;
  checkedIn: boolean;
  seatLabel: string | null;
  owner: { id: string };
  tier: { id: string; tierId: number; name: string };
}

const TICKET_FIELDS = "id tokenId serial checkedIn seatLabel owner { id } tier { id tierId name }";

describe("Server: local index GraphQL dialect", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let venue: Awaited<ReturnType<typeof venueFixture>>;
  let index: IndexerUnderTest;
  let all: TicketRow[];

  const post = async (query: string, variables?: Record<string, unknown>) => {
    const response = await fetch(index.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string }[] } };
  };
  const data = async <T>(query: string, variables?: Record<string, unknown>) => {
    const { status, body } = await post(query, variables);
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    expect(status).to.equal(200);
    return body.data as T;
  };
  const tickets = async (args: string) => (await data<{ tickets: TicketRow[] }>(`{ tickets${args ? `(${args})` : ""} { ${TICKET_FIELDS} } }`)).tickets;
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);

  before(async function () {
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
    // 80 more standing tickets: collections longer than the default page of 100.
    await venue.write("buy", [1n, 80n, venue.fans[1].address, 80n * 10n ** 16n], venue.fans[1], 80n * 10n ** 16n);
    await venue.write("checkIn", [[1_000_001n, 1_000_015n, 2_000_013n]], venue.staff);
    index = await startIndexer(chain.rpcUrl, venue.platform);
    await index.indexer.syncOnce();
    all = await tickets("first: 1000");
  });
  after(async function () {
    await index?.close();
    await chain?.rpc.close();
  });

  describe("entities by id and collections", function () {
    it("answers an entity by id in any hex case, and null for an unknown id", async function () {
      const id = all[0].id;
      const { ticket } = await data<{ ticket: TicketRow }>(`query($id: ID!) { ticket(id: $id) { ${TICKET_FIELDS} } }`, {
        id: id.toUpperCase().replace("0X", "0x"),
      });
      expect(ticket).to.deep.equal(all[0]);
      expect((await data<{ ticket: null }>(`{ ticket(id: "0x${"ab".repeat(52)}") { id } }`)).ticket).to.equal(null);
    });

    it("returns BigInt as decimal strings and Bytes as lowercase hex", async function () {
      const { event } = await data<{ event: Record<string, unknown> }>(
        `query($id: ID!) { event(id: $id) { id currency primaryRevenue createdTransaction ticketsSold tierCount cancelled } }`,
        { id: venue.event },
      );
      expect(event).to.deep.include({
        id: venue.event.toLowerCase(),
        currency: "0x0000000000000000000000000000000000000000",
        primaryRevenue: "1130000000000000000",
        ticketsSold: "112",
        tierCount: 3,
        cancelled: false,
      });
      expect(event.createdTransaction).to.match(/^0x[0-9a-f]{64}$/);
    });

    it("pages: first defaults to 100 and goes up to 1000, skip skips", async function () {
      expect(all).to.have.length(112);
      expect(ids(all)).to.deep.equal(ids([...all].sort(byId)));
      expect(ids(await tickets(""))).to.deep.equal(ids(all.slice(0, 100)));
      expect(ids(await tickets("skip: 110"))).to.deep.equal(ids(all.slice(110)));
      expect(ids(await tickets("first: 5, skip: 3"))).to.deep.equal(ids(all.slice(3, 8)));
      expect(await tickets("first: 0")).to.deep.equal([]);
    });

    it("refuses first above 1000 or below 0 as a GraphQL error", async function () {
      for (const first of [1001, -1]) {
        const { status, body } = await post(`{ tickets(first: ${first}) { id } }`);
        expect(status).to.equal(200);
        expect(body.errors![0].message).to.equal(`The \`first\` argument must be between 0 and 1000, but is ${first}`);
      }
    });
  });

  describe("where", function () {
    const cases: [string, (t: TicketRow) => boolean][] = [
      ["checkedIn: true", (t) => t.checkedIn],
      ["checkedIn_not: true", (t) => !t.checkedIn],
      ["serial: 13", (t) => t.serial === 13],
      ["serial_not: 1", (t) => t.serial !== 1],
      ["serial_in: [1, 2, 13, 999]", (t) => [1, 2, 13, 999].includes(t.serial)],
      ["serial_not_in: [1, 2]", (t) => ![1, 2].includes(t.serial)],
      ["serial_in: []", () => false],
      ['tokenId_gt: "1000100"', (t) => BigInt(t.tokenId) > 1_000_100n],
      ['tokenId_gte: "1000100"', (t) => BigInt(t.tokenId) >= 1_000_100n],
      ['tokenId_lt: "1000003"', (t) => BigInt(t.tokenId) < 1_000_003n],
      ["tokenId_lte: 1000003", (t) => BigInt(t.tokenId) <= 1_000_003n],
      ['tokenId_in: ["2000013", "3000001"]', (t) => ["2000013", "3000001"].includes(t.tokenId)],
      ["seatLabel: null", (t) => t.seatLabel === null],
      ["seatLabel_not: null", (t) => t.seatLabel !== null],
      ['seatLabel_contains: "Row B"', (t) => t.seatLabel?.includes("Row B") ?? false],
      ['seatLabel_starts_with_nocase: "STALLS"', (t) => t.seatLabel?.toLowerCase().startsWith("stalls") ?? false],
      ['seatLabel_not_ends_with: "Seat 3"', (t) => t.seatLabel !== null && !t.seatLabel.endsWith("Seat 3")],
    ];
    for (const [where, predicate] of cases) {
      it(`{ ${where} }`, async function () {
        const expected = all.filter(predicate);
        expect(ids(await tickets(`first: 1000, where: { ${where} }`))).to.deep.equal(ids(expected));
      });
    }

    it("matches a reference by id (a String, any case) and Bytes fields by value, with _gt on ids", async function () {
      const owner = venue.fans[2].address;
      expect(ids(await tickets(`first: 1000, where: { owner: "${owner}" }`))).to.deep.equal(ids(all.filter((t) => t.owner.id === owner.toLowerCase())));
      const middle = all[50].id;
      expect(ids(await tickets(`first: 1000, where: { id_gt: "${middle.toUpperCase().replace("0X", "0x")}" }`))).to.deep.equal(ids(all.slice(51)));
      const { accounts } = await data<{ accounts: { id: string }[] }>(`{ accounts(where: { id_in: ["${owner}"] }) { id } }`);
      expect(accounts).to.deep.equal([{ id: owner.toLowerCase() }]);
    });

    it("filters through a reference one level deep (field_), and through a derived field", async function () {
      expect(ids(await tickets(`first: 1000, where: { tier_: { name: "Stalls" } }`))).to.deep.equal(ids(all.filter((t) => t.tier.name === "Stalls")));
      expect(ids(await tickets(`first: 1000, where: { tier_: { tierId_gte: 2 }, checkedIn: false }`))).to.deep.equal(
        ids(all.filter((t) => t.tier.tierId >= 2 && !t.checkedIn)),
      );
      const { tiers } = await data<{ tiers: { tierId: number }[] }>(`{ tiers(where: { tickets_: { checkedIn: true } }, orderBy: tierId) { tierId } }`);
      expect(tiers).to.deep.equal([{ tierId: 1 }, { tierId: 2 }]);
    });

    it("refuses child filters nested two levels", async function () {
      const { status, body } = await post(`{ tickets(where: { tier_: { event_: { name: "x" } } }) { id } }`);
      expect(status).to.equal(200);
      expect(body.errors![0].message).to.equal("Child filters can not be nested");
    });

    it("combines filters with and / or", async function () {
      const or = await tickets(`first: 1000, where: { or: [{ serial: 13 }, { checkedIn: true }] }`);
      expect(ids(or)).to.deep.equal(ids(all.filter((t) => t.serial === 13 || t.checkedIn)));
      const and = await tickets(`first: 1000, where: { and: [{ tier_: { tierId: 1 } }, { or: [{ serial_lt: 3 }, { serial_gt: 108 }] }] }`);
      expect(ids(and)).to.deep.equal(ids(all.filter((t) => t.tier.tierId === 1 && (t.serial < 3 || t.serial > 108))));
    });
  });

  describe("orderBy and orderDirection", function () {
    it("orders by a field, either way, with id breaking ties in the same direction", async function () {
      const desc = await tickets("first: 1000, orderBy: serial, orderDirection: desc");
      const expected = [...all].sort((a, b) => b.serial - a.serial || (a.id < b.id ? 1 : -1));
      expect(ids(desc)).to.deep.equal(ids(expected));
      const asc = await tickets("first: 1000, orderBy: serial");
      expect(ids(asc)).to.deep.equal(ids([...all].sort((a, b) => a.serial - b.serial || (a.id < b.id ? -1 : 1))));
    });

    it("orders by a field of a referenced entity (tier__name)", async function () {
      const rows = await tickets("first: 1000, orderBy: tier__name, orderDirection: asc");
      expect(ids(rows)).to.deep.equal(
        ids([...all].sort((a, b) => (a.tier.name === b.tier.name ? (a.id < b.id ? -1 : 1) : a.tier.name < b.tier.name ? -1 : 1))),
      );
    });

    it("puts nulls last ascending and first descending, as Postgres does", async function () {
      const asc = await tickets("first: 1000, orderBy: seatLabel");
      expect(asc.at(-1)!.seatLabel).to.equal(null);
      expect(asc[0].seatLabel).to.equal("Stalls, Row B, Seat 3");
      const desc = await tickets("first: 1000, orderBy: seatLabel, orderDirection: desc");
      expect(desc[0].seatLabel).to.equal(null);
      expect(desc.at(-1)!.seatLabel).to.equal("Stalls, Row B, Seat 3");
    });
  });

  describe("@derivedFrom and entity-list fields", function () {
    it("take the collection arguments", async function () {
      const { event } = await data<{ event: { tiers: { tierId: number; tickets: { tokenId: string }[] }[] } }>(
        `query($id: ID!) { event(id: $id) { tiers(orderBy: tierId, orderDirection: desc, first: 2) { tierId tickets(first: 3, skip: 1, orderBy: tokenId, orderDirection: desc, where: { checkedIn: false }) { tokenId } } } }`,
        { id: venue.event },
      );
      expect(event.tiers.map((t) => t.tierId)).to.deep.equal([3, 2]);
      expect(event.tiers[0].tickets).to.deep.equal([]); // one ticket, skipped
      expect(event.tiers[1].tickets).to.deep.equal([]); // checked in
      const { account } = await data<{ account: { tickets: { tokenId: string }[] } }>(
        `query($id: ID!) { account(id: $id) { tickets(first: 3, orderBy: tokenId, orderDirection: desc) { tokenId } } }`,
        { id: venue.fans[1].address },
      );
      expect(account.tickets.map((t) => t.tokenId)).to.deep.equal(["1000110", "1000109", "1000108"]);
    });

    it("resolves a stored list of references (Sale.tickets) with arguments too", async function () {
      const { sales } = await data<{ sales: { quantity: string; tickets: { tokenId: string }[] }[] }>(
        `{ sales(where: { quantity: "80" }) { quantity tickets(first: 2, orderBy: tokenId, orderDirection: desc) { tokenId } } }`,
      );
      expect(sales).to.deep.equal([{ quantity: "80", tickets: [{ tokenId: "1000110" }, { tokenId: "1000109" }] }]);
    });
  });

  describe("_meta and block", function () {
    it("reports the last indexed block", async function () {
      const head = await chain.clients.publicClient.getBlock();
      const { _meta } = await data<{ _meta: { block: unknown; hasIndexingErrors: boolean } }>(
        "{ _meta { block { number hash timestamp } hasIndexingErrors } }",
      );
      expect(_meta).to.deep.equal({ block: { number: Number(head.number), hash: head.hash, timestamp: Number(head.timestamp) }, hasIndexingErrors: false });
    });

    it("serves block: { number_gte } up to its head and refuses what it has not indexed yet", async function () {
      const head = Number(await chain.clients.publicClient.getBlockNumber());
      expect((await data<{ tickets: unknown[] }>(`{ tickets(first: 1, block: { number_gte: ${head} }) { id } }`)).tickets).to.have.length(1);
      const { status, body } = await post(`{ tickets(block: { number_gte: ${head + 5} }) { id } }`);
      expect(status).to.equal(200);
      expect(body.errors![0].message).to.include(
        `has only indexed up to block number ${head} and data for block number ${head + 5} is therefore not yet available`,
      );
    });
  });

  describe("HTTP", function () {
    it("answers GET with ?query= and ?variables=", async function () {
      const url = `${index.url}?query=${encodeURIComponent("query($id: ID!) { event(id: $id) { name } }")}&variables=${encodeURIComponent(
        JSON.stringify({ id: venue.event }),
      )}`;
      const response = await fetch(url);
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ data: { event: { name: "Harbour Lights" } } });
    });

    const graphqlErrors: [string, string, RegExp][] = [
      ["a syntax error", "{ tickets( { id } }", /Syntax Error/],
      ["an unknown field", "{ tickets { nope } }", /Cannot query field "nope"/],
      ["an unknown filter", "{ tickets(where: { nope: 1 }) { id } }", /"nope" is not defined by type "Ticket_filter"/],
      ["a bad BigInt", '{ tickets(where: { tokenId: "12a" }) { id } }', /Invalid BigInt value/],
      ["bad Bytes", '{ accounts(where: { id: "0x123" }) { id } }', /Invalid Bytes value/],
      ["an unknown orderBy", "{ tickets(orderBy: nope) { id } }", /Value "nope" does not exist in "Ticket_orderBy" enum/],
      ["ordering by a derived field", "{ tiers(orderBy: tickets) { id } }", /derived field/],
    ];
    for (const [what, query, message] of graphqlErrors) {
      it(`answers ${what} with 200 and GraphQL errors`, async function () {
        const { status, body } = await post(query);
        expect(status).to.equal(200);
        expect(body.data ?? null).to.equal(null);
        expect(body.errors![0].message).to.match(message);
      });
    }

    it("answers a variable of the wrong type with 200 and GraphQL errors", async function () {
      const { status, body } = await post("query($first: Int) { tickets(first: $first) { id } }", { first: "ten" });
      expect(status).to.equal(200);
      expect(body.errors![0].message).to.match(/Variable "\$first" got invalid value "ten"/);
    });

    const requestErrors: [string, RequestInit, string][] = [
      [
        "a body without a query",
        { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
        'The "query" field is missing in request data',
      ],
      ["a body that is not JSON", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" }, ""],
      [
        "variables that are not an object",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ tickets { id } }", variables: [1] }) },
        'The "variables" field must be an object',
      ],
      ["a GET without a query", { method: "GET" }, 'The "query" field is missing in request data'],
    ];
    for (const [what, init, message] of requestErrors) {
      it(`answers ${what} with 400 and errors`, async function () {
        const response = await fetch(index.url, init);
        expect(response.status).to.equal(400);
        const body = (await response.json()) as { errors: { message: string }[] };
        expect(body.errors).to.have.length(1);
        if (message) expect(body.errors[0].message).to.equal(message);
      });
    }
  });

  describe("storage", function () {
    it("stores BigInt as text that sorts like the numbers, negatives and uint256 included", function () {
      const values = [-(2n ** 255n), -1000n, -999n, -10n, -1n, 0n, 1n, 9n, 10n, 999n, 1000n, 2n ** 256n - 1n];
      const encoded = values.map(encodeBigInt);
      expect([...encoded].sort()).to.deep.equal(encoded);
      expect(encoded.map(decodeBigInt)).to.deep.equal(values);
    });
  });

  describe("generated from the subgraph's schema and manifest", function () {
    it("has a single and a collection query field for every entity", async function () {
      const { __schema } = await data<{ __schema: { queryType: { fields: { name: string }[] } } }>("{ __schema { queryType { fields { name } } } }");
      const fields = __schema.queryType.fields.map((f) => f.name);
      for (const entity of chainpassSchema().entities.values()) expect(fields).to.include.members([entity.single, entity.plural]);
      expect(fields).to.include.members(["checkIn", "checkIns", "eventAccount", "eventAccounts", "_meta"]);
    });

    it("keeps server/indexer/generated/entities.ts up to date (npx tsx server/indexer/codegen.ts)", function () {
      expect(readFileSync(GENERATED_PATH, "utf8")).to.equal(renderEntityTypes(chainpassSchema()));
    });

    it("mirrors subgraph/src file for file, handler for handler", async function () {
      const files = (dir: string) =>
        readdirSync(dir)
          .filter((f) => f.endsWith(".ts"))
          .sort();
      expect(files("server/indexer/mappings")).to.deep.equal(files("subgraph/src"));
      for (const file of files("subgraph/src")) {
        const handlers = [...readFileSync(`subgraph/src/${file}`, "utf8").matchAll(/export function (handle\w+)/g)].map((m) => m[1]);
        const mirror = (await import(`../../server/indexer/mappings/${file.replace(/\.ts$/, ".js")}`)) as Record<string, unknown>;
        for (const handler of handlers) expect(mirror[handler], `${file}: ${handler}`).to.be.a("function");
      }
    });

    it("subscribes exactly the logs and handlers of subgraph/subgraph.template.yaml", function () {
      // graph-cli's event signature: indexed marked, tuples spelled out.
      const type = (p: AbiParameter): string =>
        p.type.startsWith("tuple") ? `(${(p as { components: readonly AbiParameter[] }).components.map(type).join(",")})${p.type.slice(5)}` : p.type;
      const signature = (item: AbiEvent) => `${item.name}(${item.inputs.map((p) => `${p.indexed ? "indexed " : ""}${type(p)}`).join(",")})`;
      const local = [...Object.values(manifest.dataSources), manifest.templates.EventTicket]
        .flatMap((kind) =>
          Object.entries(kind.handlers).map(([name, handler]) => `${signature(getAbiItem({ abi: kind.abi, name }) as AbiEvent)} ${handler.name}`),
        )
        .sort();
      const yaml = readFileSync("subgraph/subgraph.template.yaml", "utf8");
      const subgraph = [...yaml.matchAll(/- event: (.+)\n\s+handler: (\w+)/g)].map((m) => `${m[1].trim()} ${m[2]}`).sort();
      expect(local).to.deep.equal(subgraph);
    });
  });
});

// PostGraphile 5 as a generic GraphQL-over-PostgreSQL server would be set up for dailyRevenue's
// rows: the schema `postgraphile` (schema.sql: two functions whose bodies are the report's own
// days.sql and totals.sql, over the security-barrier view report.daily_revenue), connecting as
// the benchmark's database user and switching to Tally's read role per transaction, with the
// tenant taken from the caller's RS256 token, so the view scopes rows exactly as for Tally.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { createRemoteJWKSet, jwtVerify } from "jose";

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
};

// The key set Tally trusts, fetched from the same issuer's JWKS address and cached (as Tally does).
const keys = createRemoteJWKSet(new URL(env("TALLY_JWKS_URI")));
const issuer = env("TALLY_ISSUER");
const audience = env("TALLY_AUDIENCE");
const role = env("TALLY_READ_ROLE");

const unauthorized = (message) => Object.assign(new Error(message), { statusCode: 401 });

/** Every request's token checked (signature, issuer, audience, expiry); its tenant_id claim is the tenant. */
async function tenantOf(authorization) {
  const [scheme, token] = (authorization ?? "").split(" ");
  if (scheme?.toLowerCase() !== "bearer" || !token) {
    throw unauthorized("a bearer token is required");
  }
  const { payload } = await jwtVerify(token, keys, { issuer, audience, algorithms: ["RS256"] }).catch(
    (error) => {
      throw unauthorized(`invalid token: ${error.code ?? error.message}`);
    },
  );
  if (typeof payload.tenant_id !== "string" || payload.tenant_id === "") {
    throw unauthorized("the token names no tenant");
  }
  return payload.tenant_id;
}

/** @type {GraphileConfig.Preset} */
export default {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: env("DATABASE_URL"),
      schemas: ["postgraphile"],
      poolConfig: { max: Number(process.env.PG_POOL_MAX ?? 10) },
    }),
  ],
  grafserv: { graphqlPath: "/graphql", graphiql: false, watch: false },
  grafast: {
    explain: false,
    async context(requestContext) {
      const tenant = await tenantOf(requestContext.node?.req?.headers?.authorization);
      // Set with set_config(..., true) in the transaction PostGraphile opens for each statement.
      return { pgSettings: { role, "app.tenant_id": tenant } };
    },
  },
};

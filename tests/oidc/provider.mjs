// A real OpenID Connect provider for the sign-in tests: node provider.mjs PORT CONFIG_JSON NOW_MS
// CONFIG_JSON: {"clients": [{client_id, client_secret, redirect_uris}], "accounts": {id: claims}}
// NOW_MS: the tests' pinned clock; the provider's clock runs from there, so its tokens are
// issued at the instant Bord believes it is.
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const { clients, accounts } = JSON.parse(process.argv[3]);
const realNow = Date.now;
const offset = Number(process.argv[4] ?? realNow()) - realNow();
Date.now = () => realNow() + offset;

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  pkce: { required: () => true },
  // Put the e-mail claims in the ID token itself, as Entra ID and Google do.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'affiliation', 'brin'],
  },
  features: { devInteractions: { enabled: true } },
  // Its cookies outlive any distance between the pinned clock and the browser's.
  ttl: { Interaction: 3e9, Session: 3e9, Grant: 3e9 },
  findAccount: async (ctx, id) => {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => console.log('ready'));

// Rate limits through the gateway at their edges, with an injected clock: rpm, tpm, parallel requests,
// per-model limits, and a user's limit shared by all its keys.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI, { RateLimitError } from 'openai';
import { MAIN_BACKENDS, PRICED_CONFIG, cleanupPlaces, clock, hi, newPlace, startOn, T0, type Clock, type GatewayUnderTest } from './helpers.ts';

after(cleanupPlaces);

async function rateLimited(p: Promise<unknown>): Promise<RateLimitError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof RateLimitError, String(err));
    return err;
  }
  assert.fail('expected 429');
}

for (const backend of MAIN_BACKENDS) {
  describe(`rate limits (${backend.name})`, () => {
    let t: GatewayUnderTest;
    const c: Clock = clock();
    before(async () => {
      t = await startOn(newPlace(backend), PRICED_CONFIG, c);
    });
    after(() => t.close());
    beforeEach(() => c.set(T0 + 18_000)); // 12:00:18: the minute's window resets in 42 s

    async function keyWith(fields: Record<string, unknown>): Promise<OpenAI> {
      return t.client((await t.admin<{ key: string }>('POST', '/key/generate', fields)).key);
    }

    test('rpm_limit 10: ten pass with the remaining count, the 11th in the minute gets 429 and retry-after', async () => {
      const client = await keyWith({ rpm_limit: 10 });
      for (let i = 1; i <= 10; i++) {
        const { response } = await client.chat.completions.create({ model: 'priced', messages: hi }).withResponse();
        assert.equal(response.headers.get('x-ratelimit-limit-requests'), '10');
        assert.equal(response.headers.get('x-ratelimit-remaining-requests'), String(10 - i));
        assert.equal(response.headers.get('x-ratelimit-reset-requests'), '42s');
      }
      const err = await rateLimited(client.chat.completions.create({ model: 'priced', messages: hi }));
      assert.equal(err.headers.get('retry-after'), '42');
      assert.equal(err.headers.get('x-ratelimit-remaining-requests'), '0');
      assert.match(err.message, /10 requests per minute \(rpm_limit\)\. Try again in 42s\./);
      c.set(T0 + 60_000);
      await client.chat.completions.create({ model: 'priced', messages: hi });
    });

    test('tpm_limit: a request is refused once the minute has used the limit (3 tokens a request)', async () => {
      const client = await keyWith({ tpm_limit: 7 });
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const { response } = await client.chat.completions.create({ model: 'priced', messages: hi }).withResponse();
        remaining.push(response.headers.get('x-ratelimit-remaining-tokens'));
      }
      assert.deepEqual(remaining, ['7', '4', '1']);
      const err = await rateLimited(client.chat.completions.create({ model: 'priced', messages: hi }));
      assert.match(err.message, /7 tokens per minute \(tpm_limit\)/);
    });

    test('max_parallel_requests 2: a third request while two streams are in flight is refused; their slots come back as they end', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', { max_parallel_requests: 2 });
      const client = t.client(key);
      const open = async (): Promise<Response> => {
        const res = await fetch(`${t.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'trickle', messages: hi, stream: true }),
        });
        assert.equal(res.status, 200);
        return res;
      };
      const streams = [await open(), await open()];
      const err = await rateLimited(client.chat.completions.create({ model: 'priced', messages: hi }));
      assert.match(err.message, /2 requests at a time \(max_parallel_requests\)/);
      await Promise.all(streams.map((s) => s.text()));
      // Released before the streams' last bytes left: two more fit at once, straight away.
      await Promise.all([0, 1].map(() => client.chat.completions.create({ model: 'slow-priced', messages: hi })));
    });

    test('model_rpm_limit: LiteLLM\'s per-model headers; other models unaffected', async () => {
      const client = await keyWith({ model_rpm_limit: { priced: 2 }, model_tpm_limit: { priced: 100 } });
      const { response } = await client.chat.completions.create({ model: 'priced', messages: hi }).withResponse();
      assert.equal(response.headers.get('x-litellm-key-remaining-requests-priced'), '1');
      assert.equal(response.headers.get('x-litellm-key-remaining-tokens-priced'), '100');
      await client.chat.completions.create({ model: 'priced', messages: hi });
      await rateLimited(client.chat.completions.create({ model: 'priced', messages: hi }));
      await client.chat.completions.create({ model: 'cheap', messages: hi });
    });

    test('a user\'s rpm_limit counts the requests of all its keys', async () => {
      await t.admin('POST', '/user/new', { user_id: 'rate-user', rpm_limit: 3 });
      const a = await keyWith({ user_id: 'rate-user' });
      const b = await keyWith({ user_id: 'rate-user' });
      await a.chat.completions.create({ model: 'priced', messages: hi });
      await b.chat.completions.create({ model: 'priced', messages: hi });
      await a.chat.completions.create({ model: 'priced', messages: hi });
      const err = await rateLimited(b.chat.completions.create({ model: 'priced', messages: hi }));
      assert.match(err.message, /user 'rate-user'/);
    });

    test('a rate-limit change through the API applies to the next request', async () => {
      const { key } = await t.admin<{ key: string }>('POST', '/key/generate', {});
      const client = t.client(key);
      await client.chat.completions.create({ model: 'priced', messages: hi });
      await t.admin('POST', '/key/update', { key, rpm_limit: 1 });
      await client.chat.completions.create({ model: 'priced', messages: hi });
      await rateLimited(client.chat.completions.create({ model: 'priced', messages: hi }));
    });
  });
}

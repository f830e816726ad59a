// `vertex_ai/<model>`: Gemini models on Vertex AI (../shared/reference/providers.md §5 "Vertex AI
// differences"): the project/location URL, the Gemini body, a bearer token minted from a service account
// (`vertex_credentials`) or Application Default Credentials. `api_base` replaces `https://{location}-
// aiplatform.googleapis.com/v1`. With only `api_key` set, Vertex "express mode" is used (no project).
import { GatewayError } from '../../canonical/index.ts';
import { geminiDialectTarget, modelPath } from '../gemini/index.ts';
import { httpTransport } from '../http-client.ts';
import type { ProviderSettings, Transport, UpstreamTarget } from '../types.ts';
import { loadServiceAccount, type ServiceAccount } from './vertex-credentials.ts';
import { fromVertexEmbeddings, toVertexEmbeddings } from './vertex-embeddings.ts';
import { applicationDefaultTokens, serviceAccountTokens } from './vertex-token.ts';
import { bearerTransport } from './vertex-transport.ts';

export interface VertexUpstream {
  target: UpstreamTarget;
  transport: Transport;
}

export function createVertexUpstream(settings: ProviderSettings): VertexUpstream {
  const p = settings.params ?? {};
  const env = settings.env ?? {};
  const credentials = p.vertex_credentials ?? env.GOOGLE_APPLICATION_CREDENTIALS;
  const express = credentials === undefined && settings.apiKey !== undefined;
  const sa: ServiceAccount | undefined = credentials === undefined ? undefined : loadServiceAccount(credentials);
  const location = str(p.vertex_location) ?? env.VERTEXAI_LOCATION ?? env.GOOGLE_CLOUD_LOCATION ?? 'us-central1';
  const project = str(p.vertex_project) ?? env.VERTEXAI_PROJECT ?? env.GOOGLE_CLOUD_PROJECT ?? sa?.project_id;
  if (!express && !project) {
    throw new GatewayError({
      status: 500,
      kind: 'bad_request',
      code: 'missing_vertex_project',
      message: `Vertex AI deployment '${settings.upstreamModel}' needs litellm_params.vertex_project (or VERTEXAI_PROJECT)`,
    });
  }
  const base = (settings.apiBase ?? defaultBase(location)).replace(/\/+$/, '');
  const prefix = express ? `${base}/publishers/google` : `${base}/projects/${project}/locations/${location}/publishers/google`;
  const url = (method: string) => `${prefix}/${modelPath(settings.upstreamModel, method)}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...settings.extraHeaders };
  if (express) headers['x-goog-api-key'] = settings.apiKey!;
  const target = geminiDialectTarget({
    provider: settings.prefix,
    upstreamModel: settings.upstreamModel,
    endpoints: { generate: url('generateContent'), stream: `${url('streamGenerateContent')}?alt=sse` },
    headers,
    dropParams: settings.dropParams ?? false,
    embeddings(body) {
      const { texts, body: predict } = toVertexEmbeddings(body);
      return {
        requests: [{ url: url('predict'), method: 'POST', headers, body: JSON.stringify(predict) }],
        toOpenAI: (raws) => fromVertexEmbeddings(raws[0], settings.upstreamModel, texts.length),
      };
    },
  });
  if (express) return { target, transport: httpTransport };
  const tokens = sa ? serviceAccountTokens(sa) : applicationDefaultTokens();
  return { target, transport: bearerTransport(httpTransport, tokens) };
}

/** Regional host, or the global one (reference §5). */
export function defaultBase(location: string): string {
  return location === 'global' ? 'https://aiplatform.googleapis.com/v1' : `https://${location}-aiplatform.googleapis.com/v1`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

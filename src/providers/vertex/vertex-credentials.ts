// `vertex_credentials` as LiteLLM takes it: a path to a service-account JSON file, the JSON itself (a string,
// often from os.environ/…), or an already-parsed object; else GOOGLE_APPLICATION_CREDENTIALS. Read once when
// the deployment is built. Messages never contain the key material.
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../canonical/index.ts';

export interface ServiceAccount {
  type?: string;
  project_id?: string;
  private_key_id?: string;
  private_key: string;
  client_email: string;
  /** Honoured (tests and private clouds point it elsewhere); Google's own when absent. */
  token_uri?: string;
}

export function loadServiceAccount(value: unknown): ServiceAccount {
  let json: unknown = value;
  if (typeof value === 'string') {
    const text = value.trimStart().startsWith('{') ? value : readCredentialsFile(value);
    try {
      json = JSON.parse(text);
    } catch {
      throw configError('vertex_credentials is not valid JSON (expected a service-account key file or its contents)');
    }
  }
  const sa = json as Partial<ServiceAccount> | null;
  if (!sa || typeof sa !== 'object' || typeof sa.private_key !== 'string' || typeof sa.client_email !== 'string') {
    throw configError('vertex_credentials must be a service-account key with client_email and private_key');
  }
  return sa as ServiceAccount;
}

function readCredentialsFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw configError(`cannot read vertex_credentials file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function configError(message: string): GatewayError {
  return new GatewayError({ status: 500, kind: 'auth', code: 'vertex_credentials_invalid', message: `Vertex AI: ${message}` });
}

// The official Anthropic SDK's error for a call expected to fail, to assert on its class, status and body.
import Anthropic from '@anthropic-ai/sdk';
import { rejectionOf } from './api-error.ts';

export function anthropicApiError(p: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  return rejectionOf(p, Anthropic.APIError);
}

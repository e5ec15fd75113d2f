/** How a pipeline is answered: everything but the HMAC secret, which is only said to be set. */
import type { Pipeline } from '../../store/types.js';

export interface PipelineView {
  id: string;
  name: string;
  key: string;
  hmac_secret_set: boolean;
  allowed_origins: string[];
  integrations: string[];
  rate_limit_per_second: number;
  enabled: boolean;
}

export function pipelineView(pipeline: Pipeline): PipelineView {
  return {
    id: pipeline.id,
    name: pipeline.name,
    key: pipeline.key,
    hmac_secret_set: pipeline.hmacSecret !== undefined && pipeline.hmacSecret !== '',
    allowed_origins: pipeline.allowedOrigins,
    integrations: pipeline.integrationIds,
    rate_limit_per_second: pipeline.rateLimitPerSecond,
    enabled: pipeline.enabled,
  };
}

/** A pipeline in the configuration file's shape: the input of `parsePipeline`. */
export function pipelineEntry(pipeline: Pipeline): Record<string, unknown> {
  return {
    id: pipeline.id,
    name: pipeline.name,
    key: pipeline.key,
    ...(pipeline.hmacSecret ? { hmac_secret: pipeline.hmacSecret } : {}),
    allowed_origins: pipeline.allowedOrigins,
    integrations: pipeline.integrationIds,
    rate_limit_per_second: pipeline.rateLimitPerSecond,
    enabled: pipeline.enabled,
  };
}

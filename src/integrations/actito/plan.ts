/**
 * Planning for Actito is the generic mapping engine with the integration's mappings: the profile
 * key is the normalised email the key mapping produces, and the attributes are sent as mapped
 * (in clear text: the data lands in the customer's own Actito tenant, nothing is hashed).
 */
import { applyMappings } from '../../mapping/engine.js';
import type { MappingSet } from '../../mapping/types.js';
import type { PlanInput, PlanResult } from '../types.js';
import type { ActitoConfig } from './config.js';

/** Plans one event for Actito. The config does not change planning today. */
export function plan(input: PlanInput, _config: ActitoConfig, mappings: MappingSet): PlanResult {
  return applyMappings(mappings, input);
}

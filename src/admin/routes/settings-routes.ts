/** Organisation settings: how the consent platform's codes map onto the canonical categories. */
import type { FastifyInstance } from 'fastify';
import { parseConsent } from '../../config/consent-section.js';
import { auditEntry, type AdminContext } from '../admin-context.js';
import { authOf } from '../auth/access.js';
import { summariseChanges } from '../changes/change-summary.js';
import { bodyOf } from '../http/input.js';

export function settingsRoutes(scope: FastifyInstance, context: AdminContext): void {
  scope.get('/settings/consent', async () => context.store.getConsentSettings());

  scope.put('/settings/consent', async (request) => {
    const settings = parseConsent(bodyOf(request), '');
    const before = await context.store.getConsentSettings();

    await context.store.putConsentSettings(settings);
    const changes = summariseChanges(before, settings);
    if (changes.length > 0) {
      const actor = authOf(request).user.email;
      await context.audit(
        auditEntry(actor, 'consent.updated', { type: 'settings', id: 'consent' }, changes),
      );
    }
    await context.afterChange();

    return settings;
  });
}

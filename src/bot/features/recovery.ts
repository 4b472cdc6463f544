import { UserFacingError } from '../../incidents/decisions.js';
import { resendUnconfirmedCard } from '../outbox-recovery.js';
import type { ButtonAction } from './types.js';

/** The button on a "this card may not have arrived" notice (src/bot/outbox-recovery.ts). */
export const recoveryButtons: Record<string, ButtonAction> = {
  resend_card: {
    permission: 'read',
    async run(c) {
      // A person looked and the card is not there: only now may it go again.
      if (!(await resendUnconfirmedCard(c.deps.db, Number(c.arg), c.incident.id))) throw new UserFacingError('карточка уже отправлена');
      c.deps.queued();
      return 'Карточка будет отправлена заново';
    },
  },
};

import { useI18n } from 'vue-i18n';
import type { SnapshotCapabilities, SnapshotVerdict } from '../../../../shared/contract';
import { verdictMessage } from './verdict-message';

/** Turns a refusal into the sentence the user reads ('' when allowed). */
export function useVerdictText(): (caps: SnapshotCapabilities, verdict: SnapshotVerdict) => string {
  const { t } = useI18n();
  return (caps, verdict) => {
    const message = verdictMessage(caps, verdict);
    if (!message) return '';
    return message.key === null ? message.text : t(message.key, message.params);
  };
}

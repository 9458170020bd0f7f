/**
 * Main → window channel carrying every `EventEnvelope`; the preload listens on it. Requests
 * need no such constant: they travel under their contract names.
 */
export const EVENT_CHANNEL = 'virtdeck:event';

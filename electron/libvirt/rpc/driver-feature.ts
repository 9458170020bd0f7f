/**
 * virDrvFeature numbers for CONNECT_SUPPORTS_FEATURE (libvirt's src/libvirt_internal.h).
 * libvirt keeps this enum internal, so neither the .x files nor libvirt-api.xml carry it
 * and build/gen-protocol cannot emit it; the values are part of the wire protocol and have
 * never changed. Only the features VirtDeck asks about are listed.
 */
export const DriverFeature = {
  /** The daemon returns VIR_TYPED_PARAM_STRING params when asked (VIR_TYPED_PARAM_STRING_OKAY). */
  TYPED_PARAM_STRING: 9,
  /** The peer speaks the keepalive program; asking also makes the daemon start PINGing us. */
  PROGRAM_KEEPALIVE: 10,
  /** The *_CALLBACK_* event procedures (server-side filtering by callback ID). */
  REMOTE_EVENT_CALLBACK: 14,
  /** CONNECT_REGISTER_CLOSE_CALLBACK and the CONNECTION_CLOSED event. */
  REMOTE_CLOSE_CALLBACK: 15,
} as const;

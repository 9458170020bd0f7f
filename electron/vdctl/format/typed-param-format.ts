import {
  VIR_TYPED_PARAM_BOOLEAN,
  VIR_TYPED_PARAM_DOUBLE,
  VIR_TYPED_PARAM_INT,
  VIR_TYPED_PARAM_LLONG,
  VIR_TYPED_PARAM_STRING,
  VIR_TYPED_PARAM_UINT,
  VIR_TYPED_PARAM_ULLONG,
  type RemoteTypedParamValue,
} from '../../libvirt/protocol/remote.gen';

/**
 * One typed parameter as `virsh domstats` prints it (vshGetTypedParamValue): integers in
 * decimal, doubles with printf's "%f" (six decimals), booleans as yes/no.
 */
export function formatTypedParam(value: RemoteTypedParamValue): string {
  switch (value.type) {
    case VIR_TYPED_PARAM_INT:
      return String(value.i);
    case VIR_TYPED_PARAM_UINT:
      return String(value.ui);
    case VIR_TYPED_PARAM_LLONG:
      return value.l.toString();
    case VIR_TYPED_PARAM_ULLONG:
      return value.ul.toString();
    case VIR_TYPED_PARAM_DOUBLE:
      return value.d.toFixed(6);
    case VIR_TYPED_PARAM_BOOLEAN:
      return value.b !== 0 ? 'yes' : 'no';
    case VIR_TYPED_PARAM_STRING:
      return value.s;
  }
}
